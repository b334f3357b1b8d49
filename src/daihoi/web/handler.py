"""The HTTP side of the server: Django's ASGI handler, with each request's work in one job on a fixed pool
of threads.

Django's own ASGI handler runs a sync project badly under load. Each request gets a new thread (its
`ThreadSensitiveContext`), so a database connection is opened and closed per request; `request_started`
and `request_finished` are sent from the event loop, the view runs in a thread, and the response's close
is one more hop: with hundreds of requests in flight the hops queue behind one another on the loop.

Here the middleware chain is Django's sync chain (as under WSGI), and a request is one job on one of
`DAIHOI_SERVER_THREADS` long-lived threads, first come first served: `request_started`, the view, the
response's headers and body, and its close (with `request_finished`) all run there. Each thread keeps its
database connection between requests (`CONN_MAX_AGE`, checked by those signals), so connections are
bounded by the pool. The event loop only reads requests (a small body straight into memory), writes the
ready messages and serves the WebSockets.

A streamed response (a file from WhiteNoise, a download) is read in the pool a block at a time, so a file
read never blocks the loop; a small one is read whole in the request's own job. It is closed in the job
that reads its end, or at once when the client leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import connections
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix

from daihoi.congress import live
from daihoi.web.env import env_int

DEFAULT_THREADS = 8
SMALL_BODY = 64 * 1024  # a request body up to this size is read into memory on the loop, with no spool
Message = dict[str, Any]


def pool_size() -> int:
    return env_int("DAIHOI_SERVER_THREADS", DEFAULT_THREADS, minimum=1)


@dataclass
class Served:
    """What a request's job hands back to the loop: the messages to send, and an unfinished stream."""

    messages: list[Message]
    response: HttpResponseBase | None = None  # set while a streamed response is still open
    body: IO[bytes] | None = None
    chunks: Iterator[bytes] | None = None  # a sync stream's rest, read in the pool


