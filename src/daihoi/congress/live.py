"""Live updates: after a change commits, every screen of the congress gets the new state.

The state is one JSON document built from sections (`attendance`, `agenda`, `speaker`, ...). Each
feature registers the builder of its section; the WebSocket push and the polling fallback
(`/c/<slug>/state.json`) send the same document, so a screen that lost its socket shows the same thing.
Screens receive only public facts: never who voted what.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, connections, transaction

from daihoi.congress.models import Congress

log = logging.getLogger(__name__)

SectionBuilder = Callable[[Congress], Any]
_sections: dict[str, SectionBuilder] = {}


def register_section(name: str) -> Callable[[SectionBuilder], SectionBuilder]:
    def decorate(fn: SectionBuilder) -> SectionBuilder:
        _sections[name] = fn
        return fn

    return decorate


def group_name(congress_id: int) -> str:
    return f"congress-{congress_id}"


def congress_state(congress: Congress, *, fresh: bool = False) -> dict[str, Any]:
    """The public state of the congress, as every screen shows it (`fresh`: just read, not re-read)."""
    if not fresh:
        congress.refresh_from_db()
    state: dict[str, Any] = {
        "congress": {"slug": congress.slug, "name": congress.name, "state": congress.state},
    }
    for name, build in _sections.items():
        state[name] = build(congress)
    return state


# --- pushing --------------------------------------------------------------------------------------
# One mechanism for every change (a check-in, a ballot, the close of a vote). A burst of commits (60
# check-ins or 200 ballots a second) must not each rebuild the state and push it to every screen, so
# pushes are merged: at most one per DAIHOI_LIVE_COALESCE_SECONDS per congress, each built when it is
# sent, so the last commit of a burst is always shown.
# - In the server, the merging runs on its event loop (attached by the HTTP handler): the state is built
#   on one of the request threads and sent from the loop, where the sockets live.
# - Elsewhere (a command, a test with merging on) a timer thread does the same.
# - With 0 (the test suite's setting) every commit pushes at once, in the committing thread.
# Building the state costs some milliseconds of the server's time; under a heavy burst (hundreds of
# ballots a second) pushes are spaced further, so that they take at most PUSH_SHARE of it.
PUSH_SHARE = 0.1

_loop: asyncio.AbstractEventLoop | None = None
_executor: Executor | None = None
_pending: set[int] = set()  # congresses with a push scheduled; guarded by _pending_lock
_pending_lock = threading.Lock()
_quiet_until: dict[int, float] = {}  # congress id -> monotonic time before which no push is built


def attach_loop(loop: asyncio.AbstractEventLoop, executor: Executor | None = None) -> None:
    """The server's event loop (and the pool where the state is built) take over the merged pushes."""
    global _loop, _executor
    _loop, _executor = loop, executor


def _attached_loop() -> asyncio.AbstractEventLoop | None:
    loop = _loop
    return loop if loop is not None and loop.is_running() else None


def _message(congress_id: int) -> dict[str, Any]:
    fresh = Congress.objects.get(pk=congress_id)
    # Serialised once here: each screen's socket then sends the same text (no copy per screen).
    text = json.dumps({"type": "state", "state": congress_state(fresh, fresh=True)}, cls=DjangoJSONEncoder)
    return {"type": "congress.state", "text": text}


def pushed_state(message: dict[str, Any]) -> dict[str, Any]:
    """The state a push message carries (as every screen receives it)."""
    state: dict[str, Any] = json.loads(message["text"])["state"]
    return state


