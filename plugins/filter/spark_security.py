# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What keeps the cluster closed (docs/security.md): the shared secret's checks, Spark
properties files written the way Spark reads them, and the port ranges a firewall names.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

# Spark's own minimum is none; 32 letters and digits are about 190 bits, and the
# generated secret has 64.
SECRET_MIN_LENGTH = 32

# java.util.Properties' short escapes (Properties.store writes these).
_SHORT_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}
# In a key these end it or start a comment: escaped with a backslash.
_KEY_SPECIALS = " =:#!"


def secret_problems(secret, authenticate=True):
    """What is wrong with the shared secret, as sentences that never quote it.

    Empty when authentication is off or the secret is usable: at least 32 characters,
    no whitespace and no control characters (it goes into properties files and an
    environment variable, where either would be cut or mangled).
    """
    if not authenticate:
        return []
    if secret is None:
        secret = ""
    if not isinstance(secret, str):
        return [f"the secret must be text, not {type(secret).__name__}"]
    if not secret:
        return ["the secret is empty"]
    problems = []
    if len(secret) < SECRET_MIN_LENGTH:
        problems.append(f"the secret has {len(secret)} characters; it needs at least {SECRET_MIN_LENGTH}")
    if any(c.isspace() for c in secret):
        problems.append("the secret contains whitespace")
    if any(not c.isspace() and (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) for c in secret):
        problems.append("the secret contains control characters")
    return problems


def _escape(text, key):
    out = []
    for i, c in enumerate(text):
        if c in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[c])
        elif key and c in _KEY_SPECIALS:
            out.append("\\" + c)
        elif not key and i == 0 and c in " #!":
            # Properties.load skips whitespace before a value; # and ! are escaped
            # as Properties.store does, harmless where they would mean nothing.
            out.append("\\" + c)
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


def _value_text(name, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(
        f"spark_properties_file: {name} must be text, a number or a boolean, not {type(value).__name__}"
    )


def properties_file(properties):
    """java.util.Properties text for a dict of Spark properties, one `key=value` line each,
    keys sorted, ending with a newline ("" for no properties).

    Spark reads these files with Properties.load, then trims each value: backslashes,
    line breaks, tabs and a leading space or #/! are escaped so every value reads back
    exactly (except whitespace at either end, which Spark's trim removes); keys also have
    space, =, :, # and ! escaped. Booleans are written true / false. A key that is empty
    or a value that is not text, a number or a boolean raises an error naming the key.
    """
    lines = []
    for name in sorted(properties, key=str):
        if not isinstance(name, str) or not name:
            raise ValueError(f"spark_properties_file: {name!r} is not a property name")
        lines.append(f"{_escape(name, key=True)}={_escape(_value_text(name, properties[name]), key=False)}")
    return "".join(line + "\n" for line in lines)


def port_ranges(ports, retries=0):
    """[{name, port, last}] for {name: port}, in the dict's order: each service may take its
    port or, when that is busy, one of the next `retries` (spark.port.maxRetries)."""
    retries = int(retries)
    return [{"name": name, "port": int(port), "last": int(port) + retries} for name, port in ports.items()]


def port_problems(ranges):
    """What is wrong with port ranges [{name, port, last}]: a port outside 1024-65535, or two
    ranges sharing a port (the services would take each other's)."""
    problems = []
    for r in ranges:
        if not 1024 <= r["port"] <= r["last"] <= 65535:
            problems.append(f"{r['name']} {r['port']}-{r['last']} is not within 1024-65535")
    for i, a in enumerate(ranges):
        for b in ranges[i + 1 :]:
            if a["port"] <= b["last"] and b["port"] <= a["last"]:
                problems.append(
                    f"{a['name']} {a['port']}-{a['last']} overlaps {b['name']} {b['port']}-{b['last']}"
                )
    return problems


class FilterModule:
    """The shared secret's checks, Spark properties files and port ranges."""

    def filters(self):
        return {
            "spark_secret_problems": secret_problems,
            "spark_properties_file": properties_file,
            "spark_port_ranges": port_ranges,
            "spark_port_problems": port_problems,
        }
