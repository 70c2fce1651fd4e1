# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Whole numbers as inputs reach the filters: an int from YAML or JSON, or digits as
text where a template rendered the number. Shared by the firewall's ports, the history
server's checks and the upgrade's batch size."""

from __future__ import annotations

import re


def whole_number(value, digits=9):
    """``value`` as an int, or None: booleans, words, floats and signed text are refused.

    Up to ``digits`` digits as text ("18080") are read as the number; an int is taken
    as it is, sign and all.
    """
    if isinstance(value, str) and re.fullmatch(f"[0-9]{{1,{int(digits)}}}", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value
