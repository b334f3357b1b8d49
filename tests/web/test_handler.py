"""The server's HTTP handler: Django's middleware chain and views on a fixed pool of threads, each
keeping its database connection between requests."""

from __future__ import annotations

import asyncio
import hashlib
import io
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Executor, Future
from tempfile import SpooledTemporaryFile

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.core import signals
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path as route
from django.views.decorators.csrf import csrf_exempt

from daihoi.web.handler import DEFAULT_THREADS, SMALL_BODY, PooledASGIHandler, pool_size
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
    communicator = HttpCommunicator(app, method, path, body=body, headers=[HOST, *(headers or [])])
    return await communicator.get_response(timeout=60)  # a ceiling for a loaded machine, not a measure


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


# One job per request -------------------------------------------------------------------------------
# The views below are served by this module as the URLconf (settings.ROOT_URLCONF), through the real
# middleware chain.

seen_threads: list[tuple[str, str]] = []  # (what, thread name), in the order it happened
stream_events: list[str] = []
first_block_sent = threading.Event()


@csrf_exempt
def echo(request: HttpRequest) -> HttpResponse:
    seen_threads.append(("view", threading.current_thread().name))
    return HttpResponse(f"{len(request.body)} {hashlib.sha256(request.body).hexdigest()}")


def waits_for_the_client(request: HttpRequest) -> StreamingHttpResponse:
    def parts() -> Iterator[bytes]:
        try:
            yield b"a" * PooledASGIHandler.chunk_size  # a full block: sent before the next part is made
            stream_events.append("first made")
            if not first_block_sent.wait(timeout=10):  # a buffering handler would stall here
                raise AssertionError("the first block was not sent before the rest was made")
            stream_events.append("first seen by the client")
            yield b"b" * 10
        finally:
            stream_events.append(f"closed on {threading.current_thread().name}")

    return StreamingHttpResponse(parts())


def endless(request: HttpRequest) -> StreamingHttpResponse:
    def parts() -> Iterator[bytes]:
        try:
            for _ in range(1000):
                yield b"x" * PooledASGIHandler.chunk_size
        finally:
            stream_events.append("closed")

    return StreamingHttpResponse(parts())


def async_stream(request: HttpRequest) -> StreamingHttpResponse:
    async def parts() -> AsyncIterator[bytes]:
        try:
            for word in (b"one ", b"two ", b"three"):
                yield word
        finally:
            stream_events.append("closed")

    return StreamingHttpResponse(parts())


urlpatterns = [
    route("echo/", echo),
    route("async-stream/", async_stream),
    route("stream/", waits_for_the_client),
    route("endless/", endless),
]


