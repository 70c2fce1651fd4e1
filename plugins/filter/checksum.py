# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The sha512_file filter: the digest and file name in a .sha512 file, whichever of
the four shapes Apache and the usual tools write it in.

A plain function, so tests/unit can call it without a play.
"""

from __future__ import annotations

import posixpath
import re

_WHITESPACE = re.compile(r"\s")
# Bare hex, possibly in groups or over several lines (Apache's older files).
_HEX = re.compile(r"[0-9A-Fa-f\s]+")
# BSD / `shasum --tag`: SHA512 (NAME) = HEX; the first line when there are several.
_BSD = re.compile(r"SHA512 \((.+?)\) = ([0-9A-Fa-f]+)")
# GNU `sha512sum`: HEX, whitespace, NAME ('*' before NAME marks binary mode).
_GNU = re.compile(r"[0-9A-Fa-f]{128}\s")


def _parse(text):
    """(format, digest, file name) of a trimmed text, before lower-casing."""
    # GNU before bare hex: a file name of hex letters ("HEX  cafe") is still a name.
    if _GNU.match(text):
        digest, name = text.split()[:2]
        return "gnu", digest, name.removeprefix("*")
    if _HEX.fullmatch(text):
        return "hex", _WHITESPACE.sub("", text), ""
    if text.startswith("SHA512 ("):
        match = _BSD.match(text)
        return ("bsd", match.group(2), match.group(1)) if match else ("bsd", "", "")
    if ":" in text:
        # Apache's gpg --print-md: NAME: HEX in groups, over one or more lines.
        name, digest = text.split(":", 1)
        return "apache", _WHITESPACE.sub("", digest), name.strip()
    return "unknown", "", ""


def sha512_file(text):
    """Read a .sha512 file's text.

    Returns {"format", "digest", "file_name"}: the format found (hex, bsd, gnu,
    apache or unknown), the digest in lower case, and the base name of the file it
    is for ("" when the text names none). The digest is not checked here: the
    caller says what a bad one means.
    """
    trimmed = "" if text is None else str(text).strip()
    if trimmed[:7].lower() == "sha512:":
        trimmed = trimmed[7:].strip()
    kind, digest, name = _parse(trimmed)
    return {"format": kind, "digest": digest.lower(), "file_name": posixpath.basename(name)}


class FilterModule:
    """Filters on checksum files."""

    def filters(self):
        return {"sha512_file": sha512_file}
