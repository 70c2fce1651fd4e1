"""Every filter and test plugin has the documentation ansible-doc renders, and runs in a
play by its full name."""

import importlib
import pathlib

import pytest
import yaml

PLUGINS = pathlib.Path(__file__).resolve().parents[3] / "plugins"
KINDS = {"filter": ("FilterModule", "filters"), "test": ("TestModule", "tests")}


def _registered(kind):
    """{name: python file} of every plugin of this kind."""
    found = {}
    cls_name, method = KINDS[kind]
    for path in sorted((PLUGINS / kind).glob("*.py")):
        module = importlib.import_module(f"ansible_collections.picluster.spark.plugins.{kind}.{path.stem}")
        for name in getattr(getattr(module, cls_name)(), method)():
            found[name] = path
    return found


def _descriptions(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description":
                yield from value if isinstance(value, list) else [value]
            else:
                yield from _descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _descriptions(item)


CASES = [(kind, name) for kind in KINDS for name in _registered(kind)]


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_each_plugin_has_its_documentation_beside_it(kind, name):
    doc = yaml.safe_load((PLUGINS / kind / f"{name}.yml").read_text())
    assert doc["DOCUMENTATION"]["name"] == name
    assert doc["DOCUMENTATION"]["short_description"]
    assert doc["EXAMPLES"].strip()
    assert "_value" in doc["RETURN"]
    assert "_input" in doc["DOCUMENTATION"]["options"]
    # A stray ': ' in a plain YAML line makes a mapping, which ansible-doc cannot render.
    for text in _descriptions(doc):
        assert isinstance(text, str), text


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_documentation_without_a_plugin(kind):
    documented = {path.stem for path in (PLUGINS / kind).glob("*.yml")}
    assert documented == set(_registered(kind))


def test_the_plugins_run_in_a_play_by_their_full_names(ansible_debug):
    out = ansible_debug(
        "{{ ["
        " '1g' is picluster.spark.spark_memory,"
        " '10.0.0.1' is picluster.spark.ipv4_address,"
        " ('HEX  spark.tgz' | picluster.spark.sha512_file).format,"
        " (['/etc'] | picluster.spark.nfs_share_path_problems).system,"
        " (['10.0.0.5/24'] | picluster.spark.nfs_share_network_problems).host_bits_set,"
        " (groups | picluster.spark.cluster_layout(hostvars)).master_url,"
        " ([] | picluster.spark.cluster_worker_totals(hostvars)).memory_mb,"
        " (([{'name': 'a', 'address': '1'}] * 2) | picluster.spark.hosts_entries_duplicates).names,"
        " [] | picluster.spark.line_count_table | length"
        " ] | to_json }}"
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        r'"msg": "[true, true, \"unknown\", [\"/etc\"], [\"10.0.0.5/24\"], \"spark://:7077\", 0, [\"a\"], 1]"'
        in out.stdout
    )
