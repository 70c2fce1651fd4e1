# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The programs a play needs on the controller that its search path lacks."""

from __future__ import annotations

DOCUMENTATION = r"""
name: missing_programs
author: picluster.spark maintainers (@picluster)
version_added: 0.2.0
short_description: Programs the controller lacks
description:
  - Looks up each program on the controller's search path (C(PATH) of ansible-playbook) and
    returns those that are not there, as C(NAME (Debian package PACKAGE)) where the package is
    known, else the bare name.
  - A lookup runs on the controller, so site.yml's first play can name a missing C(ssh) or
    C(rsync) before it reaches any node.
  - A name with a slash is taken as a path and must be an executable file.
options:
  _terms:
    description: Program names (or absolute paths), or lists of them.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Check the controller has what the play calls
  ansible.builtin.assert:
    that: missing | length == 0
    fail_msg: "The controller lacks {{ missing | join(', ') }}."
  vars:
    missing: "{{ query('picluster.spark.missing_programs', 'ssh', 'rsync', 'python3') }}"
"""

RETURN = r"""
_raw:
  description: The programs not found, each with its Debian package where known; empty when all are there.
  type: list
  elements: str
"""

import os
import shutil

from ansible.plugins.lookup import LookupBase

# Debian packages of the programs the collection calls on the controller
# (bed/controller-tools lists them with the bed's own).
PACKAGES = {
    "ssh": "openssh-client",
    "scp": "openssh-client",
    "rsync": "rsync",
    "python3": "python3",
}


def missing_programs(names, path=None):
    """The names in ``names`` that ``path`` (default: $PATH) does not hold, with their package."""
    missing = []
    for name in names:
        if "/" in name:
            found = os.path.isfile(name) and os.access(name, os.X_OK)
        else:
            found = shutil.which(name, path=path) is not None
        if not found:
            package = PACKAGES.get(os.path.basename(name))
            missing.append(f"{name} (Debian package {package})" if package else name)
    return missing


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        # query('...', list_var) hands the list over as one term.
        names = [str(name) for term in terms for name in (term if isinstance(term, list) else [term])]
        return missing_programs(names)
