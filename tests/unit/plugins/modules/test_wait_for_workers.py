"""The wait_for_workers module, fed /json/ bodies recorded from real Spark masters.

In the style of community.general's tests/unit/plugins/modules/utils.py: exit_json
and fail_json raise ExitJson / FailJson, fetch_url is faked, and
time is a fake clock whose sleep() only moves the clock.
"""

import io
import json
import pathlib

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import spark_master
from ansible_collections.picluster.spark.plugins.modules import wait_for_workers
from module_harness import ExitJson, FailJson, run_module

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
VERSIONS = ["3.5.9", "4.1.4"]
URL = "http://127.0.0.1:8080"
JSON_URL = "http://127.0.0.1:8080/json/"
# Time one fake request takes; keeps elapsed honest without slowing tests.
REQUEST_SECONDS = 0.05
# The recorded workers' addresses under the names a Pi inventory would use.
PI_ADDRESSES = {"pi1": "127.0.0.2", "pi2": "127.0.0.3", "pi3": "127.0.0.4", "pi4": "127.0.0.5"}
REFUSED_MSG = "Request failed: <urlopen error [Errno 111] Connection refused>"


def recorded(version, name):
    return (FIXTURES / f"spark-{version}" / name).read_bytes()


class FakeTime:
    """Stands in for the time module inside spark_master."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


class FakeFetch:
    """fetch_url replacement answering from a script; the last answer repeats."""

    def __init__(self, clock, answers, request_seconds=REQUEST_SECONDS):
        self.clock = clock
        self.answers = list(answers)
        self.request_seconds = request_seconds
        self.calls = []

    def __call__(self, module, url, **kwargs):
        self.calls.append(dict(kwargs, url=url, at=self.clock.now))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        self.clock.now += self.request_seconds
        kind = answer[0]
        if kind == "body":
            body = answer[1]
            return io.BytesIO(body), {"status": 200, "msg": f"OK ({len(body)} bytes)", "url": url}
        if kind == "refused":
            return None, {"status": -1, "msg": REFUSED_MSG, "url": url}
        if kind == "timeout":
            return None, {"status": -1, "msg": "Request failed: <urlopen error timed out>", "url": url}
        if kind == "http":
            code, reason = answer[1], answer[2]
            return None, {"status": code, "msg": f"HTTP Error {code}: {reason}", "body": b"", "url": url}
        raise AssertionError(f"unknown answer {answer!r}")


def body(version, name):
    return ("body", recorded(version, name))


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(spark_master, "time", fake)
    return fake


@pytest.fixture
def resolver(monkeypatch):
    """Resolve the Pi names to the recorded workers' loopback addresses; nothing else resolves."""
    table = dict(PI_ADDRESSES)
    for address in PI_ADDRESSES.values():
        table[address] = address

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in table:
            raise OSError(-2, "Name or service not known")
        return [(2, 1, 6, "", (table[host], 0))]

    monkeypatch.setattr(spark_master.socket, "getaddrinfo", getaddrinfo)
    return table


def run(monkeypatch, clock, answers, request_seconds=REQUEST_SECONDS, **args):
    """Run the module; return (exception class, result, FakeFetch)."""
    fetch = FakeFetch(clock, answers, request_seconds)
    monkeypatch.setattr(spark_master, "fetch_url", fetch)
    args.setdefault("url", URL)
    kind, result = run_module(monkeypatch, wait_for_workers, **args)
    return kind, result, fetch


def states(result):
    return [(w["host"], w["state"]) for w in result["workers"]]


THREE_ALIVE = [("127.0.0.2", "ALIVE"), ("127.0.0.3", "ALIVE"), ("127.0.0.4", "ALIVE")]


@pytest.mark.parametrize("version", VERSIONS)
def test_success_on_the_first_poll(monkeypatch, clock, resolver, version):
    kind, result, fetch = run(
        monkeypatch,
        clock,
        [body(version, "05_three_workers.json")],
        hosts=["pi1", "pi2", "pi3"],
        cores=12,
        memory="3g",
    )
    assert kind is ExitJson
    assert result["msg"] == "3 workers ALIVE, 12 cores, 3072 MB after 0 s"
    assert result["ready"] is True
    assert result["changed"] is False
    assert result["attempts"] == 1
    assert result["elapsed"] == REQUEST_SECONDS
    assert result["status"] == "ALIVE"
    assert (result["alive_workers"], result["cores"], result["memory_mb"]) == (3, 12, 3072)
    assert sorted(states(result)) == THREE_ALIVE
    assert all(w["cores"] == 4 and w["memory_mb"] == 1024 for w in result["workers"])
    assert result["missing_hosts"] == []
    assert result["last_error"] is None
    assert result["url"] == JSON_URL
    assert [c["url"] for c in fetch.calls] == [JSON_URL]
    assert clock.sleeps == []