def _send_state(congress_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        message = _message(congress_id)
        try:
            # A caller on an event loop's thread (Playwright's sync API drives one) cannot block on it.
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not None:
            running.create_task(layer.group_send(group_name(congress_id), message))
        else:
            async_to_sync(layer.group_send)(group_name(congress_id), message)
    except Exception:  # a screen missing one push falls back to polling; the change itself stands
        log.exception("live publish failed for congress %s", congress_id)


def _claim(congress_id: int) -> bool:
    """True if no push is scheduled for this congress yet (and one is now)."""
    with _pending_lock:
        if congress_id in _pending:
            return False
        _pending.add(congress_id)
        return True


def _release(congress_id: int) -> None:
    """A commit from now on schedules the next push (the one being built may not see it)."""
    with _pending_lock:
        _pending.discard(congress_id)


def _built(congress_id: int) -> dict[str, Any]:
    """The push message, noting what building it cost so the next one is spaced to match."""
    started = time.thread_time()
    try:
        return _message(congress_id)
    finally:
        cost = time.thread_time() - started
        _quiet_until[congress_id] = time.monotonic() + cost * (1 / PUSH_SHARE - 1)


# Two builds of one congress can overlap (a commit after one build started schedules the next), and
# the later may finish first. Each build is numbered when it starts; a build that finishes after a later
# one was sent is dropped, so a screen never goes back to an older count. Nothing is lost: a commit the
# dropped build saw but the later one did not came after the later one started, and scheduled a push.
_order_lock = threading.Lock()
_build_numbers = itertools.count(1)
_last_sent: dict[int, int] = {}  # congress id -> number of the newest build sent


def _number_build() -> int:
    with _order_lock:
        return next(_build_numbers)


def _newest(congress_id: int, number: int) -> bool:
    """True (and recorded) if no later build of this congress has been sent."""
    with _order_lock:
        if number < _last_sent.get(congress_id, 0):
            return False
        _last_sent[congress_id] = number
        return True


def _numbered_build(congress_id: int) -> tuple[int, dict[str, Any]]:
    """Start a build: a commit from now on schedules the next push; the build's number orders it."""
    _release(congress_id)
    number = _number_build()
    return number, _built(congress_id)


def _build_in_pool(congress_id: int) -> tuple[int, dict[str, Any]]:
    # Released when the build starts, not when it is queued: under a burst the pool has a queue, and
    # pushes released earlier would pile up in it, each delaying the requests (and the close) behind.
    try:
        return _numbered_build(congress_id)
    finally:
        close_old_connections()


def _wait(congress_id: int, delay: float) -> float:
    """Seconds until the next push: the merging delay, or longer after a costly build."""
    return max(delay, _quiet_until.get(congress_id, 0.0) - time.monotonic())


async def _push_from_loop(congress_id: int) -> None:
    try:
        layer = get_channel_layer()
        if layer is None:
            _release(congress_id)
            return
        number, message = await asyncio.get_running_loop().run_in_executor(
            _executor, _build_in_pool, congress_id
        )
        if _newest(congress_id, number):
            await layer.group_send(group_name(congress_id), message)
    except Exception:  # a screen missing one push gets the next one, or polls; the change itself stands
        _release(congress_id)  # never left claimed: the next commit schedules a push again
        log.exception("live push failed for congress %s", congress_id)


def _schedule_on_loop(loop: asyncio.AbstractEventLoop, congress_id: int, delay: float) -> None:
    if _claim(congress_id):
        wait = _wait(congress_id, delay)
        loop.call_soon_threadsafe(
            lambda: loop.call_later(wait, lambda: loop.create_task(_push_from_loop(congress_id)))
        )


def _schedule_on_timer(congress_id: int, delay: float) -> None:
    if not _claim(congress_id):
        return

    def fire() -> None:
        layer = get_channel_layer()
        try:
            number, message = _numbered_build(congress_id)
            if layer is not None and _newest(congress_id, number):
                async_to_sync(layer.group_send)(group_name(congress_id), message)
        except Exception:  # a screen missing one push falls back to polling; the change itself stands
            log.exception("live publish failed for congress %s", congress_id)
        finally:
            connections.close_all()  # this timer thread's own connections

    timer = threading.Timer(_wait(congress_id, delay), fire)
    timer.daemon = True
    timer.start()


def _after_commit(congress_id: int, delay: float) -> None:
    loop = _attached_loop()
    if loop is not None:
        _schedule_on_loop(loop, congress_id, delay)
    else:
        _schedule_on_timer(congress_id, delay)


def publish(congress: Congress) -> None:
    """Schedule a push of the congress state once the current transaction commits (merged, see above)."""
    congress_id = congress.pk
    delay = float(getattr(settings, "DAIHOI_LIVE_COALESCE_SECONDS", 0))
    if delay <= 0:
        transaction.on_commit(lambda: _send_state(congress_id))
    else:
        transaction.on_commit(lambda: _after_commit(congress_id, delay))


# --- the sockets of this process -----------------------------------------------------------------
# Thousands of phones watch one congress. Each socket joining the channel layer's group would make every
# push one dispatch per socket (a queue, a task wake-up, a handler call). Instead one relay per congress
# (and event loop) is the group's only member in this process: it receives each push once and writes
# its text, serialised once, to every socket of that congress. It also keeps the last text it delivered,
# so a socket that connects gets the state its neighbours show, without a new build per socket (the
# relay's first socket builds it once). With Redis (`--processes`), each process has its own relay.


class _Relay:
    def __init__(self, congress_id: int) -> None:
        self.congress_id = congress_id
        self.sockets: set[Any] = set()
        self.joining = 0  # sockets waiting for the relay to start
        self.text: str | None = None
        self.channel: str | None = None
        self.task: asyncio.Task[None] | None = None
        self.starting: asyncio.Task[None] | None = None

    async def start(self) -> None:
        layer = get_channel_layer()
        if layer is not None:
            self.channel = await layer.new_channel()
            await layer.group_add(group_name(self.congress_id), self.channel)
            self.task = asyncio.get_running_loop().create_task(self._listen(layer))
        from channels.db import database_sync_to_async

        text = await database_sync_to_async(_first_text)(self.congress_id)
        if self.text is None:  # a push that came meanwhile is at least as new
            self.text = text

    async def _listen(self, layer: Any) -> None:
        assert self.channel is not None
        while True:
            message = await layer.receive(self.channel)
            if message.get("type") == "congress.state":
                await self.deliver(message["text"])

    async def deliver(self, text: str) -> None:
        self.text = text
        frame = None
        for socket in list(self.sockets):
            try:
                wire = _wire(socket)
                if wire is None:  # another ASGI server (or a test's communicator): its own send
                    await socket.send(text_data=text)
                elif wire.state == wire.STATE_OPEN:
                    if frame is None:  # framed once (autobahn's prepared message), written to each
                        frame = wire.factory.prepareMessage(text.encode(), False)
                    wire.sendPreparedMessage(frame)
            except Exception:  # a socket closing meanwhile: its own disconnect removes it
                self.sockets.discard(socket)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        layer = get_channel_layer()
        if layer is not None and self.channel is not None:
            await layer.group_discard(group_name(self.congress_id), self.channel)


_relays: dict[tuple[int, int], _Relay] = {}


def _wire(socket: Any) -> Any:
    """The daphne protocol (autobahn) under a consumer, if its ASGI send is daphne's, else None."""
    send = getattr(socket, "base_send", None)
    func = getattr(send, "func", None)
    args = getattr(send, "args", ())
    if getattr(func, "__name__", "") == "handle_reply" and args and hasattr(args[0], "sendPreparedMessage"):
        server = getattr(func, "__self__", None)
        connection = getattr(server, "connections", {}).get(args[0])
        if connection is not None and not connection.get("disconnected"):
            return args[0]
    return None


def _first_text(congress_id: int) -> str:
    return str(_message(congress_id)["text"])


async def join(socket: Any, congress_id: int) -> str:
    """Add an accepted socket to its congress's relay; return the text to send it first."""
    key = (id(asyncio.get_running_loop()), congress_id)
    while True:
        relay = _relays.get(key)
        if relay is None:
            relay = _relays[key] = _Relay(congress_id)
            relay.starting = asyncio.get_running_loop().create_task(relay.start())
        relay.joining += 1
        try:
            assert relay.starting is not None
            await asyncio.shield(relay.starting)
        finally:
            relay.joining -= 1
        if _relays.get(key) is relay:  # not stopped while this socket waited
            relay.sockets.add(socket)
            assert relay.text is not None
            return relay.text


async def leave(socket: Any, congress_id: int) -> None:
    key = (id(asyncio.get_running_loop()), congress_id)
    relay = _relays.get(key)
    if relay is None:
        return
    relay.sockets.discard(socket)
    if not relay.sockets and not relay.joining:
        del _relays[key]
        await relay.stop()
