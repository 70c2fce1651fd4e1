# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The exact per-hour answer of the grouping job, computed on the controller."""

from __future__ import annotations

DOCUMENTATION = r"""
name: trip_stats
author: picluster.spark maintainers (@picluster)
version_added: 0.2.0
short_description: The grouping job's exact answer for trip CSVs on the controller
description:
  - Reads trip CSVs (C(id,YYYY-MM-DD HH:MM,distance,fare)) under the given paths on the
    controller once, line by line, and returns per pickup hour the trips, the fare total,
    minimum and maximum, the distance total and mean and the number of distinct days, in exact
    decimals (as strings), the way C(playbooks/files/group_trips.py) computes them on the cluster.
  - Directories are read recursively; names starting with C(.) or C(_) are left out, as Spark's
    reader leaves them out.
  - With O(by=trip), the answer of the by-trip grouping instead, reduced to totals over the
    groups (see RETURN); each file must be in trip-number order, as the collection's generator
    writes it (C(picluster.spark.trips_csv)).
  - Memory does not grow with the data (one entry per hour and day; by trip, one group at a
    time), so a CSV larger than the cluster's memory is checked on the controller too.
options:
  _terms:
    description: Files or directories on the controller.
    type: list
    elements: path
    required: true
  by:
    description: The job's grouping, C(hour) (pickup hour) or C(trip) (trip number).
    type: str
    choices: [hour, trip]
    default: hour
"""

EXAMPLES = r"""
- name: Compare the job's rows with the exact answer
  ansible.builtin.assert:
    that: rows | picluster.spark.group_trips_problems(expected) | length == 0
  vars:
    expected: "{{ lookup('picluster.spark.trip_stats', '/srv/data/trips') }}"
"""

RETURN = r"""
_raw:
  description:
    - One dict, pickup hour (0-23) to that hour's aggregates.
    - With O(by=trip), one dict of totals over the groups - C(groups), C(trips), C(fare_total),
      C(fare_min_total), C(fare_max_total), C(distance_total), C(distance_mean_total),
      C(days_total).
  type: list
  elements: dict
"""

import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.picluster.spark.plugins.module_utils.trips import (
    GROUPINGS,
    TripOrderError,
    stats_of_paths,
)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        unknown = sorted(set(kwargs) - {"by"})
        by = kwargs.get("by", "hour")
        if unknown or by not in GROUPINGS:
            got = ", ".join([f"by={by!r}", *unknown])
            raise AnsibleLookupError(f"trip_stats takes by=hour or by=trip (got {got})")
        paths = [os.path.expanduser(str(term)) for term in terms]
        missing = [path for path in paths if not os.path.exists(path)]
        if missing:
            raise AnsibleLookupError(
                f"trip_stats: no such file or directory on the controller: {', '.join(missing)}"
            )
        try:
            return [stats_of_paths(paths, by=by)]
        except TripOrderError as error:
            raise AnsibleLookupError(f"trip_stats: {error}") from error
        except (ValueError, IndexError, ArithmeticError) as error:
            raise AnsibleLookupError(
                f"trip_stats: not a trip CSV under {', '.join(paths)}: {error}"
            ) from error
