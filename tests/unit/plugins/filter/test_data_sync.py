"""Unit tests of the data_sync filters: the dataset plan, rsync statistics, free space, report."""

import importlib.util
import pathlib

import pytest
from ansible.errors import AnsibleFilterError

_PATH = pathlib.Path(__file__).resolve().parents[4] / "plugins" / "filter" / "data_sync.py"
_SPEC = importlib.util.spec_from_file_location("data_sync_filter", _PATH)
ds_filter = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(ds_filter)

MB = 1048576
DEFAULTS = {
    "name": "",
    "src": "",
    "dest": "",
    "src_on": "controller",
    "delete": False,
    "bwlimit_kbps": 0,
    "verify": False,
    "compress": False,
}

STATS_FIRST = """\
<<CHANGED>>>f+++++++++ big.csv

Number of files: 2 (reg: 1, dir: 1)
Number of created files: 1 (reg: 1)
Number of deleted files: 0
Number of regular files transferred: 1
Total file size: 30000000 bytes
Total transferred file size: 30000000 bytes
Literal data: 30000000 bytes
Matched data: 0 bytes
File list size: 0
File list generation time: 0.001 seconds
File list transfer time: 0.000 seconds
Total bytes sent: 30007434
Total bytes received: 38

sent 30007434 bytes  received 38 bytes  8573563.43 bytes/sec
total size is 30000000  speedup is 1.00
"""

STATS_NOTHING = """\
Number of files: 2 (reg: 1, dir: 1)
Number of created files: 0
Number of deleted files: 3 (reg: 3)
Number of regular files transferred: 0
Total file size: 30000000 bytes
Total transferred file size: 0 bytes
Literal data: 0 bytes
Matched data: 0 bytes
File list size: 0
File list generation time: 0.001 seconds
File list transfer time: 0.000 seconds
Total bytes sent: 68
Total bytes received: 12

sent 68 bytes  received 12 bytes  160.00 bytes/sec
total size is 30000000  speedup is 375000.00
"""


def ds(name="a", src="/srv/a", dest="/data/a", **extra):
    item = {"name": name, "src": src, "dest": dest}
    item.update(extra)
    return item


def plan(*datasets):
    return ds_filter.plan(list(datasets), DEFAULTS)


def problems(*datasets):
    return plan(*datasets)["problems"]


def test_plan_fills_defaults_and_trims_dest():
    result = plan(ds(dest="/data/a/", delete="yes", bwlimit_kbps="500"))
    assert result["problems"] == []
    (item,) = result["datasets"]
    assert item["dest"] == "/data/a"
    assert item["delete"] is True
    assert item["bwlimit_kbps"] == 500
    assert item["src_on"] == "controller"
    assert item["verify"] is False


def test_plan_expands_home_only_on_the_controller(monkeypatch):
    monkeypatch.setenv("HOME", "/home/op")
    result = plan(ds(src="~/d"), ds(name="b", src="~/d", src_on="master", dest="/data/b"))
    local, remote = result["datasets"]
    assert local["src"] == "/home/op/d"
    assert remote["src"] == "~/d"
    assert result["problems"] == [
        "dataset 'b': src must be an absolute path (or start with ~ on the controller), got '~/d'"
    ]


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"name": "a", "src": "/s", "dest": "/d", "color": "red"}, "unknown key(s) color"),
        ({"name": "a", "src": "/s", "dest": "/d", "delete": "maybe"}, "delete must be true or false"),
        ({"name": "a", "src": "/s", "dest": "/d", "verify": None}, "verify must be true or false"),
        (
            {"name": "a", "src": "/s", "dest": "/d", "bwlimit_kbps": "fast"},
            "bwlimit_kbps must be a whole number",
        ),
        ("just-a-string", "must be a mapping"),
    ],
)
def test_plan_reports_bad_shapes(bad, message):
    result = ds_filter.plan([bad], DEFAULTS)
    assert result["datasets"] == []
    assert len(result["problems"]) == 1
    assert message in result["problems"][0]


def test_plan_of_something_not_a_list():
    assert ds_filter.plan({"name": "a"}, DEFAULTS)["problems"][0].startswith(
        "data_sync_datasets must be a list"
    )


def test_sound_declaration_has_no_problems():
    assert problems(ds(), ds(name="b", dest="/data/b"), ds(name="c", dest="/srv/data/c")) == []