@pytest.mark.parametrize("version", VERSIONS)
def test_slow_registration_is_waited_for(monkeypatch, clock, resolver, version):
    # The order a starting cluster shows: nothing listening, a STANDBY master,
    # an ALIVE master with no workers, then workers one by one.
    answers = [
        ("refused",),
        ("refused",),
        body(version, "01_master_standby.json"),
        body(version, "02_master_alive_no_workers.json"),
        body(version, "03_one_worker.json"),
        body(version, "04_two_workers.json"),
        body(version, "05_three_workers.json"),
    ]
    kind, result, fetch = run(monkeypatch, clock, answers, hosts=["pi1", "pi2", "pi3"], timeout=60)
    assert kind is ExitJson
    assert result["ready"] is True
    assert result["attempts"] == 7
    # Polls start every 2 s: each sleep is what is left of the interval.
    assert clock.sleeps == pytest.approx([2 - REQUEST_SECONDS] * 6)
    assert [c["at"] - 1000.0 for c in fetch.calls] == pytest.approx([0, 2, 4, 6, 8, 10, 12])
    assert result["elapsed"] == pytest.approx(6 * 2 + REQUEST_SECONDS)
    assert result["msg"] == "3 workers ALIVE, 12 cores, 3072 MB after 12 s"
    assert result["last_error"] is None
    assert len(fetch.calls) == 7


@pytest.mark.parametrize("version", VERSIONS)
def test_stale_dead_entry_of_a_reregistered_worker_is_not_counted(monkeypatch, clock, resolver, version):
    answers = [body(version, "07_worker_reregistered.json")]
    kind, result, _fetch = run(monkeypatch, clock, answers, hosts=["pi1", "pi2", "pi3"], cores=12)
    assert kind is ExitJson
    assert result["alive_workers"] == 3
    assert result["cores"] == 12
    assert sorted(states(result)) == sorted([*THREE_ALIVE, ("127.0.0.4", "DEAD")])

    # Asking for four workers: the DEAD entry does not make up the fourth.
    kind, result, _fetch = run(monkeypatch, clock, answers, workers=4, timeout=10)
    assert kind is FailJson
    assert result["msg"] == "3 of 4 workers ALIVE after 10 s"
    assert result["alive_workers"] == 3
    assert len(result["workers"]) == 4


def worker_id(version, name, address):
    doc = json.loads(recorded(version, name))
    return next(w["id"] for w in doc["workers"] if w["host"] == address and w["state"] == "ALIVE")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_replaced_registration_counts_no_more(monkeypatch, clock, resolver, version):
    # A rolling upgrade restarts pi3: its old id is given as replaced. The master
    # still lists that id ALIVE at first; only pi3's new registration makes it whole.
    old = worker_id(version, "05_three_workers.json", "127.0.0.4")
    new_doc = json.loads(recorded(version, "05_three_workers.json"))
    for worker in new_doc["workers"]:
        if worker["id"] == old:
            worker["id"] = old.replace("worker-", "worker-new-")
    answers = [body(version, "05_three_workers.json"), ("body", json.dumps(new_doc).encode())]
    kind, result, _fetch = run(monkeypatch, clock, answers, hosts=["pi3"], replaced=[old], timeout=30)
    assert kind is ExitJson
    assert result["attempts"] == 2
    assert result["alive_workers"] == 3
    assert [w["counted"] for w in result["workers"] if w["id"] == old] == []

    # The old registration alone never satisfies the wait, and the message names the host.
    before = [body(version, "05_three_workers.json")]
    kind, result, _fetch = run(monkeypatch, clock, before, hosts=["pi3"], replaced=[old], timeout=10)
    assert kind is FailJson
    assert result["msg"] == "2 of 1 workers ALIVE after 10 s; missing: pi3"
    assert result["alive_workers"] == 2
    assert [w["counted"] for w in result["workers"] if w["id"] == old] == [False]
    assert result["workers"][0]["state"] == "ALIVE"


