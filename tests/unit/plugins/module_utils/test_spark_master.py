"""spark_master module_utils: URL, parsing, error naming and host matching.

The HTTP tests here use Ansible's real fetch_url against servers on 127.0.0.1
(a small http.server, a closed port, a socket that never answers), so the
error texts the module classifies are the ones fetch_url really produces.
"""

import http.server
import json
import pathlib
import socket
import threading

import pytest
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args
from ansible_collections.picluster.spark.plugins.module_utils import spark_master
from ansible_collections.picluster.spark.plugins.modules import wait_for_workers

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
VERSIONS = ["3.5.9", "4.1.4"]


def recordings():
    for version in VERSIONS:
        notes = json.loads((FIXTURES / f"spark-{version}" / "recording.json").read_text())
        for name, note in sorted(notes["files"].items()):
            if name.endswith(".json"):
                yield pytest.param(version, name, note, id=f"{version}/{name}")


@pytest.mark.parametrize(("version", "name", "note"), list(recordings()))
def test_every_recording_parses_and_matches_its_notes(version, name, note):
    doc = spark_master.parse_master_json((FIXTURES / f"spark-{version}" / name).read_bytes())
    assert isinstance(doc, dict)
    summary = spark_master.summarize(doc)
    assert summary["status"] == note["status"]
    assert sorted((w["host"], w["state"]) for w in summary["workers"]) == [tuple(w) for w in note["workers"]]
    alive = [w for w in summary["workers"] if w["state"] == "ALIVE"]
    assert summary["alive_workers"] == len(alive) == doc["aliveworkers"]
    # Our sums of ALIVE workers agree with the master's own totals.
    assert summary["cores"] == doc["cores"] == 4 * len(alive)
    assert summary["memory_mb"] == doc["memory"] == 1024 * len(alive)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://nuc:8080", "http://nuc:8080/json/"),
        ("http://nuc:8080/", "http://nuc:8080/json/"),
        ("http://nuc:8080/json", "http://nuc:8080/json/"),
        ("http://nuc:8080/json/", "http://nuc:8080/json/"),
        (" https://gw/spark ", "https://gw/spark/json/"),
        ("http://[::1]:8080", "http://[::1]:8080/json/"),
        ("http://nuc:8080/?x=1", "http://nuc:8080/json/?x=1"),
    ],
)
def test_json_url(url, expected):
    assert spark_master.json_url(url) == expected


@pytest.mark.parametrize("url", ["nuc:8080", "ftp://nuc", "http://", "file:///json", ""])
def test_json_url_refuses_what_is_not_http(url):
    with pytest.raises(ValueError, match="is not an http"):
        spark_master.json_url(url)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"", "empty body"),
        (b"<html></html>", "not JSON"),
        (b"[]", "not a master's JSON"),
        (b'{"status": "ALIVE"}', "not a master's JSON"),
        (b'{"status": "ALIVE", "workers": [1]}', "not a master's JSON"),
        (b'{"status": 1, "workers": []}', "not a master's JSON"),
    ],
)
def test_parse_refuses_other_bodies(body, kind):
    result = spark_master.parse_master_json(body)
    assert isinstance(result, spark_master.PollError)
    assert result.kind == kind


def test_host_matcher_real_resolution():
    # localhost is in every /etc/hosts; it must stand for a worker on 127.0.0.1.
    matcher = spark_master.HostMatcher()
    assert matcher.missing(["localhost", "127.0.0.1", "LOCALHOST."], ["127.0.0.1"]) == []
    assert matcher.missing(["localhost"], ["127.0.0.2"]) == ["localhost"]
    assert matcher.missing(["no-such-host.invalid"], ["127.0.0.1"]) == ["no-such-host.invalid"]


def test_host_matcher_caches_lookups():
    asked = []

    def resolve(host):
        asked.append(host)
        return {"10.0.0.1"} if host in ("pi1", "10.0.0.1") else set()

    matcher = spark_master.HostMatcher(resolve)
    for _round in range(3):
        assert matcher.missing(["pi1", "pi2"], ["10.0.0.1"]) == ["pi2"]
    assert sorted(asked) == ["10.0.0.1", "pi1", "pi2"]


# -- real fetch_url ---------------------------------------------------------------------------