@pytest.mark.parametrize("dest", ["/opt/datasets", "/var/lib/data", "/home/pi/data", "/mnt/usb/data"])
def test_a_directory_of_its_own_below_a_system_directory_is_fine(dest):
    assert problems(ds(dest=dest)) == []


@pytest.mark.parametrize(
    "dest, message",
    [
        ("", "dest is empty"),
        ("data/a", "must be an absolute path"),
        ("/data/../etc", "normalized path"),
        ("/data//a", "normalized path"),
        ("/data/./a", "normalized path"),
        ("/", "system directory"),
        ("//", "system directory"),
        ("/etc", "system directory"),
        ("/etc/", "system directory"),
        ("/home", "system directory"),
        ("/opt", "system directory"),
        ("/srv", "system directory"),
        ("/var", "system directory"),
        ("/usr/share/data", "lies under /usr"),
        ("/proc/1", "lies under /proc"),
        # The shared list (module_utils/system_paths.py) that nfs_share reads too.
        ("/opt/spark", "system directory"),
        ("/var/lib/nfs", "system directory"),
        ("/tmp/data", "lies under /tmp"),
        ("/root/data", "lies under /root"),
        ("/var/lib/nfs/data", "lies under /var/lib/nfs"),
    ],
)
def test_dangerous_or_malformed_dest_is_refused(dest, message):
    found = problems(ds(dest=dest))
    assert len(found) == 1
    assert message in found[0]


def test_same_dest_twice_is_refused():
    assert problems(ds(), ds(name="b", dest="/data/a/")) == [
        "dataset 'b': dest /data/a is also the dest of dataset 'a'"
    ]


def test_nested_dests_are_refused_either_way():
    assert "nested" in problems(ds(dest="/data"), ds(name="b", dest="/data/b"))[0]
    assert "nested" in problems(ds(dest="/data/a/x"), ds(name="b", dest="/data/a"))[0]


def test_sibling_with_common_prefix_is_not_nested():
    assert problems(ds(dest="/data/a"), ds(name="b", dest="/data/ab")) == []


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"name": ""}, "name is empty"),
        ({"src": ""}, "src is empty"),
        ({"src": "relative/dir"}, "src must be an absolute path"),
        ({"src_on": "laptop"}, "src_on must be one of"),
        ({"bwlimit_kbps": -1}, "bwlimit_kbps must be 0"),
    ],
)
def test_other_declaration_problems(extra, message):
    found = problems(ds(**extra))
    assert any(message in line for line in found), found


def test_duplicate_names_are_refused():
    assert problems(ds(), ds(dest="/data/b")) == ["dataset 'a': the name is used twice"]


def test_rsync_stats_of_a_first_transfer():
    stats = ds_filter.rsync_stats(STATS_FIRST.splitlines())
    assert stats["bytes_sent"] == 30007434
    assert stats["bytes_received"] == 38
    assert stats["files_transferred"] == 1
    assert stats["transferred_size"] == 30000000
    assert stats["total_size"] == 30000000
    # 30007472 bytes at 8573563.43 bytes/sec is 3.5 s: rsync's 3 whole seconds + 0.5
    assert stats["seconds"] == 3


def test_rsync_stats_of_an_unchanged_tree():
    stats = ds_filter.rsync_stats(STATS_NOTHING)
    assert stats["files_transferred"] == 0
    assert stats["files_deleted"] == 3
    assert stats["transferred_size"] == 0
    assert stats["seconds"] == 0


def test_rsync_stats_of_a_registered_result():
    result = {"item": {"name": "taxi"}, "changed": True, "stdout_lines": STATS_FIRST.splitlines()}
    stats = ds_filter.rsync_stats(result)
    assert (stats["dataset"], stats["changed"], stats["bytes_sent"]) == ("taxi", True, 30007434)


def test_rsync_stats_accepts_a_decimal_comma():
    assert (
        ds_filter.rsync_stats(STATS_NOTHING.replace("160.00 bytes/sec", "160,00 bytes/sec"))["seconds"] == 0
    )


def test_rsync_stats_without_summary_fails():
    with pytest.raises(AnsibleFilterError, match="no --stats summary"):
        ds_filter.rsync_stats(["<<CHANGED>>>f+++++++++ big.csv"])


