# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Which of the controller's timers stop.yml pauses and start.yml resumes.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import fnmatch
import posixpath


def controller_timers(unit_files, data_sync_name, pipeline_prefix, data_sync=False, pipelines=True):
    """The timer units to stop or start, sorted.

    `unit_files` are the paths of the controller's *.timer units. The data sync's
    timer (`data_sync_name`.timer) only with `data_sync`: it copies data with rsync,
    Spark or not, so a stopped cluster does not need it paused. The pipelines'
    timers (`pipeline_prefix`-NAME.timer, one per application, whatever the
    inventory lists now) with `pipelines`: a run against a stopped cluster fails
    and starts its OnFailure= unit. A timer that is not installed is not named.
    """
    names = {posixpath.basename(path) for path in unit_files or []}
    wanted = set()
    if data_sync and f"{data_sync_name}.timer" in names:
        wanted.add(f"{data_sync_name}.timer")
    if pipelines:
        wanted.update(fnmatch.filter(names, f"{pipeline_prefix}-*.timer"))
    return sorted(wanted)


class FilterModule:
    def filters(self):
        return {"controller_timers": controller_timers}
