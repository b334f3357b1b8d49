"""Merged live pushes in the server: a burst of commits schedules one push on the server's event loop,
built when it runs (so it shows the last commit), with one build at a time queued per congress, and
spaced further when building the state gets costly. Driven step by step: no test here waits on a clock."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from daihoi.congress import live
from daihoi.congress.access import SYSTEM
from daihoi.congress.actions import checkin
from daihoi.congress.models import Congress
from daihoi.voting.models import Candidate, Election
from tests.factories import comparable, make_congress
from tests.support.live_js import js_screen_state
from tests.voting.evote_helpers import phone_cast, run_key_ceremony


class FakeLoop:
    """Stands in for the server's running loop: records what is handed to it, runs nothing by itself."""

    def __init__(self) -> None:
        self.soon: list[Callable[[], Any]] = []
        self.later: list[tuple[float, Callable[[], Any]]] = []
        self.tasks: list[Any] = []

    def is_running(self) -> bool:
        return True

    def call_soon_threadsafe(self, callback: Callable[[], Any]) -> None:
        self.soon.append(callback)

    def call_later(self, delay: float, callback: Callable[[], Any]) -> None:
        self.later.append((delay, callback))

    def create_task(self, coroutine: Any) -> None:
        self.tasks.append(coroutine)


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append(message)


@pytest.fixture
def server(settings, monkeypatch) -> Iterator[tuple[FakeLoop, RecordingLayer]]:
    settings.DAIHOI_LIVE_COALESCE_SECONDS = 0.25
    loop, layer = FakeLoop(), RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    monkeypatch.setattr(live, "_pending", {})
    monkeypatch.setattr(live, "_quiet_until", {})
    pool = ThreadPoolExecutor(max_workers=1)
    live.attach_loop(loop, pool)  # type: ignore[arg-type]
    yield loop, layer
    pool.submit(lambda: connection.close()).result()  # the pool thread's own connection
    pool.shutdown()
    live.attach_loop(None, None)  # type: ignore[arg-type]


def present(message: dict) -> int:
    """The number present a push shows: a check-in pushes the attendance event."""
    assert message["type"] == "congress.events"
    [event] = json.loads(message["text"])["events"]
    return int(event["attendance"]["present"])


def arrive(congress, number: int) -> None:
    d = congress.delegates.get(number=number)
    checkin.check_in(congress, d.code, nonce=f"merge-nonce-{number:04d}", actor=SYSTEM)


def fire_timer(loop: FakeLoop) -> Any:
    """Run what the loop was handed: the scheduling callback, then the timer; returns the push coroutine."""
    for callback in loop.soon:
        callback()
    loop.soon.clear()
    assert len(loop.later) == 1
    delay, timer = loop.later.pop()
    timer()
    assert len(loop.tasks) == 1
    return loop.tasks.pop(), delay


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_commits_is_one_push_that_shows_the_last_of_them(server):
    loop, layer = server
    congress = make_congress(delegates=6)
    for n in range(1, 6):
        arrive(congress, n)
    assert len(loop.soon) == 1  # five commits, one push scheduled
    push, delay = fire_timer(loop)
    assert delay == 0  # the first change after a quiet time is shown at once
    asyncio.run(push)
    assert len(layer.sent) == 1
    assert present(layer.sent[0]) == 5


