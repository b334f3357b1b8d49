"""The server's HTTP handler: Django's middleware chain and views on a fixed pool of threads, each
keeping its database connection between requests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from daihoi.web.handler import DEFAULT_THREADS, PooledASGIHandler, pool_size
from tests.factories import make_congress

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def handler() -> Iterator[PooledASGIHandler]:
    app = PooledASGIHandler(threads=3)
    yield app
    app.close_connections()  # PostgreSQL will not drop the test database under open connections


HOST = (b"host", b"testserver")


async def ask(
    app: PooledASGIHandler, method: str, path: str, headers: list | None = None, body: bytes = b""
) -> dict:
    return await HttpCommunicator(
        app, method, path, body=body, headers=[HOST, *(headers or [])]
    ).get_response()


def get(app: PooledASGIHandler, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict:
    return async_to_sync(ask)(app, "GET", path, headers)


def test_the_pool_size_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("DAIHOI_SERVER_THREADS", raising=False)
    assert pool_size() == DEFAULT_THREADS
    monkeypatch.setenv("DAIHOI_SERVER_THREADS", "16")
    assert pool_size() == 16
    for bad in ("0", "-2", "many"):
        monkeypatch.setenv("DAIHOI_SERVER_THREADS", bad)
        with pytest.raises(ImproperlyConfigured, match="DAIHOI_SERVER_THREADS"):
            pool_size()


def test_a_page_is_served_through_the_whole_middleware_chain(handler):
    congress = make_congress(delegates=3)
    response = get(handler, f"/c/{congress.slug}/state.json?screen={congress.screen_token}")
    assert response["status"] == 200
    headers = dict(response["headers"])
    assert headers[b"Content-Language"] == b"vi"  # ChosenLanguageMiddleware
    assert headers[b"X-Frame-Options"] == b"DENY"  # XFrameOptionsMiddleware
    assert b'"present": 0' in response["body"] or b'"present":0' in response["body"]


def test_the_chosen_language_reaches_the_view_on_the_pool_thread(handler):
    congress = make_congress(delegates=2)
    english = get(handler, f"/c/{congress.slug}/desk/", headers=[(b"cookie", b"django_language=en")])
    assert english["status"] == 302  # not signed in: to the login page, in English
    page = get(handler, "/login/", headers=[(b"cookie", b"django_language=en")])
    assert page["status"] == 200 and b'lang="en"' in page["body"]
    assert dict(page["headers"])[b"Content-Language"] == b"en"


def test_a_post_without_its_csrf_token_is_refused_by_the_chain(handler):
    congress = make_congress(delegates=2)
    response = async_to_sync(ask)(handler, "POST", f"/c/{congress.slug}/me/elections/1/cast.json", body=b"{}")
    assert response["status"] == 403


def test_requests_run_on_the_pool_and_keep_their_connections(handler, monkeypatch):
    congress = make_congress(delegates=2)
    seen: list[tuple[str, int]] = []
    from daihoi.congress import live

    real = live.congress_state

    def spy(*args, **kwargs):
        seen.append((threading.current_thread().name, id(connection.connection)))
        return real(*args, **kwargs)

    monkeypatch.setattr("daihoi.congress.views.hall_checkin.live.congress_state", spy)
    path = f"/c/{congress.slug}/state.json?screen={congress.screen_token}"

    async def many() -> list[dict]:
        return await asyncio.gather(*(ask(handler, "GET", path) for _ in range(12)))

    responses = async_to_sync(many)()
    assert [r["status"] for r in responses] == [200] * 12
    threads = {name for name, _ in seen}
    assert len(seen) == 12 and threads and all(n.startswith("daihoi-request") for n in threads)
    assert len(threads) <= handler.threads
    # A thread's later requests reuse the connection its first one opened (CONN_MAX_AGE).
    per_thread: dict[str, set[int]] = {}
    for name, conn in seen:
        per_thread.setdefault(name, set()).add(conn)
    assert all(len(conns) == 1 for conns in per_thread.values()), per_thread


def test_closing_the_connections_closes_every_pool_thread(handler):
    congress = make_congress(delegates=2)
    path = f"/c/{congress.slug}/state.json?screen={congress.screen_token}"

    async def many() -> list[dict]:
        return await asyncio.gather(*(ask(handler, "GET", path) for _ in range(9)))

    async_to_sync(many)()
    handler.close_connections()

    def still_open() -> bool:
        return connection.connection is not None

    assert not any(handler._pool.submit(still_open).result() for _ in range(handler.threads * 3))


def test_a_role_gate_still_refuses_on_the_pool(handler):
    congress = make_congress(delegates=2)
    response = get(handler, f"/c/{congress.slug}/state.json", headers=[(b"accept", b"application/json")])
    assert response["status"] == 401  # no screen token, no session: the one gate refuses, on the pool too


def call_asgi(app, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET `path` from an ASGI app, collecting a streamed body (which may end with no `body` key)."""
    sent: list[dict] = []
    asked: list[int] = []

    async def receive() -> dict:
        asked.append(1)
        if len(asked) > 1:  # the handler listens for a disconnect that never comes
            await asyncio.Event().wait()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [HOST], "client": ("127.0.0.1", 1234), "server": ("testserver", 80),
    }  # fmt: skip
    async_to_sync(app)(scope, receive, send)
    start = sent[0]
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_static_files_are_served_by_whitenoise_through_the_server_application():
    from importlib.resources import files

    from daihoi.web.asgi import application

    expected = (files("daihoi.congress") / "static" / "daihoi" / "live.js").read_bytes()
    status, headers, body = call_asgi(application, "/static/daihoi/live.js")
    assert status == 200
    assert body == expected
    assert "max-age" in headers["cache-control"]  # WhiteNoise's caching headers, not Django's
    assert headers["content-type"].startswith("text/javascript")
    assert call_asgi(application, "/static/daihoi/no-such-file.js")[0] == 404
