# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The original measurements (docs/original-setup.md) on the user's own cluster.

playbooks/measure.yml runs the steps; everything it decides or shapes is here:
the inputs it refuses, which measurements a cluster gets (the NFS one only with
the share on), the rows (seconds, MB/s, bytes on every node), the table, the
CSV, the JSON and the bar chart, and writing a file whole or not at all.
Plain Python: the filters, the lookup picluster.spark.measure_problems, the
modules trips_csv and measure_report, and the unit tests all use it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile

# MB here is 1,048,576 bytes: measure_size_mb, the MB/s column and the chart.
MIB = 1048576

LINE_COUNT_LOCAL = "line count, local copies"
LINE_COUNT_NFS = "line count, NFS share"
GROUP_TRIPS = "group trips, local copies"

# The chart's size in pixels (width, height) and the DPI that gives it.
CHART_PIXELS = (960, 540)
CHART_DPI = 100

CSV_FIELDS = ("measurement", "path", "seconds", "mb_per_s", "bytes", "lines", "nodes", "bytes_per_node")


def size_bytes(size_mb):
    """measure_size_mb as a whole number of bytes; ValueError unless it is a number above 0."""
    try:
        size = float(size_mb)
    except (TypeError, ValueError):
        raise ValueError(f"measure_size_mb must be a number of MB above 0 (got '{size_mb}')") from None
    if not math.isfinite(size) or size <= 0 or int(size * MIB) < 1:
        raise ValueError(f"measure_size_mb must be a number of MB above 0 (got '{size_mb}')")
    return int(size * MIB)


def _writable_dir_problem(label, path):
    """Why `path` cannot be (made and) written as a directory, or None.

    A directory that does not exist yet is fine when the nearest existing one
    above it can be written (the playbook makes the rest).
    """
    if not path:
        return f"{label} is empty: set it to a directory on the controller"
    path = os.path.abspath(os.path.expanduser(str(path)))
    probe = path
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if not os.path.isdir(probe):
        return f"{label} {path} cannot be a directory: {probe} is a file"
    if not os.access(probe, os.W_OK | os.X_OK):
        where = "it" if probe == path else probe
        return f"{label} {path} is not writable on the controller ({where} cannot be written by this user)"
    return None


def input_problems(size_mb, source, output_dir, *, work_dir, path, nfs_path="", nfs=False):
    """Messages for every input playbooks/measure.yml refuses, read on the controller.

    size_mb counts only without a source; a source must exist and be readable;
    the output directory (and, when the CSV is generated, the work directory)
    must be writable; the paths on the nodes must be absolute and distinct.
    """
    problems = []
    if source:
        source = os.path.abspath(os.path.expanduser(str(source)))
        if not os.path.exists(source):
            problems.append(f"measure_source {source} does not exist on the controller")
        elif not (os.path.isfile(source) or os.path.isdir(source)):
            problems.append(f"measure_source {source} is neither a file nor a directory")
        elif not os.access(source, os.R_OK):
            problems.append(f"measure_source {source} cannot be read on the controller")
    else:
        try:
            size_bytes(size_mb)
        except ValueError as error:
            problems.append(str(error))
        problem = _writable_dir_problem("measure_work_dir", work_dir)
        if problem:
            problems.append(problem)
    problem = _writable_dir_problem("measure_output_dir", output_dir)
    if problem:
        problems.append(problem)
    if not str(path).startswith("/") or str(path).rstrip("/") == "":
        problems.append(f"measure_path must be an absolute directory on the nodes, not / (got '{path}')")
    if nfs:
        if not str(nfs_path).startswith("/") or str(nfs_path).rstrip("/") == "":
            problems.append(f"measure_nfs_path must be an absolute directory on the share (got '{nfs_path}')")
        elif str(nfs_path).rstrip("/") == str(path).rstrip("/"):
            problems.append(
                f"measure_nfs_path and measure_path are the same ({path}): the share needs its own"
            )
    return problems


def plan(path, nfs_path="", nfs=False, source=""):
    """What playbooks/measure.yml measures, and what it hands the job playbooks.

    steps: the measurements in order (the NFS line count only with the share
    on); line_count_path / line_count_nfs_path: line_count.yml's inputs (one
    submission counts both, local first); group_trips_path / group_trips_source:
    group_trips.yml's (the source checks the answer; '' for no check).
    """
    path = str(path).rstrip("/") or "/"
    nfs_path = str(nfs_path).rstrip("/") if nfs else ""
    steps = [{"name": LINE_COUNT_LOCAL, "job": "line_count", "path": path, "copies": "local"}]
    if nfs:
        steps.append({"name": LINE_COUNT_NFS, "job": "line_count", "path": nfs_path, "copies": "share"})
    steps.append({"name": GROUP_TRIPS, "job": "group_trips", "path": path, "copies": "local"})
    return {
        "steps": steps,
        "line_count_path": path,
        "line_count_nfs_path": nfs_path,
        "group_trips_path": path,
        "group_trips_source": str(source or ""),
    }


def _strip_scheme(path):
    path = str(path)
    return path[len("file://") :] if path.startswith("file://") else path


