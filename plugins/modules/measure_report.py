#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Write the measurements as CSV, JSON and a PNG bar chart."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: measure_report
short_description: Write the measurements as CSV, JSON and a PNG bar chart
description:
  - Writes O(report)'s measurements (the rows of the filter C(picluster.spark.measure_rows))
    to C(NAME.csv), the whole report to C(NAME.json) and, where matplotlib can be imported by
    the Python that runs the module, a bar chart of seconds and MB/s to C(NAME.png), all in
    O(dest). Without matplotlib the chart is left out and RV(chart) says so.
  - Each file is written under a temporary name beside it and renamed when complete, so an
    interrupted run leaves the previous file or none, never half of one. A file that already
    holds the same bytes is not rewritten.
  - Run it on the controller (delegated to C(localhost)).
options:
  dest:
    description: The directory for the files; made (with its parents) when missing.
    type: path
    required: true
  name:
    description: The files' name without its extension.
    type: str
    default: measure
  report:
    description:
      - The report, a dict with C(measurements) (the rows) and anything that tells what was
        measured (sizes, nodes, paths); it is written to the JSON file as it is.
    type: dict
    required: true
  title:
    description: The chart's title.
    type: str
    default: picluster.spark measurements
  chart:
    description: Draw the PNG chart (when matplotlib is there).
    type: bool
    default: true
author:
  - picluster.spark maintainers (@picluster)
"""

EXAMPLES = r"""
- name: Write the table, the JSON and the chart on the controller
  picluster.spark.measure_report:
    dest: ./picluster-measure
    report:
      size_bytes: 1073741824
      measurements: "{{ rows }}"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
files:
  description: The files written or kept, by kind (C(csv), C(json), C(png)); no C(png) without a chart.
  returned: success
  type: dict
chart:
  description: V(drawn), or why there is no chart.
  returned: success
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.picluster.spark.plugins.module_utils.measure import (
    chart_png,
    csv_text,
    json_text,
    write_atomically,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dest=dict(type="path", required=True),
            name=dict(type="str", default="measure"),
            report=dict(type="dict", required=True),
            title=dict(type="str", default="picluster.spark measurements"),
            chart=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    rows = params["report"].get("measurements")
    if not isinstance(rows, list) or not rows:
        module.fail_json(msg="report.measurements must list the measurements (picluster.spark.measure_rows)")
    if "/" in params["name"] or not params["name"].strip("."):
        module.fail_json(msg=f"name must be a plain file name without a directory (got '{params['name']}')")
    try:
        contents = {"csv": csv_text(rows).encode(), "json": json_text(params["report"]).encode()}
    except (KeyError, TypeError, ValueError) as error:
        module.fail_json(msg=f"report.measurements are not measure_rows rows: {error!r}")
    chart = "not asked for (chart: false)"
    if params["chart"]:
        png = chart_png(rows, params["title"])
        if png is None:
            chart = "matplotlib cannot be imported by this Python: the table, CSV and JSON only"
        else:
            contents["png"] = png
            chart = "drawn"
    dest = params["dest"]
    files = {kind: os.path.join(dest, f"{params['name']}.{kind}") for kind in contents}
    if module.check_mode:
        module.exit_json(changed=True, files=files, chart=chart)
    changed = False
    try:
        if not os.path.isdir(dest):
            os.makedirs(dest, mode=0o755)
            changed = True
        for kind, data in contents.items():
            changed = write_atomically(files[kind], data) or changed
    except OSError as error:
        module.fail_json(msg=f"cannot write the measurements in {dest}: {error}")
    module.exit_json(changed=changed, files=files, chart=chart)


if __name__ == "__main__":
    main()
