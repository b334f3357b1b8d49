"""`daihoi serve`: a real daphne process answers /healthz, prints the hall's addresses, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import hashlib
import os
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from daihoi.congress.demo import DEMO_PASSWORD, load_demo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    *args: str, scheme: str = "http"
) -> Iterator[tuple[subprocess.Popen[str], str, queue.Queue[str]]]:
    port = free_port()
    env = {**os.environ, "DAIHOI_USE_TEST_DATABASE": "true", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "daihoi.cli", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield proc, f"{scheme}://127.0.0.1:{port}", lines
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def wait_healthy(proc: subprocess.Popen[str], url: str, context: ssl.SSLContext | None = None) -> bytes:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2, context=context) as response:  # noqa: S310
                assert response.status == 200
                return response.read()
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # polling for start-up, not an assertion


def read_until(lines: queue.Queue[str], marker: str, extra: int = 0) -> str:
    text = []
    while True:
        line = lines.get(timeout=30)
        text.append(line)
        if marker in line:
            break
    text += [lines.get(timeout=30) for _ in range(extra)]
    return "".join(text)


@pytest.mark.django_db(transaction=True)
def test_quiet_server_answers_healthz_and_stops_on_sigterm():
    with serving("--quiet") as (proc, url, lines):
        assert wait_healthy(proc, url) == b"ok"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait() == 0  # the reactor stops on SIGTERM and the command leaves at once
        output = "".join(lines.get_nowait() for _ in range(lines.qsize()))
    assert "http://" not in output  # quiet prints no banner


@pytest.mark.django_db(transaction=True)
def test_server_prints_the_hall_addresses_and_demo_logins():
    demo = load_demo()
    first_codes = list(demo.delegates.order_by("number").values_list("code", flat=True)[:3])
    with serving() as (proc, url, lines):
        banner = read_until(lines, "Mã thẻ đại biểu mẫu", extra=3)
        wait_healthy(proc, url)
        proc.send_signal(signal.SIGINT)
        # The server's own word that it stopped, then its exit (right after: no interpreter teardown).
        read_until(lines, "Đã dừng máy chủ.")
        assert proc.wait() == 0
    c = f"{url}/c/{demo.slug}"
    for address in (
        f"{url}/login/",
        f"{url}/d/",
        f"{c}/",
        f"{c}/desk/",
        f"{c}/board/",
        f"{c}/screen/{demo.screen_token}/",
    ):
        assert address in banner
    for username in ("btc", "chutich", "thuky", "thamtra", "kiemphieu", "admin"):
        assert username in banner
    assert DEMO_PASSWORD in banner
    for code in first_codes:
        assert code in banner


def test_a_busy_port_is_a_clear_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "daihoi.cli", "serve", "--port", str(port), "--quiet"],
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        )
    assert result.returncode != 0
    assert f"Cổng 127.0.0.1:{port} đang bận" in result.stderr


def children_of(pid: int) -> list[int]:
    """Live child processes of `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return url
    except OSError:
        pytest.skip("several server processes need Redis, and none answers on 127.0.0.1:6379")


def test_several_processes_without_a_shared_channel_layer_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "daihoi.cli", "serve", "--port", str(free_port()), "--processes", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_several_processes_share_the_port_and_stop_together(monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url())
    with serving("--quiet", "--processes", "2") as (proc, url, _lines):
        assert wait_healthy(proc, url) == b"ok"
        workers = children_of(proc.pid)
        assert len(workers) == 2
        for _ in range(20):  # the kernel shares the connections out; every one is answered
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
                assert response.status == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert all(not os.path.exists(f"/proc/{pid}") or pid not in children_of(proc.pid) for pid in workers)


@pytest.mark.django_db(transaction=True)
def test_a_server_process_that_dies_stops_the_whole_server_with_an_error(monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url())
    with serving("--quiet", "--processes", "2") as (proc, url, lines):
        wait_healthy(proc, url)
        workers = children_of(proc.pid)
        os.kill(workers[0], signal.SIGKILL)
        assert proc.wait(timeout=30) != 0
        assert "dừng bất thường" in read_until(lines, "dừng bất thường")


def certificate_fingerprint(url: str) -> str:
    host, port = url.removeprefix("https://").split(":")
    der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((host, int(port))))
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


@pytest.mark.django_db(transaction=True)
def test_tls_serves_https_with_the_printed_fingerprint_and_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("DAIHOI_DATA_DIR", str(tmp_path))  # a fresh hall: the certificate is made now
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # self-signed: people check the fingerprint instead
    with serving("--tls", scheme="https") as (proc, url, lines):
        banner = read_until(lines, "SHA-256")
        assert wait_healthy(proc, url, context) == b"ok"
        with urllib.request.urlopen(url + "/login/", timeout=10, context=context) as response:  # noqa: S310
            cookies = response.headers.get_all("Set-Cookie")
        printed = certificate_fingerprint(url)
        proc.send_signal(signal.SIGINT)
        read_until(lines, "Đã dừng máy chủ.")
        assert proc.wait() == 0
    assert f"{url}/login/" in banner
    assert printed in banner
    assert (tmp_path / "tls" / "hall-cert.pem").exists()
    assert cookies and all("; Secure" in cookie or "; secure" in cookie for cookie in cookies)


def test_tls_with_a_key_that_is_not_the_certificates_is_a_clear_error(tmp_path):
    from daihoi.web.tls import hall_certificate

    cert, _key, _made = hall_certificate(tmp_path / "a", ["127.0.0.1"])
    _cert, other_key, _made = hall_certificate(tmp_path / "b", ["127.0.0.1"])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "daihoi.cli",
            "serve",
            "--port",
            str(free_port()),
            "--quiet",
            "--tls-cert",
            str(cert),
            "--tls-key",
            str(other_key),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
    )
    assert result.returncode != 0
    assert "is not the key of" in result.stderr


def test_the_hall_certificate_is_made_once_and_kept(tmp_path):
    from daihoi.web.tls import fingerprint, hall_certificate

    cert, key, made = hall_certificate(tmp_path, ["192.168.1.20"])
    again, _key, made_again = hall_certificate(tmp_path, ["192.168.1.20"])
    assert made and not made_again and again == cert
    assert len(fingerprint(cert).split(":")) == 32
    assert oct(key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db(transaction=True)
def test_a_screen_socket_gets_the_live_state_and_requests_share_a_kept_alive_connection():
    import http.client
    import json

    from asgiref.sync import async_to_sync
    from websockets.asyncio.client import connect

    demo = load_demo()
    with serving("--quiet") as (proc, url, _lines):
        wait_healthy(proc, url)
        host, port = url.removeprefix("http://").split(":")
        kept = http.client.HTTPConnection(host, int(port), timeout=30)
        statuses = []
        for path in ("/healthz", f"/c/{demo.slug}/state.json?screen={demo.screen_token}", "/healthz"):
            kept.request("GET", path)
            response = kept.getresponse()
            response.read()
            statuses.append(response.status)
            if path == "/healthz" and len(statuses) == 1:
                first_socket = kept.sock
        assert statuses == [200, 200, 200]
        assert kept.sock is first_socket  # one TCP connection for all three (keep-alive)
        kept.close()

        async def first_message() -> dict:
            address = f"ws://{host}:{port}/ws/c/{demo.slug}/live/?screen={demo.screen_token}"
            async with connect(address, origin=url, open_timeout=30) as socket_:
                return json.loads(await asyncio.wait_for(socket_.recv(), timeout=30))

        message = async_to_sync(first_message)()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert message["type"] == "state"
    assert message["state"]["congress"]["slug"] == demo.slug