def rows(measure_plan, line_counts, group_trips_done, node_bytes, share_bytes=None):
    """One row per planned measurement: seconds, MB/s, lines, bytes on every node.

    line_counts: the line count's records ({path, lines, seconds}); group_trips_done:
    the grouping job's summary ({seconds, ...}); node_bytes: {host: bytes} of the
    local copies; share_bytes: {host: bytes} of the share's copy (the server's).
    MB/s is the bytes one copy holds over the seconds. ValueError when a planned
    measurement has no result, or a result has no time.
    """
    counted = {_strip_scheme(record["path"]).rstrip("/"): record for record in line_counts}
    result = []
    for step in measure_plan["steps"]:
        sizes = (share_bytes or {}) if step["copies"] == "share" else node_bytes
        per_node = {host: int(size) for host, size in sorted(sizes.items())}
        if not per_node:
            raise ValueError(f"{step['name']}: no node reported the size of {step['path']}")
        lines = None
        if step["job"] == "line_count":
            record = counted.get(step["path"])
            if record is None:
                raise ValueError(f"{step['name']}: the line count printed no result for {step['path']}")
            seconds, lines = float(record["seconds"]), int(record["lines"])
        else:
            if not group_trips_done or "seconds" not in group_trips_done:
                raise ValueError(f"{step['name']}: the grouping job printed no summary")
            seconds = float(group_trips_done["seconds"])
        if not seconds > 0:
            raise ValueError(f"{step['name']}: {seconds} seconds is not a measurement")
        size = max(per_node.values())
        result.append(
            {
                "measurement": step["name"],
                "path": step["path"],
                "seconds": round(seconds, 3),
                "mb_per_s": round(size / MIB / seconds, 3),
                "bytes": size,
                "lines": lines,
                "nodes": len(per_node),
                "bytes_per_node": per_node,
            }
        )
    return result


def _bytes_per_node_text(per_node):
    sizes = set(per_node.values())
    if len(sizes) == 1:
        size = sizes.pop()
        if len(per_node) == 1:
            return f"{size} on {next(iter(per_node))}"
        return f"{size} on each of {len(per_node)} nodes"
    return ", ".join(f"{host} {size}" for host, size in per_node.items())


def table(measurement_rows):
    """Lines of a fixed-width table: measurement, seconds (one decimal), MB/s (two), lines, bytes per node."""
    width = max([len("measurement")] + [len(row["measurement"]) for row in measurement_rows])
    header = f"{'measurement':<{width}}  {'seconds':>9}  {'MB/s':>9}  {'lines':>12}  bytes per node"
    lines = [header]
    for row in measurement_rows:
        count = "" if row["lines"] is None else str(row["lines"])
        lines.append(
            f"{row['measurement']:<{width}}  {row['seconds']:>9.1f}  {row['mb_per_s']:>9.2f}  {count:>12}  "
            + _bytes_per_node_text(row["bytes_per_node"])
        )
    return lines


def csv_text(measurement_rows):
    """The rows as CSV, one line each; bytes_per_node as `host=bytes` joined by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in measurement_rows:
        per_node = " ".join(f"{host}={size}" for host, size in row["bytes_per_node"].items())
        writer.writerow(
            [
                row["measurement"],
                row["path"],
                f"{row['seconds']:.3f}",
                f"{row['mb_per_s']:.3f}",
                row["bytes"],
                "" if row["lines"] is None else row["lines"],
                row["nodes"],
                per_node,
            ]
        )
    return out.getvalue()


def json_text(report):
    """The report (its measurements and what was measured) as JSON, keys sorted."""
    return json.dumps(report, indent=1, sort_keys=True) + "\n"


def chart_png(measurement_rows, title):
    """A PNG bar chart (seconds and MB/s per measurement), or None without matplotlib.

    Same rows, same bytes: no date goes into the file.
    """
    # Imported here: the chart is optional, the rest must work without matplotlib.
    try:
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError:
        return None
    names = [row["measurement"] for row in measurement_rows]
    figure = Figure(figsize=(CHART_PIXELS[0] / CHART_DPI, CHART_PIXELS[1] / CHART_DPI), dpi=CHART_DPI)
    seconds_axes, rate_axes = figure.subplots(1, 2)
    for axes, key, label, colour in (
        (seconds_axes, "seconds", "seconds (less is better)", "#c0504d"),
        (rate_axes, "mb_per_s", "MB/s (more is better)", "#4f81bd"),
    ):
        values = [row[key] for row in measurement_rows]
        positions = range(len(values))
        axes.barh(positions, values, color=colour)
        axes.set_yticks(list(positions), names if axes is seconds_axes else [""] * len(names))
        axes.invert_yaxis()
        axes.set_xlabel(label)
        axes.set_xlim(0, max(values) * 1.25)
        for position, value in zip(positions, values, strict=True):
            # Three significant digits: 0.088 MB/s must not read as 0.1.
            axes.text(value, position, f" {value:.3g}", va="center")
    figure.suptitle(title)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return out.getvalue()


def write_atomically(path, data, mode=0o644):
    """Write bytes to path through a temporary file beside it and a rename.

    A reader sees the old file or the new one, never half of one; an
    interrupted run leaves the old file. Returns False when path already holds
    exactly these bytes (nothing is written then).
    """
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
    except FileNotFoundError:
        pass
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True