SPACE = {
    "/data/a": {"existing": "/data", "device": 7, "available": 600 * MB},
    "/data/b": {"existing": "/data", "device": 7, "available": 600 * MB},
    "/srv/c": {"existing": "/", "device": 1, "available": 10 * 1024 * MB},
    "/data/m": {"existing": "/", "device": 1, "available": 10 * 1024 * MB},
}


def space(datasets, dry_bytes, sources, reserve_mb, host="n1"):
    items = plan(*datasets)["datasets"]
    return ds_filter.space_problems(items, dry_bytes, sources, SPACE, reserve_mb * MB, host, "master")


def test_space_adds_up_datasets_on_one_filesystem():
    datasets = [ds(dest="/data/a"), ds(name="b", dest="/data/b"), ds(name="c", dest="/srv/c")]
    dry = {"a": 200 * MB, "b": 200 * MB, "c": 5000 * MB}
    assert space(datasets, dry, {}, 100) == []
    assert space(datasets, dry, {}, 256) == [
        "the filesystem of /data: dataset(s) a, b need 400 MB (+ 256 MB reserve) but only 600 MB are free"
    ]


def test_space_without_a_dry_run_counts_the_whole_source():
    assert space([ds(dest="/data/a")], {}, {"a": {"bytes": 500 * MB}}, 256) != []
    assert space([ds(dest="/data/a")], {}, {"a": {"bytes": 300 * MB}}, 256) == []


def test_nothing_to_move_needs_no_space():
    assert space([ds(dest="/data/a")], {"a": 0}, {"a": {"bytes": 10 * 1024 * MB}}, 256) == []


def test_data_in_place_on_the_master_needs_no_space():
    master_ds = [ds(name="m", src="/data/m", dest="/data/m", src_on="master")]
    sources = {"m": {"bytes": 20 * 1024 * MB}}
    assert space(master_ds, {}, sources, 256, host="master") == []
    assert space(master_ds, {}, sources, 256, host="n1") != []


def test_report_table_lines_up():
    row = ds_filter.rsync_stats(
        {"item": {"name": "taxi"}, "changed": True, "stdout_lines": STATS_FIRST.splitlines()}
    )
    lines = ds_filter.report_table({"pi2": [row], "pi1": [row]}, 4.25)
    assert lines[0].split() == ["node", "dataset", "bytes", "sent", "files", "deleted", "seconds"]
    assert lines[1].split() == ["pi1", "taxi", "30007434", "1", "0", "3"]
    assert lines[2].startswith("pi2")
    assert lines[-1] == "transfer wall time, all nodes: 4.2 s"
    assert len({len(line) for line in lines[:3]}) == 1


def test_filters_are_registered_under_their_documented_names():
    assert set(ds_filter.FilterModule().filters()) == {
        "data_sync_plan",
        "data_sync_source_sides",
        "data_sync_sources",
        "data_sync_source_problems",
        "data_sync_in_place",
        "data_sync_transfers",
        "data_sync_rsync_stats",
        "data_sync_space_problems",
        "data_sync_report_table",
        "data_sync_access_problems",
    }


CONTROLLER = {
    "item": {"src_on": "controller"},
    "rsync": "/usr/bin/rsync",
    "measured": {
        "/srv/a": {"exists": True, "kind": "directory", "bytes": 5},
        "/srv/gone": {"exists": False, "kind": "missing", "bytes": 0},
    },
}
MASTER = {
    "item": {"src_on": "master"},
    "measured": {
        "/data/m": {"exists": True, "kind": "file", "bytes": 3},
        "/dev/null": {"exists": True, "kind": "other", "bytes": 0},
    },
}


def test_source_sides_put_the_controller_first_and_the_master_only_when_needed():
    datasets = plan(ds(), ds(name="m", src="/data/m", dest="/data/mm", src_on="master"))["datasets"]
    assert ds_filter.source_sides(datasets, "nuc") == [
        {"src_on": "controller", "host": "localhost", "become": False, "measure": ["/srv/a"]},
        {"src_on": "master", "host": "nuc", "become": True, "measure": ["/data/m"]},
    ]
    only_master = plan(ds(name="m", src="/data/m", dest="/data/mm", src_on="master"))["datasets"]
    assert [side["src_on"] for side in ds_filter.source_sides(only_master, "nuc")] == ["controller", "master"]
    assert ds_filter.source_sides(plan(ds())["datasets"], "") == [
        {"src_on": "controller", "host": "localhost", "become": False, "measure": ["/srv/a"]}
    ]
    # The controller's rsync is still checked when there is nothing to sync.
    assert ds_filter.source_sides([], "") == [
        {"src_on": "controller", "host": "localhost", "become": False, "measure": []}
    ]