class Script(http.server.BaseHTTPRequestHandler):
    """Answers each GET with the next (code, content type, body) of the server's script."""

    def do_GET(self):
        server = self.server
        server.paths.append(self.path)
        server.headers_seen.append(dict(self.headers))
        code, ctype, body = server.script.pop(0) if len(server.script) > 1 else server.script[0]
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Script)
    httpd.script = [(200, "application/json", b"{}")]
    httpd.paths = []
    httpd.headers_seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def module_for(url, **extra):
    with patch_module_args(dict(url=url, **extra)):
        return basic.AnsibleModule(argument_spec=wait_for_workers.argument_spec())


def base_url(httpd):
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.mark.parametrize("version", VERSIONS)
def test_real_fetch_of_a_recording(server, version):
    raw = (FIXTURES / f"spark-{version}" / "05_three_workers.json").read_bytes()
    server.script = [(200, "application/json;charset=utf-8", raw)]
    url = spark_master.json_url(base_url(server))
    poll = spark_master.make_poller(module_for(url, headers={"X-Test": "1"}), url)
    doc, error = poll(30)
    assert error is None
    assert doc["aliveworkers"] == 3
    assert server.paths == ["/json/"]
    assert server.headers_seen[0]["X-Test"] == "1"


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (401, "HTTP 401", "(HTTP Error 401: Unauthorized): the UI wants credentials"),
        (403, "HTTP 403", "(HTTP Error 403: Forbidden): the credentials or headers given"),
        (404, "HTTP 404", "(HTTP Error 404: Not Found): is url the master web UI"),
        (500, "HTTP 500", "(HTTP Error 500: Internal Server Error): the master UI failed"),
    ],
)
def test_real_fetch_http_errors(server, code, kind, words):
    server.script = [(code, "text/plain", b"no")]
    url = spark_master.json_url(base_url(server))
    doc, error = spark_master.make_poller(module_for(url), url)(30)
    assert doc is None
    assert error.kind == kind
    assert error.detail.startswith(f"HTTP {code} from {url} {words}")


@pytest.mark.parametrize("version", VERSIONS)
def test_real_fetch_html_page(server, version):
    server.script = [(200, "text/html", (FIXTURES / f"spark-{version}" / "master_root.html").read_bytes())]
    url = spark_master.json_url(base_url(server))
    doc, error = spark_master.make_poller(module_for(url), url)(30)
    assert doc is None
    assert error.kind == "not JSON"


def test_real_fetch_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on that port now.
    url = spark_master.json_url(f"http://127.0.0.1:{port}")
    doc, error = spark_master.make_poller(module_for(url), url)(30)
    assert doc is None
    assert error.kind == "connection refused"
    assert error.detail.startswith(f"connection refused by 127.0.0.1:{port}")


def test_real_fetch_timeout():
    # A listening socket that never accepts: the TCP handshake completes, no answer comes.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = spark_master.json_url(f"http://127.0.0.1:{sock.getsockname()[1]}")
        doc, error = spark_master.make_poller(module_for(url), url)(0.5)
    assert doc is None
    assert error.kind == "timed out"


def test_real_fetch_unresolvable_name():
    url = spark_master.json_url("http://no-such-host.invalid:8080")
    doc, error = spark_master.make_poller(module_for(url), url)(30)
    assert doc is None
    assert error.kind == "name not resolved"


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.mark.parametrize("version", VERSIONS)
def test_module_end_to_end_over_real_http(server, monkeypatch, version):
    """The module against recorded bodies served over HTTP: only the clock is fake."""

    def rec(name):
        return (200, "application/json", (FIXTURES / f"spark-{version}" / name).read_bytes())

    server.script = [
        (503, "text/plain", b"starting"),
        rec("01_master_standby.json"),
        rec("03_one_worker.json"),
        rec("06_worker_dead.json"),
        rec("07_worker_reregistered.json"),
    ]
    monkeypatch.setattr(spark_master, "time", FakeTime())
    results = {}

    def capture(kind):
        def handler(_self, **kwargs):
            results[kind] = kwargs
            raise SystemExit

        return handler

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", capture("exit"))
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", capture("fail"))
    args = {"url": base_url(server), "hosts": ["127.0.0.2", "127.0.0.3", "127.0.0.4"], "memory": "3g"}
    with patch_module_args(args), pytest.raises(SystemExit):
        wait_for_workers.main()
    assert list(results) == ["exit"]
    result = results["exit"]
    assert result["attempts"] == 5
    assert result["alive_workers"] == 3
    assert result["memory_mb"] == 3072
    assert len(result["workers"]) == 4
    assert server.paths == ["/json/"] * 5