@pytest.mark.parametrize("version", VERSIONS)
def test_dead_worker_is_missing(monkeypatch, clock, resolver, version):
    kind, result, _fetch = run(
        monkeypatch,
        clock,
        [body(version, "06_worker_dead.json")],
        hosts=["pi1", "pi2", "pi3"],
        cores=12,
        memory="3g",
        timeout=10,
    )
    assert kind is FailJson
    assert result["msg"] == (
        "2 of 3 workers ALIVE after 10 s; missing: pi3; cores 8 < 12; memory 2048 MB < 3072 MB"
    )
    assert result["missing_hosts"] == ["pi3"]
    assert ("127.0.0.4", "DEAD") in states(result)
    assert (result["alive_workers"], result["cores"], result["memory_mb"]) == (2, 8, 2048)


@pytest.mark.parametrize("version", VERSIONS)
def test_standby_master_is_not_ready(monkeypatch, clock, version):
    kind, result, fetch = run(
        monkeypatch, clock, [body(version, "01_master_standby.json")], workers=0, timeout=10
    )
    assert kind is FailJson
    assert result["msg"] == "0 of 0 workers ALIVE after 10 s; master status STANDBY, not ALIVE"
    assert result["status"] == "STANDBY"
    assert result["ready"] is False
    assert result["attempts"] == len(fetch.calls) == 6


RECOVERING_WITH_WORKERS = {
    "3.5.9": "08_master_recovering.json",
    "4.1.4": "08_master_recovering_partly_back.json",
}


@pytest.mark.parametrize("version", VERSIONS)
def test_recovering_master_is_not_ready_even_with_enough_workers(monkeypatch, clock, version):
    answers = [body(version, RECOVERING_WITH_WORKERS[version])]
    kind, result, _fetch = run(monkeypatch, clock, answers, workers=2, timeout=10)
    assert kind is FailJson
    assert result["msg"] == "2 of 2 workers ALIVE after 10 s; master status RECOVERING, not ALIVE"
    assert result["alive_workers"] == 2
    assert ("127.0.0.4", "UNKNOWN") in states(result)

    # Once recovery is over, the same two workers are enough.
    answers.append(body(version, "09_recovery_done.json"))
    kind, result, _fetch = run(monkeypatch, clock, answers, workers=2, timeout=10)
    assert kind is ExitJson
    assert result["attempts"] == 2
    assert result["status"] == "ALIVE"


def test_all_unknown_while_recovering_counts_nobody(monkeypatch, clock):
    kind, result, _fetch = run(monkeypatch, clock, [body("4.1.4", "08_master_recovering.json")], timeout=4)
    assert kind is FailJson
    assert result["msg"] == "0 of 1 workers ALIVE after 4 s; master status RECOVERING, not ALIVE"
    assert [w["state"] for w in result["workers"]] == ["UNKNOWN"] * 3


@pytest.mark.parametrize("version", VERSIONS)
def test_missing_hosts_message_names_them(monkeypatch, clock, resolver, version):
    # The issue's own example: four Pis expected, two registered.
    kind, result, _fetch = run(
        monkeypatch,
        clock,
        [body(version, "04_two_workers.json")],
        hosts=["pi1", "pi2", "pi3", "pi4"],
        cores=16,
        memory="4g",
    )
    assert kind is FailJson
    assert result["msg"] == (
        "2 of 4 workers ALIVE after 300 s; missing: pi3, pi4; cores 8 < 16; memory 2048 MB < 4096 MB"
    )
    assert result["missing_hosts"] == ["pi3", "pi4"]
    # Polls at 0, 2, ..., 298 and one at the deadline.
    assert result["attempts"] == 151
    assert result["elapsed"] == pytest.approx(300 + REQUEST_SECONDS)


@pytest.mark.parametrize("version", VERSIONS)
def test_hosts_match_by_address_or_name(monkeypatch, clock, resolver, version):
    answers = [body(version, "05_three_workers.json")]
    kind, result, _fetch = run(monkeypatch, clock, answers, hosts=["127.0.0.2", "pi2", "PI3"])
    assert kind is ExitJson
    assert result["missing_hosts"] == []
    # A name that does not resolve cannot stand for a worker.
    kind, result, _fetch = run(monkeypatch, clock, answers, hosts=["pi1", "nosuchpi"], workers=2, timeout=4)
    assert kind is FailJson
    assert result["msg"] == "3 of 2 workers ALIVE after 4 s; missing: nosuchpi"
    assert result["missing_hosts"] == ["nosuchpi"]


