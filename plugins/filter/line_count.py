# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The line_count_table filter: playbooks/line_count.yml's result as a table.

A plain function, so tests/unit can call it without a play.
"""

from __future__ import annotations

# printf-style, as the playbook's Jinja had it: %d takes a float count too.
_HEADER = "%-*s  %12s  %9s"
_ROW = "%-*s  %12d  %9.1f"


def table(rows):
    """Lines of a table of the counts: path (as wide as the longest), lines, seconds."""
    rows = list(rows)
    width = max([4] + [len(row["path"]) for row in rows])
    lines = [_HEADER % (width, "path", "lines", "seconds")]
    lines += [_ROW % (width, row["path"], row["lines"], row["seconds"]) for row in rows]
    # One string per printed line, even where a path holds a line break.
    return "\n".join(lines).splitlines()


class FilterModule:
    """The line count's table."""

    def filters(self):
        return {"line_count_table": table}
