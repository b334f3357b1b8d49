"""The HTTP side of the server: Django's ASGI handler, with the request work in a fixed pool of threads.

Django's own ASGI handler runs a sync project badly under load. Each request gets a new thread (its
`ThreadSensitiveContext`), so a database connection is opened and closed per request, and every
middleware hook of an async-mode chain hops between that thread and the event loop, a dozen times per
request. With hundreds of requests in flight the hops queue behind one another on the loop.

Here the middleware chain is Django's sync chain (as under WSGI), and each request runs in one hop on one
of `DAIHOI_SERVER_THREADS` long-lived threads, first come first served. Each thread keeps its database
connection between requests (`CONN_MAX_AGE`, checked before use), so connections are bounded by the
pool. The event loop only reads requests, writes responses and serves the WebSockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections, connections
from django.http import HttpRequest, HttpResponseBase

from daihoi.congress import live
from daihoi.web.env import env_int

DEFAULT_THREADS = 8


def pool_size() -> int:
    return env_int("DAIHOI_SERVER_THREADS", DEFAULT_THREADS, minimum=1)


class PooledASGIHandler(ASGIHandler):
    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.load_middleware(is_async=False)  # the sync chain: the whole request in one thread
        self.threads = threads or pool_size()
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="daihoi-request")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        live.attach_loop(asyncio.get_running_loop(), self._pool)
        # No ThreadSensitiveContext: the request's work runs in the pool (see get_response_async).
        await self.handle(scope, receive, send)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()  # the request's context vars (language, urlconf) go along
        response = await loop.run_in_executor(self._pool, context.run, self._respond, request)
        if response.streaming and not response.is_async:  # a file (WhiteNoise, downloads)
            response.streaming_content = self._read_in_pool(loop, iter(response.streaming_content))  # type: ignore[attr-defined]
        return response

    async def _read_in_pool(self, loop: asyncio.AbstractEventLoop, chunks: Any) -> Any:
        """A sync iterator's chunks read in the pool, so file reads never block the event loop."""
        done = object()
        while (chunk := await loop.run_in_executor(self._pool, next, chunks, done)) is not done:
            yield chunk

    def close_connections(self) -> None:
        """Close the database connection of every pool thread (at shutdown, or after a test)."""
        everyone = threading.Barrier(self.threads)

        def close() -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                everyone.wait(timeout=10)  # holds each thread until all have a task: one task per thread
            connections.close_all()

        for done in [self._pool.submit(close) for _ in range(self.threads)]:
            done.result()

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        # Django sends request_started/finished from the event loop's side, so this thread checks its own
        # connection here: dropped if broken or older than CONN_MAX_AGE, else kept for the next request.
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()