def test_sources_come_from_the_probe_where_each_source_is():
    datasets = plan(ds(), ds(name="m", src="/data/m", dest="/data/mm", src_on="master"))["datasets"]
    assert ds_filter.sources(datasets, [CONTROLLER, MASTER]) == {
        "a": CONTROLLER["measured"]["/srv/a"],
        "m": MASTER["measured"]["/data/m"],
    }


def test_sources_without_master_datasets_need_no_master_probe():
    assert ds_filter.sources(plan(ds())["datasets"], [CONTROLLER]) == {"a": CONTROLLER["measured"]["/srv/a"]}


def test_a_source_the_probe_did_not_measure_fails_clearly():
    with pytest.raises(AnsibleFilterError, match=r"the master probe did not measure /data/x \(dataset 'x'\)"):
        ds_filter.sources(plan(ds(name="x", src="/data/x", src_on="master"))["datasets"], [CONTROLLER])


def _source_problems(controller_rsync, *datasets):
    items = plan(*datasets)["datasets"]
    return ds_filter.source_problems(items, ds_filter.sources(items, [CONTROLLER, MASTER]), controller_rsync)


def test_sound_sources_have_no_problems():
    assert (
        _source_problems(
            "/usr/bin/rsync", ds(), ds(name="m", src="/data/m", dest="/data/mm", src_on="master")
        )
        == []
    )


def test_missing_and_odd_sources_and_no_rsync_are_each_named():
    assert _source_problems(
        None,
        ds(),
        ds(name="g", src="/srv/gone", dest="/data/g"),
        ds(name="n", src="/dev/null", dest="/data/n", src_on="master"),
    ) == [
        "the controller has no rsync; install it (apt install rsync)",
        "dataset 'g': source /srv/gone on the controller does not exist",
        "dataset 'n': source /dev/null on the master is neither a directory nor a regular file",
    ]


@pytest.mark.parametrize("rsync", [None, "", False])
def test_no_rsync_on_the_controller_is_a_problem(rsync):
    assert _source_problems(rsync, ds()) == ["the controller has no rsync; install it (apt install rsync)"]


@pytest.mark.parametrize(
    ("dataset", "host", "expected"),
    [
        ({"src_on": "master", "src": "/data/m", "dest": "/data/m"}, "master", True),
        ({"src_on": "master", "src": "/data/m/", "dest": "/data/m"}, "master", True),
        ({"src_on": "master", "src": "/data/m//", "dest": "/data/m"}, "master", True),
        ({"src_on": "master", "src": "/data/m", "dest": "/data/m"}, "pi1", False),
        ({"src_on": "master", "src": "/data/src", "dest": "/data/m"}, "master", False),
        ({"src_on": "controller", "src": "/data/m", "dest": "/data/m"}, "master", False),
    ],
)
def test_in_place_only_on_the_master_for_its_own_source_at_dest(dataset, host, expected):
    assert ds_filter.in_place(dataset, host, "master") is expected


KINDS = {
    "a": {"kind": "directory"},
    "f": {"kind": "file"},
    "m": {"kind": "directory"},
    "mf": {"kind": "file"},
}
TRANSFER_DATASETS = [
    ds(),
    ds(name="f", src="/srv/f.csv", dest="/data/f"),
    ds(name="m", src="/data/m/", dest="/data/m", src_on="master"),
    ds(name="mf", src="/srv/logs/x.log", dest="/data/mf", src_on="master"),
]


def transfers(host="n1", key="/home/pi/.ssh/id_ed25519"):
    items = plan(*TRANSFER_DATASETS)["datasets"]
    return ds_filter.transfers(items, KINDS, host, "nuc", key)


def test_transfers_from_the_controller_stay_undelegated_and_keep_the_nodes_key():
    got = transfers()
    assert got["a"] == {
        "delegate_to": None,
        "src": "/srv/a/",
        "in_place": False,
        "private_key": None,
        "source_host": "localhost",
        "source_become": False,
    }
    assert got["f"]["src"] == "/srv/f.csv"
    assert got["f"]["delegate_to"] is None


