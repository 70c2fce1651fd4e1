"""Unit tests of the sha512_file filter: the four .sha512 shapes and what is not one."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import checksum

HEX = "3C63F6A5" * 15 + "0123ABCD"
DIGEST = HEX.lower()
GROUPS = " ".join(HEX[i : i + 8] for i in range(0, 128, 8))
ARCHIVE = "spark-3.5.9-bin-hadoop3.tgz"


def read(text):
    parsed = checksum.sha512_file(text)
    return parsed["format"], parsed["digest"], parsed["file_name"]


def test_filter_is_registered_under_its_documented_name():
    assert checksum.FilterModule().filters() == {"sha512_file": checksum.sha512_file}


@pytest.mark.parametrize(
    "text",
    [
        HEX,
        DIGEST,
        f"sha512:{HEX}",
        f"SHA512:{DIGEST}",
        f"sha512: {DIGEST}",
        GROUPS,
        GROUPS.replace(" ", "\n"),
        f"\n  {DIGEST}\n",
    ],
)
def test_bare_hex(text):
    assert read(text) == ("hex", DIGEST, "")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"SHA512 ({ARCHIVE}) = {DIGEST}", ARCHIVE),
        (f"SHA512 ({ARCHIVE}) = {HEX}\n", ARCHIVE),
        (f"SHA512 (downloads/{ARCHIVE}) = {HEX}", ARCHIVE),
        (f"SHA512 (name (1).tgz) = {HEX}", "name (1).tgz"),
        # Several entries: the first one (the YAML took a name from the first '(' to the last ')').
        (f"SHA512 (a.tgz) = {HEX}\nSHA512 (b.tgz) = {'0' * 128}", "a.tgz"),
    ],
)
def test_bsd(text, name):
    assert read(text) == ("bsd", DIGEST, name)


@pytest.mark.parametrize("text", ["SHA512 (x.tgz) = zz", "SHA512 (broken", "SHA512 () = " + HEX])
def test_bsd_without_a_digest_gives_none(text):
    assert read(text) == ("bsd", "", "")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"{DIGEST}  {ARCHIVE}", ARCHIVE),
        (f"{HEX} *{ARCHIVE}\n", ARCHIVE),
        (f"{DIGEST}\t{ARCHIVE} trailing words", ARCHIVE),
        (f"{DIGEST}  /tmp/{ARCHIVE}", ARCHIVE),
        (f"sha512: {DIGEST}  {ARCHIVE}", ARCHIVE),  # the YAML read no format here
        (f"{DIGEST}  cafe", "cafe"),  # the YAML took a hex-only name for more digest
    ],
)
def test_gnu(text, name):
    assert read(text) == ("gnu", DIGEST, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"{ARCHIVE}: {GROUPS}", ARCHIVE),
        (f"{ARCHIVE}:\n" + GROUPS.replace(" ", "\n    "), ARCHIVE),
        (f"/build/out/{ARCHIVE}: {GROUPS}\n", ARCHIVE),
        (f"  {ARCHIVE} : {GROUPS}", ARCHIVE),
    ],
)
def test_apache(text, name):
    assert read(text) == ("apache", DIGEST, name)


def test_apache_digest_is_not_checked_here():
    # The role's next check says the digest is not 128 hex digits.
    assert read(f"{ARCHIVE}: not hex") == ("apache", "nothex", ARCHIVE)
    assert read(f"sha256:{DIGEST}") == ("apache", DIGEST, "sha256")


@pytest.mark.parametrize("text", ["", "   ", "junk", None, "sha512:"])
def test_unknown(text):
    assert read(text) == ("unknown", "", "")


def test_short_hex_is_read_as_hex_and_left_to_the_caller():
    assert read("0" * 127) == ("hex", "0" * 127, "")