@pytest.mark.parametrize("version", VERSIONS)
def test_too_few_cores(monkeypatch, clock, version):
    answers = [body(version, "05_three_workers.json")]
    kind, result, _fetch = run(monkeypatch, clock, answers, workers=3, cores=16, timeout=10)
    assert kind is FailJson
    assert result["msg"] == "3 of 3 workers ALIVE after 10 s; cores 12 < 16"
    assert result["cores"] == 12
    assert result["missing_hosts"] == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("memory", ["4g", "4096m", "4096", 4096])
def test_too_little_memory(monkeypatch, clock, version, memory):
    answers = [body(version, "05_three_workers.json")]
    kind, result, _fetch = run(monkeypatch, clock, answers, workers=3, memory=memory, timeout=10)
    assert kind is FailJson
    assert result["msg"] == "3 of 3 workers ALIVE after 10 s; memory 3072 MB < 4096 MB"
    assert result["memory_mb"] == 3072


def test_connection_refused_until_the_deadline(monkeypatch, clock):
    kind, result, fetch = run(monkeypatch, clock, [("refused",)], timeout=10)
    assert kind is FailJson
    assert result["msg"] == (
        f"no usable answer from the Spark master at {JSON_URL} after 10 s (6 attempts): "
        "connection refused by 127.0.0.1:8080: is the master running and its web UI on that port?"
    )
    assert result["last_error"].startswith("connection refused by 127.0.0.1:8080")
    assert result["status"] is None
    assert (result["alive_workers"], result["cores"], result["memory_mb"]) == (0, 0, 0)
    assert result["workers"] == []
    assert len(fetch.calls) == 6
    # Polls at 0, 2, 4, 6, 8 and the deadline.
    assert [c["at"] - 1000.0 for c in fetch.calls] == pytest.approx([0, 2, 4, 6, 8, 10])
    assert clock.sleeps == pytest.approx([2 - REQUEST_SECONDS] * 5)


@pytest.mark.parametrize(
    ("code", "reason", "hint"),
    [
        (
            401,
            "Unauthorized",
            "the UI wants credentials: set url_username/url_password (force_basic_auth) "
            "or headers for its auth filter",
        ),
        (403, "Forbidden", "the credentials or headers given may not read the UI"),
        (500, "Server Error", "the master UI failed to answer; see the master's log"),
    ],
)
def test_http_errors_are_retried_then_named(monkeypatch, clock, code, reason, hint):
    kind, result, fetch = run(monkeypatch, clock, [("http", code, reason)], timeout=6)
    assert kind is FailJson
    assert result["msg"] == (
        f"no usable answer from the Spark master at {JSON_URL} after 6 s (4 attempts): "
        f"HTTP {code} from {JSON_URL} (HTTP Error {code}: {reason}): {hint}"
    )
    assert result["last_error"].startswith(f"HTTP {code} from")
    assert len(fetch.calls) == 4


@pytest.mark.parametrize("version", VERSIONS)
def test_http_error_after_a_real_answer_keeps_the_figures(monkeypatch, clock, version):
    answers = [body(version, "04_two_workers.json"), ("http", 500, "Server Error")]
    kind, result, _fetch = run(monkeypatch, clock, answers, workers=3, timeout=4)
    assert kind is FailJson
    assert result["msg"] == (
        "2 of 3 workers ALIVE after 4 s; the last poll failed: "
        f"HTTP 500 from {JSON_URL} (HTTP Error 500: Server Error): "
        "the master UI failed to answer; see the master's log"
    )
    assert result["alive_workers"] == 2
    assert result["status"] == "ALIVE"


@pytest.mark.parametrize("version", VERSIONS)
def test_body_that_is_not_json(monkeypatch, clock, version):
    # The master UI's own HTML page, as a URL without /json/ behind a proxy would give.
    kind, result, _fetch = run(monkeypatch, clock, [body(version, "master_root.html")], timeout=4)
    assert kind is FailJson
    assert result["msg"] == (
        f"no usable answer from the Spark master at {JSON_URL} after 4 s (3 attempts): "
        "the answer is not JSON (it begins '<!DOCTYPE html><html> <head> <meta http-...'); "
        "url must be the Spark master web UI, whose /json/ page the module reads"
    )


def test_json_that_is_not_a_master(monkeypatch, clock):
    answers = [("body", json.dumps({"id": "app-1", "name": "pi"}).encode())]
    kind, result, _fetch = run(monkeypatch, clock, answers, timeout=2)
    assert kind is FailJson
    assert "the answer is JSON but not a Spark master's status" in result["msg"]


