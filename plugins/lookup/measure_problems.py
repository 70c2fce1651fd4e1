# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What playbooks/measure.yml refuses, read on the controller before any node changes."""

from __future__ import annotations

DOCUMENTATION = r"""
name: measure_problems
author: picluster.spark maintainers (@picluster)
version_added: 0.3.0
short_description: The measurement's bad inputs, checked on the controller
description:
  - Returns one message per input C(playbooks/measure.yml) cannot use, read on the controller
    where the source, the generated data and the results live; an empty list when all is well.
  - Without a source, the size must be a number of MB above 0 and the work directory writable
    (or makeable); a source must exist and be readable; the output directory must be writable
    (or makeable); the paths on the nodes must be absolute, and the share's apart from the
    local one when the share is on.
options:
  size_mb:
    description: The CSV's size in MB (C(measure_size_mb)).
    type: raw
    default: 0
  source:
    description: A file or directory on the controller to measure instead (C(measure_source)).
    type: str
    default: ""
  output_dir:
    description: Where the CSV, JSON and PNG go on the controller (C(measure_output_dir)).
    type: str
    default: ""
  work_dir:
    description: Where the CSV is generated on the controller (C(measure_work_dir)).
    type: str
    default: ""
  path:
    description: The data's path on every node (C(measure_path)).
    type: str
    default: ""
  nfs_path:
    description: The data's path on the share (C(measure_nfs_path)).
    type: str
    default: ""
  nfs:
    description: Whether the share is on (C(nfs_share_enabled)).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Refuse bad input before any node changes
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ lookup('picluster.spark.measure_problems', size_mb=0, output_dir='.', path='/data/m') }}"
"""

RETURN = r"""
_raw:
  description: One list of messages (empty when every input is usable).
  type: list
  elements: list
"""

from ansible.errors import AnsibleLookupError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.lookup import LookupBase
from ansible_collections.picluster.spark.plugins.module_utils.measure import input_problems

# The options above and their defaults; read from the keywords as they are, so
# the lookup needs no configuration lookup (and a unit test no plugin loader).
_DEFAULTS = {
    "size_mb": 0,
    "source": "",
    "output_dir": "",
    "work_dir": "",
    "path": "",
    "nfs_path": "",
    "nfs": False,
}


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        unknown = sorted(set(kwargs) - set(_DEFAULTS))
        if terms or unknown:
            raise AnsibleLookupError(
                f"measure_problems takes only the keywords {', '.join(_DEFAULTS)}"
                f" (got terms {list(terms)} and keywords {unknown})"
            )
        options = {**_DEFAULTS, **kwargs}
        return [
            input_problems(
                options["size_mb"],
                str(options["source"] or ""),
                str(options["output_dir"] or ""),
                work_dir=str(options["work_dir"] or ""),
                path=str(options["path"] or ""),
                nfs_path=str(options["nfs_path"] or ""),
                nfs=boolean(options["nfs"], strict=False),
            )
        ]