@pytest.mark.django_db(transaction=True)
def test_a_commit_soon_after_a_push_waits_until_the_merging_delay_has_passed(server, monkeypatch):
    loop, layer = server
    congress = make_congress(delegates=3)
    clock = [100.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    arrive(congress, 1)
    asyncio.run(fire_timer(loop)[0])  # built at 100.0
    clock[0] = 100.1
    arrive(congress, 2)
    push, delay = fire_timer(loop)
    assert delay == pytest.approx(0.15)  # 0.25 s after the last build started
    asyncio.run(push)
    assert [present(m) for m in layer.sent] == [1, 2]
    clock[0] = 101.0
    arrive(congress, 3)
    push, delay = fire_timer(loop)
    push.close()
    assert delay == 0  # quiet again


@pytest.mark.django_db(transaction=True)
def test_a_commit_while_the_build_waits_in_the_queue_adds_no_second_build(server):
    loop, layer = server
    congress = make_congress(delegates=4)
    arrive(congress, 1)
    push, _delay = fire_timer(loop)
    # The pool is busy (as under a burst): the push runs, and its build waits in the pool's queue.
    busy = threading.Event()
    live._executor.submit(busy.wait, 30)  # type: ignore[union-attr]
    pushing = threading.Thread(target=asyncio.run, args=(push,))
    pushing.start()
    for _ in range(3000):  # until the build is queued (bounded; nothing is timed)
        if live._executor._work_queue.qsize() == 1:  # type: ignore[union-attr]
            break
        time.sleep(0.01)
    arrive(congress, 2)
    assert loop.soon == []  # still claimed: the queued build will show this commit too
    busy.set()
    pushing.join(timeout=30)
    assert [present(m) for m in layer.sent] == [2]
    arrive(congress, 3)  # once the build has started, a commit schedules the next push
    assert len(loop.soon) == 1
    asyncio.run(fire_timer(loop)[0])
    assert [present(m) for m in layer.sent] == [2, 3]


@pytest.mark.django_db(transaction=True)
def test_pushes_are_spaced_further_when_building_the_state_is_costly(server, monkeypatch):
    loop, _layer = server
    congress = make_congress(delegates=3)
    clock = iter([10.0, 10.08])  # the build takes 80 ms of its thread's time
    monkeypatch.setattr(live.time, "thread_time", lambda: next(clock))
    monkeypatch.setattr(live.time, "monotonic", lambda: 100.0)
    arrive(congress, 1)
    asyncio.run(fire_timer(loop)[0])
    arrive(congress, 2)
    _push, delay = fire_timer(loop)
    # At most PUSH_SHARE of the time on building: 80 ms of building, then 720 ms of quiet.
    assert delay == pytest.approx(0.08 * (1 / live.PUSH_SHARE - 1))
    _push.close()


@pytest.mark.django_db(transaction=True)
def test_a_failed_push_leaves_the_congress_free_for_the_next(server, monkeypatch):
    loop, layer = server
    congress = make_congress(delegates=3)

    def broken(congress_id: int, keys: set, number: int) -> dict:
        raise RuntimeError("state unavailable")

    monkeypatch.setattr(live, "_built", broken)
    arrive(congress, 1)
    asyncio.run(fire_timer(loop)[0])
    assert layer.sent == []
    arrive(congress, 2)
    assert len(loop.soon) == 1  # not stuck: the next commit schedules again


@pytest.mark.django_db(transaction=True)
def test_a_build_that_finishes_after_a_later_one_was_sent_is_dropped(server, monkeypatch):
    """The e2e screen once stayed on 154/155: an earlier, slower build was sent after the later one."""
    loop, layer = server
    congress = make_congress(delegates=4)
    arrive(congress, 1)
    first_push, _delay = fire_timer(loop)
    slow_started, go_on = threading.Event(), threading.Event()
    real_built = live._built

    def slow_then_real(congress_id: int, keys: set, number: int) -> dict:
        message = real_built(congress_id, keys, number)
        if not slow_started.is_set():  # the first build reads its state, then is held up
            slow_started.set()
            go_on.wait(30)
        return message

    monkeypatch.setattr(live, "_built", slow_then_real)
    first = threading.Thread(target=asyncio.run, args=(first_push,))
    first.start()
    assert slow_started.wait(30)
    second_pool = ThreadPoolExecutor(max_workers=1)  # the first build holds the fixture's only thread
    live.attach_loop(loop, second_pool)  # type: ignore[arg-type]
    arrive(congress, 2)  # the first build has started: this schedules a second push
    second_push, _delay = fire_timer(loop)
    asyncio.run(second_push)  # built and sent first: 2 present
    go_on.set()
    first.join(timeout=30)
    assert [present(m) for m in layer.sent] == [2]
    # What the dropped build carried goes out again, built afresh (a later build may not carry it).
    asyncio.run(fire_timer(loop)[0])
    second_pool.submit(lambda: connection.close()).result()
    second_pool.shutdown()
    assert [present(m) for m in layer.sent] == [2, 2]


def open_election(congress) -> Election:
    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    congress.refresh_from_db()
    e = Election.objects.create(
        congress=congress, title="Bầu Bí thư", seats=1, status=Election.Status.OPEN, allows_paper=False,
        allows_electronic=True, base=4, present_at_vote=4,
    )  # fmt: skip
    for i, name in enumerate(["Lê Văn An", "Trần Thị Bình"], start=1):
        Candidate.objects.create(
            election=e, code=f"c{i:02d}", full_name=name, status=Candidate.Status.ON_LIST, ballot_position=i
        )
    run_key_ceremony(e)
    return e


@pytest.mark.django_db(transaction=True)
def test_a_merged_push_carries_one_event_per_change_with_the_last_count(server):
    loop, layer = server
    congress = make_congress(delegates=6)
    e = open_election(congress)
    asyncio.run(fire_timer(loop)[0])  # the key ceremony's push (the whole state)
    layer.sent.clear()
    before = json.loads(json.dumps(live.congress_state(congress), cls=DjangoJSONEncoder))
    for n in range(1, 5):
        arrive(congress, n)
    for n, d in enumerate(congress.delegates.filter(number__lte=3).order_by("number"), start=1):
        phone_cast(e, d, ["c01"], nonce=f"merge-cast-{n:06d}")
    assert len(loop.soon) == 1  # seven commits, one push
    asyncio.run(fire_timer(loop)[0])
    [message] = layer.sent
    events = json.loads(message["text"])["events"]
    assert [sorted(ev) for ev in events] == [["attendance"], ["election", "voted"]]
    assert events[1] == {"election": e.pk, "voted": 3} and events[0]["attendance"]["present"] == 4
    fresh = comparable(json.loads(json.dumps(live.congress_state(congress), cls=DjangoJSONEncoder)))
    assert comparable(live.pushed(before, message)) == fresh
    assert comparable(js_screen_state(before, [message["text"]])) == fresh


@pytest.mark.django_db(transaction=True)
def test_a_structural_change_in_the_window_pushes_the_whole_state(server):
    loop, layer = server
    congress = make_congress(delegates=3)
    arrive(congress, 1)
    with transaction.atomic():
        live.publish(congress)  # e.g. the agenda moved on
    arrive(congress, 2)
    asyncio.run(fire_timer(loop)[0])
    [message] = layer.sent
    assert message["type"] == "congress.state"
    assert live.pushed_state(message)["attendance"]["present"] == 2