@pytest.mark.parametrize("version", VERSIONS)
def test_errors_seen_on_the_way_are_named(monkeypatch, clock, version):
    answers = [("refused",), ("http", 503, "Service Unavailable"), body(version, "master_root.html")]
    kind, result, _fetch = run(monkeypatch, clock, answers, timeout=10)
    assert kind is FailJson
    assert result["msg"].startswith(f"no usable answer from the Spark master at {JSON_URL} after 10 s")
    assert "the answer is not JSON" in result["msg"]
    assert result["msg"].endswith("; earlier also: connection refused, HTTP 503")


def test_the_last_error_is_not_repeated_as_an_earlier_one(monkeypatch, clock):
    answers = [("refused",), ("http", 503, "Service Unavailable"), ("refused",)]
    kind, result, _fetch = run(monkeypatch, clock, answers, timeout=4)
    assert kind is FailJson
    assert result["msg"] == (
        f"no usable answer from the Spark master at {JSON_URL} after 4 s (3 attempts): "
        "connection refused by 127.0.0.1:8080: is the master running and its web UI on that port?"
        "; earlier also: HTTP 503"
    )


def test_request_timeouts_are_retried(monkeypatch, clock):
    kind, result, fetch = run(monkeypatch, clock, [("timeout",)], timeout=10, sleep=5)
    assert kind is FailJson
    assert result["msg"] == (
        f"no usable answer from the Spark master at {JSON_URL} after 10 s (3 attempts): "
        "127.0.0.1:8080 did not answer in time (Request failed: <urlopen error timed out>)"
    )
    assert len(fetch.calls) == 3


@pytest.mark.parametrize("version", VERSIONS)
def test_timeout_while_a_worker_never_comes(monkeypatch, clock, version):
    kind, result, fetch = run(
        monkeypatch, clock, [body(version, "03_one_worker.json")], workers=3, timeout=30, sleep=5
    )
    assert kind is FailJson
    assert result["msg"] == "1 of 3 workers ALIVE after 30 s"
    assert result["ready"] is False
    assert result["attempts"] == 7
    assert result["elapsed"] == pytest.approx(30 + REQUEST_SECONDS)
    # Never a request past the deadline, and none later than one request after it.
    assert fetch.calls[-1]["at"] == pytest.approx(1000.0 + 30)
    assert sum(clock.sleeps) < 30


def test_a_poll_slower_than_sleep_is_followed_at_once(monkeypatch, clock):
    kind, result, fetch = run(monkeypatch, clock, [("timeout",)], request_seconds=3, timeout=10, sleep=2)
    assert kind is FailJson
    assert clock.sleeps == []
    assert [c["at"] - 1000.0 for c in fetch.calls] == [0, 3, 6, 9]
    assert result["attempts"] == 4
    assert result["msg"].startswith(f"no usable answer from the Spark master at {JSON_URL} after 12 s")


def test_request_timeout_never_exceeds_the_time_left(monkeypatch, clock):
    kind, _result, fetch = run(monkeypatch, clock, [("refused",)], timeout=25, sleep=7)
    assert kind is FailJson
    timeouts = [c["timeout"] for c in fetch.calls]
    assert timeouts[0] == 10  # capped
    for call in fetch.calls:
        left = 1000.0 + 25 - call["at"]
        assert call["timeout"] <= max(1, left + 1)
    assert timeouts[-1] == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_msg_overrides_the_failure_text_only(monkeypatch, clock, resolver, version):
    kind, result, _fetch = run(
        monkeypatch,
        clock,
        [body(version, "04_two_workers.json")],
        hosts=["pi1", "pi2", "pi3"],
        timeout=4,
        msg="The cluster did not form; see the master's log",
    )
    assert kind is FailJson
    assert result["msg"] == "The cluster did not form; see the master's log"
    assert result["missing_hosts"] == ["pi3"]
    assert result["alive_workers"] == 2


@pytest.mark.parametrize("version", VERSIONS)
def test_check_mode_polls_once_and_reports(monkeypatch, clock, resolver, version):
    kind, result, fetch = run(
        monkeypatch,
        clock,
        [body(version, "04_two_workers.json")],
        hosts=["pi1", "pi2", "pi3"],
        _ansible_check_mode=True,
    )
    assert kind is ExitJson
    assert result["ready"] is False
    assert result["changed"] is False
    assert result["attempts"] == 1
    assert len(fetch.calls) == 1
    assert clock.sleeps == []
    assert result["msg"] == "2 of 3 workers ALIVE at the one check-mode poll; missing: pi3"
    assert result["missing_hosts"] == ["pi3"]


