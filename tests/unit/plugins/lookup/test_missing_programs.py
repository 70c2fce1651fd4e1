import os
import stat

from ansible_collections.picluster.spark.plugins.lookup.missing_programs import LookupModule, missing_programs


def _program(directory, name):
    path = directory / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_nothing_missing_when_every_program_is_on_the_path(tmp_path):
    _program(tmp_path, "rsync")
    _program(tmp_path, "ssh")
    assert missing_programs(["rsync", "ssh"], path=str(tmp_path)) == []


def test_missing_programs_are_named_with_their_package(tmp_path):
    _program(tmp_path, "ssh")
    assert missing_programs(["ssh", "rsync", "python3", "zstd"], path=str(tmp_path)) == [
        "rsync (Debian package rsync)",
        "python3 (Debian package python3)",
        "zstd",
    ]


def test_a_file_that_is_not_executable_does_not_count(tmp_path):
    (tmp_path / "rsync").write_text("not a program")
    assert missing_programs(["rsync"], path=str(tmp_path)) == ["rsync (Debian package rsync)"]


def test_an_absolute_path_must_be_an_executable_file(tmp_path):
    python = _program(tmp_path, "python3")
    assert missing_programs([str(python)]) == []
    assert missing_programs([str(tmp_path / "nope" / "python3")]) == [
        f"{tmp_path}/nope/python3 (Debian package python3)"
    ]


def test_the_lookup_reads_the_controller_path(tmp_path, monkeypatch):
    _program(tmp_path, "ssh")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert LookupModule().run(["ssh", "rsync"], variables={}) == ["rsync (Debian package rsync)"]
    assert os.environ["PATH"] == str(tmp_path)


def test_the_lookup_takes_a_list_as_one_term(tmp_path, monkeypatch):
    # site.yml calls query('picluster.spark.missing_programs', a_list_variable).
    python = _program(tmp_path, "python3")
    _program(tmp_path, "ssh")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert LookupModule().run([["ssh", str(python)]], variables={}) == []
    assert LookupModule().run([["ssh", "rsync"]], variables={}) == ["rsync (Debian package rsync)"]
