"""Live updates: after a change commits, every screen of the congress gets the new state.

The state is one JSON document built from sections (`attendance`, `agenda`, `speaker`, ...). Each
feature registers the builder of its section; the WebSocket push and the polling fallback
(`/c/<slug>/state.json`) send the same document, so a screen that lost its socket shows the same thing.
Screens receive only public facts: never who voted what.

Most changes are structural (a vote opens, a result is released, the agenda moves on) and push the whole
state. The two changes of a burst push small events instead, which a screen applies to the state it
holds (`apply_events` here, `applyEvents` in live.js: the same rules, and a test runs both):
- a ballot cast: `{"election": id, "voted": n}` (`count`);
- a check-in, check-out or excuse: `{"attendance": {...}, "eligible": n}` (`attendance_changed`): the
  attendance section and, while a motion is open, how many may vote on it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
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


# --- events ---------------------------------------------------------------------------------------
# What a push carries is decided by what changed since the last build started (its keys): the whole
# state if anything structural changed, else one event per key. The features that build a section also
# build its part of an event (registered like the sections), from the same one-home functions.
STATE = ("state", 0)
ATTENDANCE = ("attendance", 0)
Key = tuple[str, int]

EventBuilder = Callable[[Congress, int], dict[str, Any]]
_event_parts: dict[str, list[EventBuilder]] = {"attendance": [], "count": [], "motion_count": []}


def register_event(kind: str) -> Callable[[EventBuilder], EventBuilder]:
    """Add a part to the `attendance` event, or the builder of the `count` event (given the election)."""

    def decorate(fn: EventBuilder) -> EventBuilder:
        if fn not in _event_parts[kind]:
            _event_parts[kind].append(fn)
        return fn

    return decorate


def _count_key(election_id: int) -> Key:
    return ("count", election_id)


def apply_events(state: dict[str, Any], events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The state a screen holds after `events` (a new dict; `state` is left as it was). The same rules as
    `applyEvents` in live.js."""
    state = dict(state)
    for event in events:
        if "attendance" in event:
            state["attendance"] = event["attendance"]
            motion = state.get("motion")
            if "eligible" in event and motion and motion.get("status") == "open":
                state["motion"] = {**motion, "eligible": event["eligible"]}
        if "election" in event and "voted" in event:
            election = state.get("election")
            if election and election.get("id") == event["election"]:
                state["election"] = {**election, "voted_electronic": event["voted"]}
        if "motion" in event and "voted" in event:
            motion = state.get("motion")
            if motion and motion.get("id") == event["motion"] and motion.get("status") == "open":
                state["motion"] = {**motion, "voted": event["voted"]}
    return state


# Every push is numbered (in this process: `SOURCE` tells one process's numbers from another's). A screen
# ignores a push numbered below the last it applied from the same process, so it never goes back.
SOURCE = secrets.token_hex(4)
_order_lock = threading.Lock()
_build_numbers = itertools.count(1)
_last_sent: dict[int, int] = {}  # congress id -> number of the newest build sent


def is_older(held_source: str | None, held_number: int, source: str, number: int) -> bool:
    """True if a push (`source`, `number`) is not newer than the one a screen holds (same in live.js)."""
    return held_source == source and number <= held_number


def _state_message(congress_id: int, number: int) -> dict[str, Any]:
    fresh = Congress.objects.get(pk=congress_id)
    state = congress_state(fresh, fresh=True)
    # Serialised once here: each screen's socket then sends the same text (no copy per screen).
    text = json.dumps({"type": "state", "src": SOURCE, "n": number, "state": state}, cls=DjangoJSONEncoder)
    return {"type": "congress.state", "text": text, "src": SOURCE, "n": number}


def _events_message(congress_id: int, keys: set[Key], number: int) -> dict[str, Any]:
    congress = Congress.objects.get(pk=congress_id)
    events: list[dict[str, Any]] = []
    for kind, arg in sorted(keys):
        event: dict[str, Any] = {}
        for part in _event_parts[kind]:
            event.update(part(congress, arg))
        events.append(event)
    text = json.dumps({"type": "events", "src": SOURCE, "n": number, "events": events}, cls=DjangoJSONEncoder)
    # The relays apply the events to the state they hold (as JSON types, as a screen does).
    return {
        "type": "congress.events",
        "text": text,
        "src": SOURCE,
        "n": number,
        "events": json.loads(text)["events"],
    }


