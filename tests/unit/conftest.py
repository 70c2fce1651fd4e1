"""Make ``ansible_collections.picluster.spark`` importable from this checkout.

`make venv` links .collections/ansible_collections/picluster/spark to the repo
root; without it (a bare pytest run) the same link is made in a temporary
directory, so plugins that import their module_utils by full name load.
"""

import pathlib
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]


def _collections_root():
    made = REPO / ".collections"
    if (made / "ansible_collections" / "picluster" / "spark" / "plugins").is_dir():
        return made
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="picluster-collections-"))
    link = tmp / "ansible_collections" / "picluster" / "spark"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO, target_is_directory=True)
    return tmp


COLLECTIONS_ROOT = _collections_root()
if str(COLLECTIONS_ROOT) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS_ROOT))
