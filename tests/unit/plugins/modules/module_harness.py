"""Run a module's main() in-process and catch its answer, for the module tests here."""

import pytest
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


class ExitJson(Exception):
    pass


class FailJson(Exception):
    pass


def _raise(kind):
    def handler(_self, **result):
        # As AnsibleModule.fail_json does, a failure says so in its result.
        if kind is FailJson:
            result["failed"] = True
        raise kind(result)

    return handler


def run_module(monkeypatch, module, **args):
    """(ExitJson or FailJson, the result dict) of module.main() given args."""
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _raise(ExitJson))
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _raise(FailJson))
    with patch_module_args(args), pytest.raises((ExitJson, FailJson)) as caught:
        module.main()
    return caught.type, caught.value.args[0]
