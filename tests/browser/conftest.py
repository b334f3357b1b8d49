"""Browser tests: Debian's Chromium driven by Playwright against a real daphne server.

The server is a separate process (`daihoi serve`) on a free port that serves the test database
(`DAIHOI_USE_TEST_DATABASE`), so WebSockets work exactly as in the hall. Tests that use it must
commit their data: mark them `django_db(transaction=True)`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    # Browser tests last: Playwright's sync API leaves an event loop on the main thread, which makes
    # later `async_to_sync` calls (channels tests) refuse to run.
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server_url(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """A daphne server in its own process, on the test database."""
    port = free_port()
    # The server merges live pushes as in the hall, so the browser tests see that path too.
    env = {
        **os.environ,
        "DAIHOI_USE_TEST_DATABASE": "true",
        "PYTHONUNBUFFERED": "1",
        "DAIHOI_LIVE_COALESCE_SECONDS": "0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "daihoi.cli", "serve", "--port", str(port), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()  # noqa: S310
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                proc.kill()
                raise RuntimeError(f"the test server did not start:\n{err}") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