class PooledASGIHandler(ASGIHandler):
    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.load_middleware(is_async=False)  # the sync chain: the whole request in one thread
        self.threads = threads or pool_size()
        self._pool: Executor = ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="daihoi-request"
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        live.attach_loop(asyncio.get_running_loop(), self._pool)
        # No ThreadSensitiveContext: the request's work runs in the pool.
        await self.handle(scope, receive, send)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Read the body on the loop, serve the request in one pool job, send what it made."""
        try:
            body = await self.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()  # the request's context vars go along, as Django's do
        served = await loop.run_in_executor(self._pool, context.run, self._serve, scope, body)
        for message in served.messages:
            await send(message)
        if served.response is not None:
            await self._stream(loop, context, served, receive, send)

    async def read_body(self, receive: Any) -> IO[bytes]:
        """The request body: in memory up to SMALL_BODY, else in Django's spooled file (on disk past
        FILE_UPLOAD_MAX_MEMORY_SIZE)."""
        parts: list[bytes] = []
        size = 0
        spool: IO[bytes] | None = None
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                if spool is not None:
                    spool.close()
                raise RequestAborted()
            part = message.get("body", b"")
            if spool is not None:
                spool.write(part)
            elif part:
                parts.append(part)
                size += len(part)
                if size > SMALL_BODY:
                    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed with the request
                        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b"
                    )
                    spool.writelines(parts)
                    parts = []
            if not message.get("more_body", False):
                break
        if spool is None:
            return io.BytesIO(parts[0] if len(parts) == 1 else b"".join(parts))
        spool.seek(0)
        return spool

    # In the pool ------------------------------------------------------------------------------------

    def _serve(self, scope: dict[str, Any], body: IO[bytes]) -> Served:
        """The request's one job: request_started, the view, the response's messages and its close."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)  # checks this thread's connection
        request, error = self.create_request(scope, body)
        if request is None:
            response: HttpResponseBase = error
        else:
            response = self.get_response(request)
        response._handler_class = self.__class__  # for request_finished
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        try:
            start = {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": _headers(response),
            }
            messages = [start] if response.streaming else [start, *_body_messages(response.content)]
        except BaseException:
            _finish(response, body)
            raise
        if not response.streaming:
            _finish(response, body)  # its content is in the messages: closed before they are sent
            return Served(messages)
        if response.is_async:  # an async stream: iterated on the loop
            return Served(messages, response, body)
        served = Served(messages, response, body, iter(response.streaming_content))
        served.messages += self._read_block(served)
        return served

    def _read_block(self, served: Served) -> list[Message]:
        """The next block of a sync stream (up to chunk_size, at least one part); at its end the response
        is closed here and the last message says so."""
        assert served.chunks is not None and served.response is not None
        size = 0
        parts: list[bytes] = []
        try:
            for part in served.chunks:
                if part:
                    parts.append(part)
                    size += len(part)
                    if size >= self.chunk_size:
                        return [_chunk(b"".join(parts), more=True)]
        except BaseException:
            _finish(served.response, served.body)
            served.response = None
            raise
        _finish(served.response, served.body)
        served.response = None
        return [_chunk(b"".join(parts), more=False)]

    # On the loop ------------------------------------------------------------------------------------

    async def _stream(
        self,
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context,
        served: Served,
        receive: Any,
        send: Any,
    ) -> None:
        """Send the rest of a streamed response, stopping if the client leaves; then it is closed."""
        left = asyncio.ensure_future(_client_leaves(receive))
        try:
            if served.chunks is not None:
                # One block per pool job; never cancelled mid-read, so the close never races a read.
                while served.response is not None and not left.done():
                    for message in await loop.run_in_executor(
                        self._pool, context.run, self._read_block, served
                    ):
                        await send(message)
            else:
                sending = asyncio.ensure_future(self._send_async_parts(served, send))
                await asyncio.wait([left, sending], return_when=asyncio.FIRST_COMPLETED)
                if not sending.done():
                    sending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sending
        finally:
            left.cancel()
            if served.response is not None:  # the client left (or the stream failed) before its end
                response, body = served.response, served.body
                served.response = None
                await loop.run_in_executor(self._pool, context.run, _finish, response, body)

    async def _send_async_parts(self, served: Served, send: Any) -> None:
        assert served.response is not None
        content: AsyncIterator[bytes] = aiter(served.response)
        async with contextlib.aclosing(content):  # type: ignore[type-var]
            async for part in content:
                for chunk, _last in self.chunk_bytes(part):
                    await send(_chunk(chunk, more=True))
        await send(_chunk(b"", more=False))

    def close_connections(self) -> None:
        """Close the database connection of every pool thread (at shutdown, or after a test)."""
        everyone = threading.Barrier(self.threads)

        def close() -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                everyone.wait(timeout=10)  # holds each thread until all have a task: one task per thread
            connections.close_all()

        for done in [self._pool.submit(close) for _ in range(self.threads)]:
            done.result()


def _headers(response: HttpResponseBase) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies as ASGI wants them (as Django's send_response makes them)."""
    headers = [
        (header.encode("ascii") if isinstance(header, str) else bytes(header),
         value.encode("latin1") if isinstance(value, str) else bytes(value))
        for header, value in response.items()
    ]  # fmt: skip
    headers += [
        (b"Set-Cookie", c.output(header="").encode("ascii").strip()) for c in response.cookies.values()
    ]
    return headers


def _chunk(data: bytes, more: bool) -> Message:
    return {"type": "http.response.body", "body": data, "more_body": more}


def _body_messages(content: bytes) -> list[Message]:
    return [_chunk(chunk, more=not last) for chunk, last in ASGIHandler.chunk_bytes(content)]


def _finish(response: HttpResponseBase, body: IO[bytes] | None) -> None:
    """Close the response (its resources, then request_finished) and the request's body."""
    try:
        response.close()
    finally:
        if body is not None:
            body.close()


async def _client_leaves(receive: Any) -> None:
    """Returns when the client disconnects (the only message an ASGI server sends after the body)."""
    await receive()
