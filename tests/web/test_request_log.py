"""`daihoi serve` prints one line per request (method, path, status, ms), masks card codes and query strings,
and `--no-request-log` / DAIHOI_REQUEST_LOG=0 silences it."""

from __future__ import annotations

import io
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from daihoi.web.management.commands.serve import RequestLog, request_line, request_log_on


def test_a_request_is_one_line_without_query_or_card_code():
    assert request_line(
        {"method": "GET", "path": "/c/dh/?screen=SECRET", "status": 200, "time_taken": 0.0123}
    ) == ("GET /c/dh/ 200 12 ms")
    line = request_line({"method": "GET", "path": "/d/ABCDEFGHJK/", "status": 302, "time_taken": 0.002})
    assert line == "GET /d/…/ 302 2 ms" and "ABCDEFGHJK" not in line


def test_only_completed_http_requests_are_logged():
    out = io.StringIO()
    log = RequestLog(out)
    log("websocket", "connected", {"path": "/ws/"})
    log("http", "complete", {"method": "POST", "path": "/login/", "status": 403, "time_taken": 0.5})
    assert out.getvalue().splitlines() == ["POST /login/ 403 500 ms"]


def test_the_environment_switch(monkeypatch):
    monkeypatch.delenv("DAIHOI_REQUEST_LOG", raising=False)
    assert request_log_on()
    for off in ("0", "off", "no"):
        monkeypatch.setenv("DAIHOI_REQUEST_LOG", off)
        assert not request_log_on()


def serve(*args: str) -> tuple[subprocess.Popen[str], int, queue.Queue[str]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "DAIHOI_USE_TEST_DATABASE": "true", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DAIHOI_REQUEST_LOG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "daihoi.cli", "serve", "--quiet", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return proc, port, lines


def get(port: int, path: str, proc: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
                return int(response.status)
        except urllib.error.HTTPError as e:
            return int(e.code)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # waiting for start-up, not an assertion


def stop(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> list[str]:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    out = []
    while True:
        try:
            out.append(lines.get(timeout=2))
        except queue.Empty:
            return out


@pytest.mark.django_db(transaction=True)
def test_the_server_logs_each_request_and_can_be_silenced():
    proc, port, lines = serve()
    try:
        assert get(port, "/healthz", proc) == 200
        assert get(port, "/no-such-page/", proc) == 404
    finally:
        out = stop(proc, lines)
    assert any(line.startswith("GET /healthz 200 ") and line.endswith(" ms") for line in out), out
    assert any(line.startswith("GET /no-such-page/ 404 ") for line in out), out

    proc, port, lines = serve("--no-request-log")
    try:
        assert get(port, "/healthz", proc) == 200
    finally:
        out = stop(proc, lines)
    assert not any(line.startswith("GET /") for line in out), out