def _message(congress_id: int, keys: set[Key], number: int) -> dict[str, Any]:
    if STATE in keys or not keys:
        return _state_message(congress_id, number)
    return _events_message(congress_id, keys, number)


def pushed_state(message: dict[str, Any]) -> dict[str, Any]:
    """The whole state a push message carries (a structural change's push)."""
    assert message["type"] == "congress.state", message["type"]
    state: dict[str, Any] = json.loads(message["text"])["state"]
    return state


def pushed(held: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """The state a screen holding `held` shows after a push message: replaced, or the events applied."""
    if message["type"] == "congress.state":
        return pushed_state(message)
    return apply_events(held, json.loads(message["text"])["events"])


# --- pushing --------------------------------------------------------------------------------------
# One mechanism for every change (a check-in, a ballot, the close of a vote). A burst of commits (60
# check-ins or 200 ballots a second) must not each build and push, so pushes are merged: at most one
# per DAIHOI_LIVE_COALESCE_SECONDS per congress (a change after a quiet time goes at once, the changes
# that follow it together once the delay has passed), each built when it is sent (so the last commit of
# a burst is always shown), carrying the whole state or the events of what the merged commits changed.
# - In the server, the merging runs on its event loop (attached by the HTTP handler): the push is built
#   on one of the request threads and sent from the loop, where the sockets live.
# - Elsewhere (a command, a test with merging on) a timer thread does the same.
# - With 0 (the test suite's setting) every commit pushes at once, in the committing thread.
# Building the state costs some milliseconds of the server's time; under a heavy burst (hundreds of
# ballots a second) pushes are spaced further, so that they take at most PUSH_SHARE of it.
PUSH_SHARE = 0.1

_loop: asyncio.AbstractEventLoop | None = None
_executor: Executor | None = None
# Congresses with a push scheduled, and what changed since its build started; guarded by _pending_lock.
_pending: dict[int, set[Key]] = {}
_pending_lock = threading.Lock()
_quiet_until: dict[int, float] = {}  # congress id -> monotonic time before which no push is built


def attach_loop(loop: asyncio.AbstractEventLoop, executor: Executor | None = None) -> None:
    """The server's event loop (and the pool where the state is built) take over the merged pushes."""
    global _loop, _executor
    _loop, _executor = loop, executor


def _attached_loop() -> asyncio.AbstractEventLoop | None:
    loop = _loop
    return loop if loop is not None and loop.is_running() else None


def _claim(congress_id: int, keys: Iterable[Key]) -> bool:
    """Note what changed; True if no push is scheduled for this congress yet (and one is now)."""
    with _pending_lock:
        waiting = _pending.get(congress_id)
        if waiting is not None:
            waiting.update(keys)
            return False
        _pending[congress_id] = set(keys)
        return True


def _release(congress_id: int) -> set[Key]:
    """What the build about to start must carry; a commit from now on schedules the next push."""
    with _pending_lock:
        return _pending.pop(congress_id, set())


def _built(congress_id: int, keys: set[Key], number: int) -> dict[str, Any]:
    """The push message, noting when the next may be built: a merging delay after this one started,
    or later if building it was costly."""
    began, started = time.monotonic(), time.thread_time()
    _quiet_until[congress_id] = began + _delay()  # a commit while this one builds waits its turn
    try:
        return _message(congress_id, keys, number)
    finally:
        cost = time.thread_time() - started
        _quiet_until[congress_id] = max(began + _delay(), time.monotonic() + cost * (1 / PUSH_SHARE - 1))


# Two builds of one congress can overlap (a commit after one build started schedules the next), and
# the later may finish first. Each build is numbered when it starts; a build that finishes after a later
# one was sent is not sent (a screen never goes back to an older count), and what it carried is pushed
# again, built afresh: the later build may not carry it (events do not carry a structural change).


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


Build = tuple[int, set[Key], dict[str, Any] | None]


def _numbered_build(congress_id: int) -> Build:
    """Start a build: a commit from now on schedules the next push; the build's number orders it."""
    keys = _release(congress_id)
    number = _number_build()
    return number, keys, _built(congress_id, keys, number)


def _build_in_pool(congress_id: int) -> Build:
    # Released when the build starts, not when it is queued: under a burst the pool has a queue, and
    # pushes released earlier would pile up in it, each delaying the requests (and the close) behind.
    try:
        return _numbered_build(congress_id)
    finally:
        close_old_connections()


def _wait(congress_id: int) -> float:
    """Seconds until the next push: none after a quiet time (a lone change is shown at once), else until
    the merging delay since the last build started has passed (longer after a costly build)."""
    return max(0.0, _quiet_until.get(congress_id, 0.0) - time.monotonic())


def _delay() -> float:
    return float(getattr(settings, "DAIHOI_LIVE_COALESCE_SECONDS", 0))


async def _push_from_loop(congress_id: int) -> None:
    keys: set[Key] = set()
    try:
        layer = get_channel_layer()
        if layer is None:
            _release(congress_id)
            return
        number, keys, message = await asyncio.get_running_loop().run_in_executor(
            _executor, _build_in_pool, congress_id
        )
        if _newest(congress_id, number):
            await layer.group_send(group_name(congress_id), message)
        else:  # overtaken: what it carried goes out again, built afresh
            _after_commit(congress_id, keys)
    except Exception:  # a screen missing one push gets the next one, or polls; the change itself stands
        _release(congress_id)  # never left claimed: the next commit schedules a push again
        log.exception("live push failed for congress %s", congress_id)


def _schedule_on_loop(loop: asyncio.AbstractEventLoop, congress_id: int, keys: set[Key]) -> None:
    if _claim(congress_id, keys):
        wait = _wait(congress_id)
        loop.call_soon_threadsafe(
            lambda: loop.call_later(wait, lambda: loop.create_task(_push_from_loop(congress_id)))
        )


def _schedule_on_timer(congress_id: int, keys: set[Key]) -> None:
    if not _claim(congress_id, keys):
        return

    def fire() -> None:
        layer = get_channel_layer()
        try:
            number, built_keys, message = _numbered_build(congress_id)
            if layer is not None and _newest(congress_id, number):
                async_to_sync(layer.group_send)(group_name(congress_id), message)
            elif layer is not None:
                _schedule_on_timer(congress_id, built_keys)
        except Exception:  # a screen missing one push falls back to polling; the change itself stands
            log.exception("live publish failed for congress %s", congress_id)
        finally:
            connections.close_all()  # this timer thread's own connections

    timer = threading.Timer(_wait(congress_id), fire)
    timer.daemon = True
    timer.start()


def _after_commit(congress_id: int, keys: set[Key]) -> None:
    loop = _attached_loop()
    if loop is not None:
        _schedule_on_loop(loop, congress_id, keys)
    else:
        _schedule_on_timer(congress_id, keys)


def _send_now(congress_id: int, keys: set[Key]) -> None:
    """Unmerged (DAIHOI_LIVE_COALESCE_SECONDS = 0): build and send in the committing thread."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for _attempt in range(3):  # overtaken by another thread's later build: built again
            number = _number_build()
            message = _message(congress_id, keys, number)
            if _newest(congress_id, number):
                break
        else:
            return
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


def _on_commit(congress_id: int, key: Key) -> None:
    if _delay() <= 0:
        transaction.on_commit(lambda: _send_now(congress_id, {key}))
    else:
        transaction.on_commit(lambda: _after_commit(congress_id, {key}))


def _congress_id(congress: Congress | int) -> int:
    return congress if isinstance(congress, int) else int(congress.pk)


def publish(congress: Congress | int) -> None:
    """A structural change: push the whole state once the current transaction commits (merged)."""
    _on_commit(_congress_id(congress), STATE)


def count(congress: Congress | int, election_id: int) -> None:
    """Ballots were cast in an election: push its count event once the transaction commits (merged;
    the count is read when the push is built, so the last one of a burst is shown)."""
    _on_commit(_congress_id(congress), _count_key(election_id))


def motion_count(congress: Congress | int, motion_id: int) -> None:
    """Answers were given on an electronic motion: push its count event once the transaction commits
    (merged; the count is read when the push is built)."""
    _on_commit(_congress_id(congress), ("motion_count", motion_id))


def attendance_changed(congress: Congress | int) -> None:
    """A check-in, check-out or excuse: push the attendance event once the transaction commits (merged)."""
    _on_commit(_congress_id(congress), ATTENDANCE)


# --- the sockets of this process -----------------------------------------------------------------
# Thousands of phones watch one congress. Each socket joining the channel layer's group would make every
# push one dispatch per socket (a queue, a task wake-up, a handler call). Instead one relay per congress
# (and event loop) is the group's only member in this process: it receives each push once and writes
# its text, serialised once, to every socket of that congress. It also holds the state its sockets show
# (the last whole state with the events since applied), so a socket that connects gets that state
# without a new build per socket (the relay's first socket builds it once). With Redis (`--processes`),
# each process has its own relay.


class _Relay:
    def __init__(self, congress_id: int) -> None:
        self.congress_id = congress_id
        self.sockets: set[Any] = set()
        self.joining = 0  # sockets waiting for the relay to start
        self.text: str | None = None  # the held state as a `state` message; None: to serialise again
        self.state: dict[str, Any] | None = None  # the held state, parsed when an event needs it
        self.source: str | None = None
        self.number = 0
        self.missed = False  # events came while no state was held yet
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

        self.missed = False
        # A push that came meanwhile is kept if it is newer (`take` compares the numbers).
        self.take(await database_sync_to_async(_first_message)(self.congress_id))
        if self.missed:  # events came before any state was held: the state again, built after them
            self.take(await database_sync_to_async(_first_message)(self.congress_id))

    async def _listen(self, layer: Any) -> None:
        assert self.channel is not None
        while True:
            message = await layer.receive(self.channel)
            if message.get("type") in ("congress.state", "congress.events") and self.take(message):
                await self.deliver(message["text"])

    def take(self, message: dict[str, Any]) -> bool:
        """Hold what a push says; False if it is older than the held state (or events with none held)."""
        if is_older(self.source, self.number, message["src"], message["n"]):
            return False
        if message["type"] == "congress.state":
            self.text, self.state = message["text"], None
        else:
            if self.state is None:
                if self.text is None:
                    self.missed = True
                    return False
                self.state = json.loads(self.text)["state"]
            self.state = apply_events(self.state, message["events"])
            self.text = None
        self.source, self.number = message["src"], message["n"]
        return True

    def current(self) -> str:
        """The held state, as the `state` message a new socket gets first."""
        if self.text is None:
            message = {"type": "state", "src": self.source, "n": self.number, "state": self.state}
            self.text = json.dumps(message, cls=DjangoJSONEncoder)
        return self.text

    async def deliver(self, text: str) -> None:
        frame = None
        for socket in list(self.sockets):
            try:
                wire = _wire(socket)
                if wire is None:  # another ASGI server (or a test's communicator): its own send
                    await socket.send(text_data=text)
                elif wire.state == wire.STATE_OPEN:
                    if frame is None:  # framed once (autobahn's prepared message), written to each
                        frame = wire.factory.prepareMessage(text.encode(), False)
                    if not _write_now(wire, frame):
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


def _write_now(wire: Any, frame: Any) -> bool:
    """Write a prepared frame straight to a plain TCP socket with nothing waiting to be written: one
    send() now, instead of Twisted's buffer, a writer registered with the loop and the send on its next
    turn (thousands of sockets: most of a push's time). The rest of a partial write goes through
    Twisted's buffer, in order. False (nothing written) where that does not apply: TLS, compression, a
    socket with data waiting or closing."""
    transport = getattr(wire, "transport", None)
    if (
        _TCPConnection is None
        or not isinstance(transport, _TCPConnection)
        or wire._perMessageCompress is not None
        or wire.send_queue
        or not transport.connected
        or transport.disconnecting
        or transport._writeDisconnected
        or transport._tempDataLen
        or len(transport.dataBuffer) != transport.offset
    ):
        return False
    payload: bytes = frame.payloadHybi
    written = transport.writeSomeData(payload)
    if isinstance(written, Exception):  # lost: its own close removes it
        return True
    if written < len(payload):
        transport.write(payload[written:])
    return True


try:
    from twisted.internet.tcp import Connection as _TCPConnection
except ImportError:  # another ASGI server: no Twisted
    _TCPConnection = None


def _first_message(congress_id: int) -> dict[str, Any]:
    return _state_message(congress_id, _number_build())


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
            return relay.current()


async def leave(socket: Any, congress_id: int) -> None:
    key = (id(asyncio.get_running_loop()), congress_id)
    relay = _relays.get(key)
    if relay is None:
        return
    relay.sockets.discard(socket)
    if not relay.sockets and not relay.joining:
        del _relays[key]
        await relay.stop()
