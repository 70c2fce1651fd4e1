# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Read a Spark standalone master's JSON status and wait until the cluster has formed.

The master web UI answers ``GET <ui>/json/`` with its ``status`` (STANDBY or
RECOVERING before ALIVE) and one entry per worker it knows, including stale
DEAD entries of workers that registered again and UNKNOWN ones while it
recovers. Only ALIVE entries count. The wait loop takes a ``poll`` callable so
it can be reused (and tested) without HTTP; ``make_poller`` builds that
callable on Ansible's ``fetch_url``.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit, urlunsplit

from ansible.module_utils.urls import fetch_url

ALIVE = "ALIVE"
# Longest single HTTP request; a request never runs past the wait's deadline
# by more than one second.
MAX_REQUEST_SECONDS = 10


class Expectation:
    """What a formed cluster offers: counts, totals and the hosts that must be in it."""

    def __init__(self, workers=1, cores=0, memory_mb=0, hosts=(), replaced=()):
        self.workers = workers
        self.cores = cores
        self.memory_mb = memory_mb
        self.hosts = tuple(hosts)
        # Worker ids that no longer count: the registrations a restart replaces,
        # which the master may still list as ALIVE for a moment after the stop.
        self.replaced = frozenset(replaced)


class PollError:
    """One failed poll: ``kind`` names it briefly, ``detail`` says what to do."""

    def __init__(self, kind, detail):
        self.kind = kind
        self.detail = detail

    def __repr__(self):
        return f"PollError({self.kind!r}, {self.detail!r})"


def json_url(url):
    """Return the master status URL for ``url`` (the UI root or its /json/ page).

    Raises ValueError for anything that is not an http(s) URL with a host.
    """
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"url {url!r} is not an http(s) URL of the master web UI (e.g. http://master:8080)")
    path = parts.path.rstrip("/")
    if not path.endswith("/json"):
        path += "/json"
    return urlunsplit((parts.scheme, parts.netloc, path + "/", parts.query, ""))


def _snippet(body, length=40):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = " ".join(text.split())
    return text[:length] + ("..." if len(text) > length else "")


def parse_master_json(body):
    """Return the master's status document, or a PollError saying why not."""
    try:
        doc = json.loads(body)
    except ValueError:
        if not body:
            return PollError("empty body", "the master UI answered with an empty body")
        return PollError(
            "not JSON",
            f"the answer is not JSON (it begins {_snippet(body)!r}); "
            "url must be the Spark master web UI, whose /json/ page the module reads",
        )
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("status"), str)
        or not isinstance(doc.get("workers"), list)
        or not all(isinstance(w, dict) for w in doc["workers"])
    ):
        return PollError(
            "not a master's JSON",
            "the answer is JSON but not a Spark master's status (no 'status' and 'workers'); "
            "is url the master web UI rather than a worker's or an application's?",
        )
    return doc


def classify_failure(info, url):
    """Turn fetch_url's ``info`` for a failed request into a PollError."""
    status = info.get("status", -1)
    msg = str(info.get("msg", ""))
    where = urlsplit(url).netloc
    if status is None or status < 0:
        low = msg.lower()
        if "refused" in low:
            return PollError(
                "connection refused",
                f"connection refused by {where}: is the master running and its web UI on that port?",
            )
        if "timed out" in low:
            return PollError("timed out", f"{where} did not answer in time ({msg})")
        if (
            "not known" in low
            or "name resolution" in low
            or "nodename nor servname" in low
            or "no address associated" in low
        ):
            return PollError("name not resolved", f"cannot resolve the host of {url}: {msg}")
        if "certificate" in low or "ssl" in low:
            return PollError(
                "TLS error",
                f"TLS failed for {url}: {msg}; check the certificate or set validate_certs",
            )
        return PollError("connection failed", f"request to {url} failed: {msg}")
    hints = {
        401: "the UI wants credentials: set url_username/url_password "
        "(force_basic_auth) or headers for its auth filter",
        403: "the credentials or headers given may not read the UI",
        404: "is url the master web UI (port 8080), not a worker's UI or the REST port?",
    }
    hint = hints.get(status)
    if hint is None and status >= 500:
        hint = "the master UI failed to answer; see the master's log"
    text = f"HTTP {status} from {url}"
    if msg:
        text += f" ({msg})"
    if hint:
        text += f": {hint}"
    return PollError(f"HTTP {status}", text)


def make_poller(module, url):
    """Return ``poll(remaining_seconds) -> (doc or None, PollError or None)`` over fetch_url."""
    headers = module.params.get("headers") or None

    def poll(remaining):
        request_timeout = max(1, min(MAX_REQUEST_SECONDS, int(remaining + 0.999)))
        resp, info = fetch_url(module, url, headers=headers, method="GET", timeout=request_timeout)
        status = info.get("status", -1)
        if resp is None or status is None or status < 200 or status >= 300:
            return None, classify_failure(info, url)
        try:
            body = resp.read()
        except (OSError, ValueError) as exc:
            return None, classify_failure({"status": -1, "msg": f"reading the answer failed: {exc}"}, url)
        result = parse_master_json(body)
        if isinstance(result, PollError):
            return None, result
        return result, None

    return poll


