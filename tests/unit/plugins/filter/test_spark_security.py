"""Unit tests of the spark_security filters: the shared secret's checks, Spark properties
files (read back with the rules of java.util.Properties.load) and port ranges."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import spark_security

SECRET = "a" * 20 + "B7" * 10 + "xyz"  # 43 letters and digits


def test_filters_are_registered_under_their_documented_names():
    assert spark_security.FilterModule().filters() == {
        "spark_secret_problems": spark_security.secret_problems,
        "spark_properties_file": spark_security.properties_file,
        "spark_port_ranges": spark_security.port_ranges,
        "spark_port_problems": spark_security.port_problems,
    }


@pytest.mark.parametrize("secret", [SECRET, "x" * 32, "Zz9" * 30, "a-b_c.d/e+f=" * 3])
def test_usable_secrets(secret):
    assert spark_security.secret_problems(secret) == []


@pytest.mark.parametrize(
    ("secret", "problems"),
    [
        ("", ["the secret is empty"]),
        (None, ["the secret is empty"]),
        ("short", ["the secret has 5 characters; it needs at least 32"]),
        ("x" * 31, ["the secret has 31 characters; it needs at least 32"]),
        (SECRET + " x", ["the secret contains whitespace"]),
        (SECRET + "\n", ["the secret contains whitespace"]),
        ("\t" + SECRET, ["the secret contains whitespace"]),
        (SECRET + "\x00", ["the secret contains control characters"]),
        (SECRET + "\x1b", ["the secret contains control characters"]),
        (SECRET + "\x7f", ["the secret contains control characters"]),
        (
            "ab c\x01",
            [
                "the secret has 5 characters; it needs at least 32",
                "the secret contains whitespace",
                "the secret contains control characters",
            ],
        ),
        (12345678901234567890123456789012345, ["the secret must be text, not int"]),
    ],
)
def test_unusable_secrets(secret, problems):
    assert spark_security.secret_problems(secret) == problems


@pytest.mark.parametrize("secret", ["short", "x" * 31 + " ", "supersecretvalue\x00"])
def test_problems_never_quote_the_secret(secret):
    problems = spark_security.secret_problems(secret)
    assert problems
    for problem in problems:
        assert secret.strip("\x00 ") not in problem


def test_no_secret_needed_without_authentication():
    assert spark_security.secret_problems("", authenticate=False) == []
    assert spark_security.secret_problems("short", False) == []


# java.util.Properties.load, reimplemented from its documented rules (JDK 17 javadoc):
# natural lines end at \n, \r or \r\n; leading whitespace (space, tab, form feed) is
# skipped; a line whose first other character is # or ! is a comment; an odd number of
# backslashes at the end joins the next line (its leading whitespace skipped); the key
# ends at the first unescaped =, : or whitespace, then whitespace and one = or : are
# skipped; \t \n \r \f and \uXXXX are escapes, any other escaped character is itself.
_WS = " \t\f"


def _logical_lines(text):
    natural = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, current = [], None
    for raw in natural:
        line = raw.lstrip(_WS)
        if current is None and (not line or line[0] in "#!"):
            continue
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2:
            current = (current or "") + line[:-1]
            continue
        lines.append((current or "") + line)
        current = None
    if current is not None:
        lines.append(current)
    return lines


def _unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = text[i + 1]
        if n == "u":
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
            continue
        out.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(n, n))
        i += 2
    return "".join(out)


def load_properties(text):
    result = {}
    for line in _logical_lines(text):
        i = 0
        while i < len(line) and line[i] not in "=:" + _WS:
            i += 2 if line[i] == "\\" else 1
        key, rest = line[:i], line[i:].lstrip(_WS)
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(_WS)
        result[_unescape(key)] = _unescape(rest)
    return result


def test_the_reader_follows_the_javadoc_examples():
    # The three lines from the Properties.load javadoc all give key "Truth", value "Beauty".
    assert load_properties("Truth = Beauty\n  Truth:Beauty\nTruth                    :Beauty\n") == {
        "Truth": "Beauty"
    }
    assert load_properties("fruits                           apple, banana, pear, \\\n    cantaloupe\n") == {
        "fruits": "apple, banana, pear, cantaloupe"
    }
    assert load_properties("cheeses\n# comment\n! too\n") == {"cheeses": ""}


def test_plain_properties_sorted_one_a_line():
    text = spark_security.properties_file(
        {"spark.ui.killEnabled": False, "spark.authenticate": True, "spark.x": 3}
    )
    assert text == "spark.authenticate=true\nspark.ui.killEnabled=false\nspark.x=3\n"


def test_no_properties_no_lines():
    assert spark_security.properties_file({}) == ""


@pytest.mark.parametrize(
    "value",
    [
        "-XX:+UseSerialGC -Dfoo=bar baz",  # spaces (a unit's -D list split these)
        "100%",  # systemd expanded % in Environment=
        "50%s %h %%",
        "C:\\path\\to\\x",
        "a\\",  # trailing backslash would join the next line
        "line1\nline2\r\nline3",
        "tab\there",
        "#not a comment",
        "!not a comment",
        "key=value:other",
        "ünïcödé ✓",
        "bell\x07 and del\x7f",
        "=starts with equals",
        ":starts with colon",
        "",
    ],
)
def test_values_read_back_as_written(value):
    text = spark_security.properties_file({"spark.test": value, "spark.after": "next"})
    assert load_properties(text) == {"spark.test": value, "spark.after": "next"}


def test_leading_whitespace_is_kept_by_properties_load():
    # Spark then trims values (Utils.getPropertiesFromFile), but the file itself is exact.
    text = spark_security.properties_file({"spark.a": "  two spaces", "spark.b": "\ttab"})
    assert load_properties(text) == {"spark.a": "  two spaces", "spark.b": "\ttab"}


@pytest.mark.parametrize(
    "key",
    ["spark.with space", "spark.eq=ual", "spark.co:lon", "#hash", "!bang", "spark.back\\slash", " lead"],
)
def test_keys_read_back_as_written(key):
    text = spark_security.properties_file({key: "v w"})
    assert load_properties(text) == {key: "v w"}


def test_every_line_is_one_property():
    text = spark_security.properties_file({"spark.a": "x\ny", "spark.b": "\\"})
    assert text.count("\n") == 2


@pytest.mark.parametrize(("props", "name"), [({"spark.a": None}, "spark.a"), ({"spark.b": [1]}, "spark.b")])
def test_values_that_are_no_property_fail(props, name):
    with pytest.raises(ValueError, match=name):
        spark_security.properties_file(props)


def test_an_empty_key_fails():
    with pytest.raises(ValueError, match="not a property name"):
        spark_security.properties_file({"": "x"})


def test_port_ranges_span_the_retries():
    assert spark_security.port_ranges({"driver": 40000, "ui": "4040"}, "16") == [
        {"name": "driver", "port": 40000, "last": 40016},
        {"name": "ui", "port": 4040, "last": 4056},
    ]
    assert spark_security.port_ranges({"master": 7077}) == [{"name": "master", "port": 7077, "last": 7077}]


def test_sound_port_ranges_have_no_problems():
    ranges = spark_security.port_ranges({"driver": 40000, "block_manager": 40100, "ui": 4040}, 16)
    assert spark_security.port_problems(ranges) == []


def test_overlapping_port_ranges():
    ranges = spark_security.port_ranges({"driver": 40000, "block_manager": 40010, "ui": 4040}, 16)
    assert spark_security.port_problems(ranges) == ["driver 40000-40016 overlaps block_manager 40010-40026"]


@pytest.mark.parametrize(("port", "retries"), [(80, 0), (65530, 16), (0, 0), (70000, 0)])
def test_ports_out_of_range(port, retries):
    problems = spark_security.port_problems(spark_security.port_ranges({"ui": port}, retries))
    assert problems == [f"ui {port}-{port + retries} is not within 1024-65535"]