class CountingPool(Executor):
    """The handler's pool, counting the jobs given to it."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.jobs = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        self.jobs += 1
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, **kwargs) -> None:
        self.inner.shutdown(wait=wait, **kwargs)


@pytest.fixture
def counted(handler: PooledASGIHandler) -> CountingPool:
    handler._pool = CountingPool(handler._pool)
    return handler._pool


@pytest.fixture
def own_urls(settings) -> None:
    settings.ROOT_URLCONF = __name__
    seen_threads.clear()
    stream_events.clear()
    first_block_sent.clear()


def asgi_call(
    app, method: str, path: str, parts: list[bytes] | None = None, leave_after_first_block: bool = False
) -> list[dict]:
    """Call an ASGI app with the body in `parts` (one message each); return every message it sent."""
    body = list(parts or [b""])
    sent: list[dict] = []
    left = asyncio.Event()

    async def receive() -> dict:
        if body:
            part = body.pop(0)
            return {"type": "http.request", "body": part, "more_body": bool(body)}
        await left.wait()  # after the body, the only message is the client leaving
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            first_block_sent.set()
            if leave_after_first_block:
                left.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [HOST, (b"content-type", b"application/octet-stream")],
        "client": ("127.0.0.1", 1234), "server": ("testserver", 80),
    }  # fmt: skip
    async_to_sync(app)(scope, receive, send)
    return sent


def body_of(sent: list[dict]) -> bytes:
    assert sent[-1]["type"] == "http.response.body" and not sent[-1].get("more_body", False)
    return b"".join(m.get("body", b"") for m in sent[1:])


def test_a_plain_request_is_one_pool_job(handler, counted):
    congress = make_congress(delegates=2)
    path = f"/c/{congress.slug}/state.json?screen={congress.screen_token}"
    assert get(handler, path)["status"] == 200
    assert counted.jobs == 1
    assert get(handler, "/login/")["status"] == 200  # a page with a session, CSRF cookie and template
    assert counted.jobs == 2


def test_request_signals_the_view_and_the_close_run_on_the_same_pool_thread(handler, counted, own_urls):
    def started(**kwargs) -> None:
        seen_threads.append(("started", threading.current_thread().name))

    def finished(**kwargs) -> None:
        seen_threads.append(("finished", threading.current_thread().name))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        sent = asgi_call(handler, "POST", "/echo/", [b"hello"])
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert sent[0]["status"] == 200
    assert body_of(sent) == f"5 {hashlib.sha256(b'hello').hexdigest()}".encode()
    assert [what for what, _ in seen_threads] == ["started", "view", "finished"]
    threads = {name for _, name in seen_threads}
    assert len(threads) == 1 and threads.pop().startswith("daihoi-request")
    assert counted.jobs == 1


def test_a_small_body_is_read_into_memory_and_a_large_one_into_a_spooled_file(handler):
    def read(parts: list[bytes]):
        messages = [
            {"type": "http.request", "body": p, "more_body": i < len(parts) - 1} for i, p in enumerate(parts)
        ]

        async def receive() -> dict:
            return messages.pop(0)

        return async_to_sync(handler.read_body)(receive)

    small = read([b"a" * 1000, b"b" * 1000])
    assert isinstance(small, io.BytesIO) and small.read() == b"a" * 1000 + b"b" * 1000
    large = read([b"c" * SMALL_BODY, b"d" * 10, b"e" * 10])
    assert isinstance(large, SpooledTemporaryFile)
    assert large.read() == b"c" * SMALL_BODY + b"d" * 10 + b"e" * 10
    large.close()


def test_a_one_megabyte_body_in_many_parts_reaches_the_view_whole(handler, counted, own_urls):
    data = bytes(range(256)) * 4096  # 1 MiB
    parts = [data[i : i + 65536] for i in range(0, len(data), 65536)]
    sent = asgi_call(handler, "POST", "/echo/", parts)
    assert sent[0]["status"] == 200
    assert body_of(sent) == f"{len(data)} {hashlib.sha256(data).hexdigest()}".encode()
    assert counted.jobs == 1


def test_a_streamed_response_is_sent_block_by_block_and_closed_in_the_pool(handler, counted, own_urls):
    sent = asgi_call(handler, "GET", "/stream/")
    assert sent[0]["status"] == 200
    assert body_of(sent) == b"a" * PooledASGIHandler.chunk_size + b"b" * 10
    assert stream_events[:2] == ["first made", "first seen by the client"]
    assert len(stream_events) == 3 and stream_events[2].startswith("closed on daihoi-request")
    assert counted.jobs == 2  # the first block in the request's job; the rest and the close in one more


def test_a_client_leaving_a_stream_stops_it_and_closes_the_response(handler, own_urls):
    sent = asgi_call(handler, "GET", "/endless/", leave_after_first_block=True)
    blocks = [m for m in sent if m["type"] == "http.response.body"]
    assert 1 <= len(blocks) <= 2  # at most the block already being read when the client left
    assert all(m["more_body"] for m in blocks)
    assert stream_events == ["closed"]


@pytest.fixture
def server_pool() -> Iterator[CountingPool]:
    from daihoi.web.asgi import django_asgi_app

    real = django_asgi_app._pool
    django_asgi_app._pool = CountingPool(real)
    yield django_asgi_app._pool
    django_asgi_app._pool = real


def test_a_small_static_file_is_read_and_closed_in_its_request_job(server_pool):
    from daihoi.web.asgi import application

    status, _headers, body = call_asgi(application, "/static/daihoi/live.js")
    assert status == 200 and 0 < len(body) < PooledASGIHandler.chunk_size
    assert server_pool.jobs == 1


def test_an_async_stream_is_sent_from_the_loop_and_its_response_closed_in_the_pool(handler, own_urls):
    def finished(**kwargs) -> None:
        seen_threads.append(("finished", threading.current_thread().name))

    signals.request_finished.connect(finished)
    try:
        sent = asgi_call(handler, "GET", "/async-stream/")
    finally:
        signals.request_finished.disconnect(finished)
    assert sent[0]["status"] == 200
    assert body_of(sent) == b"one two three"
    assert stream_events == ["closed"]
    [(what, thread)] = seen_threads
    assert what == "finished" and thread.startswith("daihoi-request")
