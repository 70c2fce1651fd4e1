"""Every role README's variable table is the one bed/role-docs.py writes from the role's
argument spec, so a changed default or a new variable cannot leave the README behind.
"""

import importlib.util
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bed" / "role-docs.py"

_spec = importlib.util.spec_from_file_location("role_docs", SCRIPT)
role_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(role_docs)


def test_role_readmes_are_current():
    stale = [str(path.relative_to(REPO)) for path, old, new in role_docs.role_readmes(REPO) if old != new]
    assert not stale, f"out of date (run bed/role-docs.py): {', '.join(stale)}"


def test_check_command_passes():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_every_role_has_a_table():
    for spec in REPO.glob("roles/*/meta/argument_specs.yml"):
        readme = (spec.parents[1] / "README.md").read_text()
        assert role_docs.BEGIN in readme, spec.parents[1].name
        assert "| Variable | Type | Default | Required | Description |" in readme


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("C(spark://<address>:<port>)", "`spark://<address>:<port>`"),
        ("O(data_sync_src_on)", "`data_sync_src_on`"),
        ("O(data_sync_schedule_state=absent) stops it", "`data_sync_schedule_state=absent` stops it"),
        ("V(auto) picks", "`auto` picks"),
        ("M(picluster.spark.wait_for_workers)", "`picluster.spark.wait_for_workers`"),
        ("P(picluster.spark.sha512_file#filter)", "`picluster.spark.sha512_file#filter`"),
        ("(C(.name.XXXXXX), then C(.data-sync-partial/))", "(`.name.XXXXXX`, then `.data-sync-partial/`)"),
        ("I(only) B(this) U(https://spark.apache.org)", "*only* **this** <https://spark.apache.org>"),
        ("L(the docs,https://example.org/x)", "[the docs](https://example.org/x)"),
        ("C(a`b)", "``a`b``"),
        ("SPARK_HOME(C) and ABC(x) stay", "SPARK_HOME(C) and ABC(x) stay"),
    ],
)
def test_markup(text, markdown):
    assert role_docs.markup(text) == markdown


def test_cell_escapes_pipes_and_joins_lines():
    assert role_docs.cell("`a | b`\n  c") == "`a \\| b` c"


SPEC = """\
---
argument_specs:
  main:
    short_description: A role for the test
    options: &demo_options
      demo_items:
        type: list
        elements: dict
        default: [{path: /srv/a, mount: true}]
        description:
          - The items, each at C(path).
          - Empty for none; O(demo_mode=fast) skips them.
        options:
          path:
            type: str
            required: true
            description: Absolute path.
      demo_names:
        type: list
        elements: str
        default: [rw, "4.2", "{{ demo_home }}/x"]
        description: Names | with a pipe.
      demo_mode:
        choices: [slow, fast, "off"]
        default: slow
        description: V(slow) or V(fast).
      demo_home:
        type: path
        default: "{{ lookup('env', 'HOME') | default('/root') }}"
        description: Jinja, as written.
      demo_url:
        type: str
        default: >-
          https://example.org/{{ demo_mode }}/some/rather/long/path/{{ demo_home
          }}/archive-with-a-long-name.tgz
        description: Long.
      demo_script:
        type: str
        default: |
          #!/bin/sh
          exit 0
        description: Multi-line.
      demo_empty:
        type: str
        default: ""
      demo_required:
        type: int
        required: true
        description: No default.
  preflight:
    short_description: The checks alone
    options: *demo_options
"""

README = """\
# demo

Does things. Variables: `meta/argument_specs.yml`.

Variables: `meta/argument_specs.yml`.

## Notes

Stays.
"""


def make_role(root, name="demo", spec=SPEC, readme=README):
    (root / "roles" / name / "meta").mkdir(parents=True)
    (root / "roles" / name / "meta" / "argument_specs.yml").write_text(spec)
    (root / "roles" / name / "README.md").write_text(readme)
    return root / "roles" / name / "README.md"


def rows_of(readme):
    block = readme.split(role_docs.BEGIN)[1].split(role_docs.END)[0]
    return {line.split(" | ")[0][2:]: line for line in block.splitlines() if line.startswith("| `")}