def test_transfers_from_the_master_run_there_with_its_key():
    got = transfers()
    assert got["m"] == {
        "delegate_to": "nuc",
        "src": "/data/m/",
        "in_place": False,
        "private_key": "/home/pi/.ssh/id_ed25519",
        "source_host": "nuc",
        "source_become": True,
    }
    assert got["mf"]["src"] == "/srv/logs/x.log"


@pytest.mark.parametrize("key", ["", None])
def test_transfers_from_the_master_without_a_key_use_none(key):
    assert transfers(key=key)["m"]["private_key"] is None


def test_transfers_skip_only_the_masters_own_source_at_dest_on_the_master():
    assert {name: t["in_place"] for name, t in transfers(host="nuc").items()} == {
        "a": False,
        "f": False,
        "m": True,
        "mf": False,
    }
    assert not any(t["in_place"] for t in transfers(host="n1").values())


def test_transfers_give_a_directory_one_trailing_slash():
    items = plan(ds(src="/srv/a//"))["datasets"]
    assert ds_filter.transfers(items, KINDS, "n1", "nuc")["a"]["src"] == "/srv/a/"


# --- who may read and change the synced data ---------------------------------------


def _access(owner="root", group="spark", dir_mode="0755", file_mode="0644"):
    return {"owner": owner, "group": group, "dir_mode": dir_mode, "file_mode": file_mode}


@pytest.mark.parametrize(
    "settings",
    [
        _access(),
        _access(dir_mode="0750", file_mode="0640"),
        _access(dir_mode="755", file_mode="444"),
        _access(group="root"),  # as everyone else, with 0755 and 0644
        _access(group="data", dir_mode="0705", file_mode="0604"),
    ],
)
def test_spark_reads_and_cannot_change(settings):
    assert ds_filter.access_problems(settings, "spark", "spark") == []


def test_the_spark_account_as_owner_could_change_the_data():
    (problem,) = ds_filter.access_problems(_access(owner="spark"), "spark", "spark")
    assert problem.startswith("Spark jobs (account 'spark') could change or delete the synced data:")
    assert "it owns them (data_sync_owner 'spark')" in problem
    assert "data_sync_allow_spark_writes: true" in problem


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (_access(dir_mode="0775"), ["data_sync_dir_mode 0775 lets it add and delete files"]),
        (_access(file_mode="0664"), ["data_sync_file_mode 0664 lets it change the files"]),
        (
            _access(group="data", dir_mode="0757", file_mode="0646"),
            [
                "data_sync_dir_mode 0757 lets it add and delete files",
                "data_sync_file_mode 0646 lets it change the files",
            ],
        ),
    ],
)
def test_write_bits_that_reach_spark(settings, named):
    (problem,) = ds_filter.access_problems(settings, "spark", "spark")
    for text in named:
        assert text in problem


def test_group_write_bits_for_another_group_are_not_sparks():
    assert (
        ds_filter.access_problems(_access(group="data", dir_mode="0775", file_mode="0664"), "spark", "spark")
        == []
    )


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (
            _access(group="data", dir_mode="0750", file_mode="0640"),
            "list and enter the directories (data_sync_dir_mode 0750)",
        ),
        (_access(dir_mode="0705"), "list and enter the directories (data_sync_dir_mode 0705)"),
        (_access(dir_mode="0745"), "list and enter the directories (data_sync_dir_mode 0745)"),
        (_access(file_mode="0600"), "read the files (data_sync_file_mode 0600)"),
    ],
)
def test_modes_that_keep_spark_out(settings, named):
    problems = ds_filter.access_problems(settings, "spark", "spark")
    assert len(problems) == 1
    assert problems[0].startswith("Spark jobs (account 'spark') could not ")
    assert named in problems[0]


def test_unreadable_as_everyone_else_names_owner_and_group():
    (problem,) = ds_filter.access_problems(_access(group="data", file_mode="0640"), "spark", "spark")
    assert "as one of everyone else (owner 'root', group 'data'); give everyone read access" in problem


def test_the_opt_in_allows_writes_but_not_unreadable_data():
    assert ds_filter.access_problems(_access(owner="spark", dir_mode="0775"), "spark", "spark", True) == []
    problems = ds_filter.access_problems(_access(owner="spark", file_mode="0244"), "spark", "spark", True)
    assert len(problems) == 1
    assert "could not read the files" in problems[0]


def test_malformed_modes_are_left_to_the_mode_check():
    assert ds_filter.access_problems(_access(owner="spark", dir_mode="rwx"), "spark", "spark") == []
