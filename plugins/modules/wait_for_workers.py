#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Wait until a Spark standalone cluster has formed, or say exactly what is missing."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: wait_for_workers
short_description: Wait until a Spark standalone cluster has formed
version_added: 0.1.0
author: picluster.spark maintainers (@picluster)
description:
  - Polls the Spark master's web UI at C(<url>/json/) until the master's C(status) is
    C(ALIVE), at least O(workers) workers are C(ALIVE), the ALIVE workers together offer
    at least O(cores) cores and O(memory), and every host in O(hosts) has an ALIVE worker.
  - Only C(ALIVE) worker entries count. The master keeps stale C(DEAD) entries of
    workers that registered again, and lists workers as C(UNKNOWN) while it recovers.
  - Connection refused, HTTP errors and answers that are not the master's JSON are
    retried until O(timeout); the failure message then names them.
  - "On timeout the module fails with one message that says what is missing, for example
    C(2 of 4 workers ALIVE after 300 s; missing: pi3, pi4; cores 8 < 16; memory 2048 MB < 4096 MB),
    and returns the same figures as on success."
  - Bad arguments (negative counts, unreadable O(memory), O(timeout) shorter than
    O(sleep), a URL that is not http(s)) fail before any request.
  - Never changes anything; C(changed) is always false.