def test_spec_with_anchors_and_list_defaults(tmp_path):
    readme = make_role(tmp_path)
    assert role_docs.main([], root=tmp_path) == 0
    text = readme.read_text()
    rows = rows_of(text)
    assert list(rows) == [
        "`demo_items`",
        "`demo_items[].path`",
        "`demo_names`",
        "`demo_mode`",
        "`demo_home`",
        "`demo_url`",
        "`demo_script`",
        "`demo_empty`",
        "`demo_required`",
    ]
    assert rows["`demo_items`"] == (
        "| `demo_items` | list of dict | `[{path: /srv/a, mount: true}]` | no "
        "| The items, each at `path`. Empty for none; `demo_mode=fast` skips them. |"
    )
    assert rows["`demo_items[].path`"] == "| `demo_items[].path` | str |  | yes | Absolute path. |"
    assert rows["`demo_names`"] == (
        '| `demo_names` | list of str | `[rw, "4.2", "{{ demo_home }}/x"]` | no | Names \\| with a pipe. |'
    )
    assert (
        rows["`demo_mode`"]
        == '| `demo_mode` | str: `slow`, `fast`, `"off"` | `slow` | no | `slow` or `fast`. |'
    )
    assert "| `{{ lookup('env', 'HOME') \\| default('/root') }}` |" in rows["`demo_home`"]
    assert (
        "| `https://example.org/{{ demo_mode }}/some/rather/long/path/{{ demo_home }}/…` |"
        in rows["`demo_url`"]
    )
    assert "| `#!/bin/sh …` |" in rows["`demo_script`"]
    assert rows["`demo_empty`"] == '| `demo_empty` | str | `""` | no |  |'
    assert rows["`demo_required`"] == "| `demo_required` | int |  | yes | No default. |"
    # The anchored preflight options are the same; the pointer lines went, the rest stays.
    assert "`preflight` takes the same ones." in text
    assert "Variables: `meta" not in text
    assert text.startswith(
        "# demo\n\nDoes things.\n\n## Notes\n\nStays.\n\n## Variables\n\n" + role_docs.BEGIN
    )
    assert text.endswith(role_docs.END + "\n")
    # A second run changes nothing.
    assert role_docs.main(["--check"], root=tmp_path) == 0


def test_table_replaced_between_markers(tmp_path):
    readme = make_role(
        tmp_path,
        readme=f"# demo\n\n## Variables\n\n{role_docs.BEGIN}\nold table\n{role_docs.END}\n\nExample after.\n",
    )
    role_docs.main([], root=tmp_path)
    text = readme.read_text()
    assert "old table" not in text
    assert text.endswith(f"{role_docs.END}\n\nExample after.\n")
    assert text.count("## Variables") == 1


def test_role_without_options_gets_a_table(tmp_path):
    readme = make_role(tmp_path, spec="argument_specs:\n  main:\n    short_description: Nothing\n")
    role_docs.main([], root=tmp_path)
    assert "| (none) | | | | This role takes no variables. |" in readme.read_text()


def test_variables_heading_without_markers_is_refused(tmp_path):
    readme = make_role(tmp_path, readme="# demo\n\n## Variables\n\n| hand | made |\n")
    with pytest.raises(SystemExit, match="without the markers"):
        role_docs.main([], root=tmp_path)
    assert readme.read_text() == "# demo\n\n## Variables\n\n| hand | made |\n"


def test_check_names_stale_readmes_and_changes_nothing(tmp_path):
    make_role(tmp_path)
    other = make_role(tmp_path, name="other")
    role_docs.main([], root=tmp_path)
    spec = tmp_path / "roles" / "other" / "meta" / "argument_specs.yml"
    spec.write_text(SPEC.replace("default: slow", "default: fast"))
    before = other.read_text()
    assert role_docs.main(["--check"], root=tmp_path) == 1
    assert other.read_text() == before


def test_check_output_names_each_stale_readme(tmp_path, capsys):
    make_role(tmp_path)
    make_role(tmp_path, name="other")
    assert role_docs.main(["--check"], root=tmp_path) == 1
    err = capsys.readouterr().err
    assert "roles/demo/README.md: variable table out of date" in err
    assert "roles/other/README.md: variable table out of date" in err
    assert "Variables: `meta/argument_specs.yml`." in (tmp_path / "roles" / "demo" / "README.md").read_text()