def test_check_mode_with_no_master_does_not_fail(monkeypatch, clock):
    kind, result, fetch = run(monkeypatch, clock, [("refused",)], _ansible_check_mode=True)
    assert kind is ExitJson
    assert result["ready"] is False
    assert len(fetch.calls) == 1
    assert result["msg"].startswith(
        f"no usable answer from the Spark master at {JSON_URL} at the one check-mode poll (1 attempt): "
        "connection refused"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_check_mode_when_formed(monkeypatch, clock, version):
    kind, result, _fetch = run(
        monkeypatch, clock, [body(version, "10_master_recovered.json")], workers=3, _ansible_check_mode=True
    )
    assert kind is ExitJson
    assert result["ready"] is True
    assert result["msg"] == "3 workers ALIVE, 12 cores, 3072 MB after 0 s"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"workers": -1}, "workers must be 0 or more, got -1"),
        ({"cores": -4}, "cores must be 0 or more, got -4"),
        (
            {"memory": "lots"},
            "memory: cannot read memory size 'lots': use a whole number of MB or Spark notation "
            "such as 512m, 4g, 1t",
        ),
        ({"memory": "1.5g"}, "memory: cannot read memory size '1.5g'"),
        ({"memory": -1}, "memory: memory size -1 is negative"),
        ({"timeout": 1, "sleep": 2}, "timeout (1 s) must not be shorter than sleep (2 s)"),
        ({"sleep": 0}, "sleep must be at least 1 second, got 0"),
        ({"url": "ftp://nuc:8080"}, "url 'ftp://nuc:8080' is not an http(s) URL of the master web UI"),
        ({"url": "nuc:8080"}, "url 'nuc:8080' is not an http(s) URL"),
        ({"url": "http://:8080"}, "url 'http://:8080' is not an http(s) URL"),
        ({"hosts": ["pi1", "PI1"]}, "hosts lists PI1 more than once"),
        ({"hosts": ["pi1", " "]}, "hosts has an empty entry"),
        ({"workers": "four"}, "argument 'workers' is of type str"),  # AnsibleModule's own check
    ],
)
def test_bad_arguments_fail_before_any_request(monkeypatch, clock, args, message):
    kind, result, fetch = run(monkeypatch, clock, [("refused",)], **args)
    assert kind is FailJson
    assert result["msg"].startswith(message)
    assert fetch.calls == []
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "url", ["http://nuc:8080", "http://nuc:8080/", "http://nuc:8080/json", "http://nuc:8080/json/"]
)
def test_url_forms_reach_the_json_page(monkeypatch, clock, url):
    kind, result, fetch = run(monkeypatch, clock, [body("3.5.9", "05_three_workers.json")], url=url)
    assert kind is ExitJson
    assert fetch.calls[0]["url"] == "http://nuc:8080/json/"
    assert result["url"] == "http://nuc:8080/json/"


def test_proxy_path_and_headers_are_kept(monkeypatch, clock):
    kind, _result, fetch = run(
        monkeypatch,
        clock,
        [body("4.1.4", "05_three_workers.json")],
        url="https://gw.example/spark/",
        headers={"X-Auth": "token"},
    )
    assert kind is ExitJson
    assert fetch.calls[0]["url"] == "https://gw.example/spark/json/"
    assert fetch.calls[0]["headers"] == {"X-Auth": "token"}
    assert fetch.calls[0]["method"] == "GET"


def test_workers_default_to_the_number_of_hosts(monkeypatch, clock, resolver):
    answers = [body("3.5.9", "04_two_workers.json")]
    kind, result, _fetch = run(monkeypatch, clock, answers, hosts=["pi1", "pi2"])
    assert kind is ExitJson
    kind, result, _fetch = run(monkeypatch, clock, answers, timeout=2, hosts=["pi1", "pi2", "pi3"])
    assert kind is FailJson
    assert result["msg"] == "2 of 3 workers ALIVE after 2 s; missing: pi3"


def test_url_password_is_no_log():
    spec = wait_for_workers.argument_spec()
    assert spec["url_password"]["no_log"] is True
    assert spec["url"]["required"] is True