extends_documentation_fragment:
  - ansible.builtin.url
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Polls once and reports what it saw, without waiting and without failing.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  url:
    description:
      - The master web UI, for example C(http://nuc:8080). C(/json/) is added unless the
        URL already ends with it.
      - The module runs where the task runs; delegate to a host that can reach the UI.
    type: str
    required: true
  workers:
    description:
      - Least number of ALIVE workers.
      - Defaults to the number of O(hosts), or 1 when O(hosts) is empty.
    type: int
  cores:
    description:
      - Least number of cores the ALIVE workers offer together. V(0) skips the check.
    type: int
    default: 0
  memory:
    description:
      - Least memory the ALIVE workers offer together.
      - Spark notation (V(4g), V(4096m), V(512m)) or a number of MB. V(0) skips the check.
      - Converted as the P(picluster.spark.spark_memory_mb#filter) filter does.
    type: raw
    default: 0
  hosts:
    description:
      - Hosts that must each have an ALIVE worker, as names or addresses.
      - Matched against the C(host) the master reports for each worker, by equal text
        or, failing that, by a shared address after resolving both names where the
        module runs.
    type: list
    elements: str
    default: []
  replaced:
    description:
      - Worker ids that do not count, whatever state the master lists them in.
      - Give the ids a worker had before its restart, so that only its new registration
        counts. The master may list the stopped one as C(ALIVE) for a moment.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  timeout:
    description:
      - Seconds to wait in all, on a monotonic clock.
    type: int
    default: 300
  sleep:
    description:
      - Seconds from the start of one poll to the start of the next, so a cluster that
        forms is noticed at most one O(sleep) (plus the time one answer takes) later.
      - A poll slower than O(sleep) is followed by the next one at once.
    type: int
    default: 2
  msg:
    description:
      - Failure message to use instead of the one the module composes.
    type: str
  headers:
    description:
      - Extra HTTP headers, for a web UI behind an authentication filter or proxy.
    type: dict
notes:
  - Each request is limited to the time left before O(timeout), and to 10 seconds.
  - The master's own C(cores) and C(memory) totals are not used; the module sums the
    ALIVE workers it lists.
seealso:
  - module: ansible.builtin.wait_for
  - name: Spark standalone mode
    description: The master web UI and worker states.
    link: https://spark.apache.org/docs/latest/spark-standalone.html
"""

EXAMPLES = r"""
- name: Wait for the four Pi workers to join the master
  picluster.spark.wait_for_workers:
    url: "http://{{ groups['spark_master'][0] }}:8080"
    hosts: "{{ groups['spark_workers'] }}"
    cores: 16
    memory: 4g
    timeout: 300
  delegate_to: localhost
  run_once: true

- name: Wait for at least two workers, polling every 5 s for up to 10 min
  picluster.spark.wait_for_workers:
    url: http://nuc:8080/json/
    workers: 2
    sleep: 5
    timeout: 600
  register: cluster

- name: Show what the master reports
  ansible.builtin.debug:
    msg: "{{ cluster.alive_workers }} workers, {{ cluster.cores }} cores, {{ cluster.memory_mb }} MB"

- name: Wait for a master whose UI sits behind basic authentication
  picluster.spark.wait_for_workers:
    url: https://nuc:8443
    url_username: spark
    url_password: "{{ spark_ui_password }}"
    force_basic_auth: true
    workers: 4
    msg: The Spark cluster did not form; see the master's log on nuc
"""

RETURN = r"""
url:
  description: The status URL polled.
  returned: always
  type: str
  sample: http://nuc:8080/json/
ready:
  description:
    - Whether every condition held at the last poll.
    - False only in check mode or on failure.
  returned: always
  type: bool
  sample: true
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 23.1
attempts:
  description: Number of polls made.
  returned: always
  type: int
  sample: 12
status:
  description:
    - The master's status at the last answer (C(ALIVE), C(STANDBY), C(RECOVERING)).
    - Null if it never answered.
  returned: always
  type: str
  sample: ALIVE
alive_workers:
  description: Number of workers in state C(ALIVE).
  returned: always
  type: int
  sample: 4
cores:
  description: Cores the ALIVE workers offer together.
  returned: always
  type: int
  sample: 16
memory_mb:
  description: Memory the ALIVE workers offer together, in MB.
  returned: always
  type: int
  sample: 4096
workers:
  description: Every worker entry the master lists, in its order, whatever its state.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The worker's id.
      type: str
      sample: worker-20261124010832-192.168.1.11-40181
    host:
      description: The host the worker registered with.
      type: str
      sample: 192.168.1.11
    port:
      description: The worker's RPC port.
      type: int
      sample: 40181
    state:
      description: C(ALIVE), C(DEAD), C(DECOMMISSIONED) or C(UNKNOWN).
      type: str
      sample: ALIVE
    cores:
      description: Cores the worker offers.
      type: int
      sample: 4
    memory_mb:
      description: Memory the worker offers, in MB.
      type: int
      sample: 1024
    counted:
      description: Whether the worker counts toward the wait (C(ALIVE) and not in O(replaced)).
      type: bool
      sample: true
missing_hosts:
  description: Hosts of O(hosts) without an ALIVE worker.
  returned: always
  type: list
  elements: str
  sample: [pi3, pi4]
last_error:
  description:
    - What went wrong at the last poll (connection refused, an HTTP error, a body that is not JSON).
    - Null if the last poll had an answer.
  returned: always
  type: str
  sample: null
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import url_argument_spec
from ansible_collections.picluster.spark.plugins.module_utils.spark_master import (
    Expectation,
    json_url,
    make_poller,
    wait_for_workers,
)
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory import (
    SparkMemoryError,
    parse_memory_mb,
)


def argument_spec():
    spec = url_argument_spec()
    spec.update(
        url=dict(type="str", required=True),
        workers=dict(type="int"),
        cores=dict(type="int", default=0),
        memory=dict(type="raw", default=0),
        hosts=dict(type="list", elements="str", default=[]),
        replaced=dict(type="list", elements="str", default=[]),
        timeout=dict(type="int", default=300),
        sleep=dict(type="int", default=2),
        msg=dict(type="str"),
        headers=dict(type="dict"),
    )
    return spec


def check_arguments(params):
    """Return (url, Expectation) or raise ValueError with the first problem found."""
    url = json_url(params["url"])
    hosts = [str(h).strip() for h in params["hosts"]]
    if any(not h for h in hosts):
        raise ValueError("hosts has an empty entry")
    seen = set()
    for host in hosts:
        if host.lower() in seen:
            raise ValueError(f"hosts lists {host} more than once")
        seen.add(host.lower())
    workers = params["workers"]
    if workers is None:
        workers = len(hosts) or 1
    for name, value in (("workers", workers), ("cores", params["cores"])):
        if value < 0:
            raise ValueError(f"{name} must be 0 or more, got {value}")
    try:
        memory_mb = parse_memory_mb(params["memory"])
    except SparkMemoryError as exc:
        raise ValueError(f"memory: {exc}") from None
    if params["sleep"] < 1:
        raise ValueError(f"sleep must be at least 1 second, got {params['sleep']}")
    if params["timeout"] < params["sleep"]:
        raise ValueError(
            f"timeout ({params['timeout']} s) must not be shorter than sleep ({params['sleep']} s)"
        )
    return url, Expectation(
        workers=workers,
        cores=params["cores"],
        memory_mb=memory_mb,
        hosts=hosts,
        replaced=params.get("replaced") or [],
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    try:
        url, expect = check_arguments(module.params)
    except ValueError as exc:
        module.fail_json(msg=str(exc), changed=False)

    result = wait_for_workers(
        make_poller(module, url),
        expect,
        timeout=module.params["timeout"],
        sleep=module.params["sleep"],
        check_mode=module.check_mode,
        url=url,
    )
    result["changed"] = False
    result["url"] = url
    if result["ready"] or module.check_mode:
        module.exit_json(**result)
    if module.params["msg"]:
        result["msg"] = module.params["msg"]
    module.fail_json(**result)


if __name__ == "__main__":
    main()