def json_number(value):
    """A count from the master's JSON: an int (never a bool), else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def summarize(doc, replaced=frozenset()):
    """The figures the module reports: status, ALIVE counts and totals, every worker.

    A worker whose id is in ``replaced`` is listed but never counts as ALIVE.
    """
    workers = [
        {
            "id": w.get("id"),
            "host": w.get("host"),
            "port": w.get("port"),
            "state": w.get("state"),
            "cores": json_number(w.get("cores")),
            "memory_mb": json_number(w.get("memory")),
        }
        for w in doc["workers"]
    ]
    for w in workers:
        w["counted"] = w["state"] == ALIVE and w["id"] not in replaced
    alive = [w for w in workers if w["counted"]]
    return {
        "status": doc["status"],
        "alive_workers": len(alive),
        "cores": sum(w["cores"] for w in alive),
        "memory_mb": sum(w["memory_mb"] for w in alive),
        "workers": workers,
    }


def _norm(host):
    return str(host).strip().strip("[]").rstrip(".").lower()


class HostMatcher:
    """Matches expected hosts (names or addresses) against workers' ``host`` fields.

    Equal text matches at once; otherwise both sides are resolved and match when
    they share an address. Lookups are cached for the life of the matcher, so a
    wait does not ask DNS again on every poll.
    """

    def __init__(self, resolve=None):
        self._resolve = resolve or self._getaddrinfo
        self._cache = {}

    @staticmethod
    def _getaddrinfo(host):
        try:
            infos = socket.getaddrinfo(host, None)
        except (OSError, UnicodeError):
            return frozenset()
        return frozenset(info[4][0] for info in infos)

    def addresses(self, host):
        key = _norm(host)
        if key not in self._cache:
            self._cache[key] = frozenset(self._resolve(key))
        return self._cache[key]

    def missing(self, expected_hosts, worker_hosts):
        """Expected hosts that no host in ``worker_hosts`` stands for, in their given order."""
        present = {_norm(h) for h in worker_hosts if h}
        missing = []
        for host in expected_hosts:
            if _norm(host) in present:
                continue
            mine = self.addresses(host)
            if mine and any(mine & self.addresses(h) for h in present):
                continue
            missing.append(host)
        return missing


def shortfalls(summary, expect, matcher):
    """Return (missing_hosts, problems, ready) for ``summary`` against ``expect``.

    ``problems`` are message parts; the ALIVE count is reported separately.
    """
    alive_hosts = [w["host"] for w in summary["workers"] if w["counted"]]
    missing = matcher.missing(expect.hosts, alive_hosts)
    problems = []
    if summary["status"] != ALIVE:
        problems.append(f"master status {summary['status']}, not ALIVE")
    if missing:
        problems.append("missing: " + ", ".join(missing))
    if summary["cores"] < expect.cores:
        problems.append(f"cores {summary['cores']} < {expect.cores}")
    if summary["memory_mb"] < expect.memory_mb:
        problems.append(f"memory {summary['memory_mb']} MB < {expect.memory_mb} MB")
    ready = not problems and summary["alive_workers"] >= expect.workers
    return missing, problems, ready


def _seconds(elapsed):
    return round(elapsed)


def _message(result, expect, problems, error_kinds, *, url, check_mode):
    """The one sentence a person acts on: what formed, or what is missing or failing."""
    seconds = _seconds(result["elapsed"])
    when = "at the one check-mode poll" if check_mode else f"after {seconds} s"
    if result["ready"]:
        return (
            f"{result['alive_workers']} workers ALIVE, {result['cores']} cores, "
            f"{result['memory_mb']} MB after {seconds} s"
        )
    attempts = result["attempts"]
    if result["status"] is None:
        msg = (
            f"no usable answer from the Spark master at {url} {when} "
            f"({attempts} attempt{'s' if attempts != 1 else ''}): {result['last_error']}"
        )
        others = error_kinds[:-1]
        if others:
            msg += "; earlier also: " + ", ".join(others)
        return msg
    parts = [f"{result['alive_workers']} of {expect.workers} workers ALIVE {when}", *problems]
    if result["last_error"] is not None:
        parts.append(f"the last poll failed: {result['last_error']}")
    return "; ".join(parts)


def wait_for_workers(poll, expect, *, timeout, sleep, check_mode=False, matcher=None, url=""):
    """Poll until ``expect`` holds or ``timeout`` seconds pass; never raises for cluster state.

    Returns the module's result: ``ready``, ``msg``, ``elapsed``, ``attempts``,
    ``status``, ``alive_workers``, ``cores``, ``memory_mb``, ``workers``,
    ``missing_hosts``, ``last_error``. In check mode it polls once and reports.
    """
    matcher = matcher or HostMatcher()
    start = time.monotonic()
    deadline = start + timeout
    attempts = 0
    summary = None
    missing = list(expect.hosts)
    problems = []
    ready = False
    last_error = None
    error_kinds = []
    while True:
        attempts += 1
        poll_started = time.monotonic()
        doc, error = poll(max(0.0, deadline - poll_started))
        if error is None:
            summary = summarize(doc, expect.replaced)
            missing, problems, ready = shortfalls(summary, expect, matcher)
            last_error = None
            if ready:
                break
        else:
            last_error = error
            # Kinds by last occurrence: the final one is the last error's.
            if error.kind in error_kinds:
                error_kinds.remove(error.kind)
            error_kinds.append(error.kind)
        now = time.monotonic()
        if check_mode or now >= deadline:
            break
        # Polls start every `sleep` seconds (not `sleep` after the last one
        # ended), so a change is seen at most one interval after it happens.
        wake = min(poll_started + sleep, deadline)
        if wake > now:
            time.sleep(wake - now)

    elapsed = time.monotonic() - start
    result = {
        "ready": ready and last_error is None,
        "elapsed": round(elapsed, 2),
        "attempts": attempts,
        "status": None,
        "alive_workers": 0,
        "cores": 0,
        "memory_mb": 0,
        "workers": [],
        "missing_hosts": missing,
        "last_error": last_error.detail if last_error else None,
    }
    if summary is not None:
        result.update(summary)
    result["msg"] = _message(result, expect, problems, error_kinds, url=url, check_mode=check_mode)
    return result
