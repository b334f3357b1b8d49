"""The small live events (Zulip's verify_action): a ballot pushes its election's count and a check-in,
check-out, excuse or guest's arrival the attendance event, not the whole state; a screen's old state with
the events applied equals a fresh fetch of state.json, whole. The screen's state is computed by the
Python reducer (the relays') and by live.js's own, run in node on the same pushes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse

from daihoi.congress import live
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions import checkin
from daihoi.congress.actions.roll import add_guest
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Candidate, Election, Motion
from tests.factories import comparable, login_as, make_congress
from tests.support.live_js import js_screen_state
from tests.voting.evote_helpers import phone_cast, run_key_ceremony, run_motion_key, vote

pytestmark = pytest.mark.django_db


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append(message)


class Screen:
    """A screen that started from a fetch of state.json and applies every push to what it holds."""

    def __init__(self, congress: Congress, layer: RecordingLayer, capture) -> None:
        self.client = login_as(Client(), congress, Role.ORGANIZER)
        self.url = reverse("state_json", args=[congress.slug])
        self.layer, self.capture = layer, capture
        self.state = self.fetch()

    def fetch(self) -> dict:
        return json.loads(json.dumps(self.client.get(self.url).json(), cls=DjangoJSONEncoder))

    def verify(self, action: Callable[[], object]) -> list[dict]:
        """Run `action`; it pushes events only; the old state with them applied (by both reducers)
        equals a fresh fetch, whole, and differs from the old. Returns the events."""
        old, sent = self.state, len(self.layer.sent)
        with self.capture(execute=True):
            action()
        messages = self.layer.sent[sent:]
        assert [m["type"] for m in messages] == ["congress.events"]
        for message in messages:
            self.state = live.pushed(self.state, message)
        in_page = js_screen_state(old, [m["text"] for m in messages])
        fresh = comparable(self.fetch())
        assert comparable(self.state) == fresh
        assert comparable(in_page) == fresh
        assert comparable(old) != fresh
        return json.loads(messages[0]["text"])["events"]


@pytest.fixture
def screen_for(monkeypatch, django_capture_on_commit_callbacks):
    layer = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    return lambda congress: Screen(congress, layer, django_capture_on_commit_callbacks)


def scan(congress: Congress, number: int, nonce: str) -> None:
    checkin.check_in(congress, congress.delegates.get(number=number).code, nonce=nonce, actor=SYSTEM)


def test_attendance_events_applied_to_the_old_state_equal_a_fresh_fetch(screen_for):
    congress = make_congress(delegates=6)
    guest = add_guest(congress, SYSTEM, full_name="Khách Mời Một")
    screen = screen_for(congress)
    for n in range(1, 5):
        [event] = screen.verify(lambda n=n: scan(congress, n, f"event-nonce-{n:04d}"))
        assert event["attendance"]["present"] == n and "eligible" not in event  # no motion open
    # Quorum is met: a motion opens (a structural change: the whole state), then attendance moves on.
    m = mo.create_motion(congress, actor=SYSTEM, title="Thông qua chương trình", method=Motion.Method.NAMED)
    with screen.capture(execute=True):
        mo.open_motion(m, actor=SYSTEM)
    assert screen.layer.sent[-1]["type"] == "congress.state"
    screen.state = live.pushed_state(screen.layer.sent[-1])
    [event] = screen.verify(lambda: scan(congress, 5, "event-nonce-0005"))
    assert (event["attendance"]["present"], event["eligible"]) == (5, 5)
    assert screen.state["motion"]["eligible"] == 5
    d2 = congress.delegates.get(number=2)
    [event] = screen.verify(lambda: checkin.check_out(d2, nonce="event-nonce-0006", actor=SYSTEM))
    assert (event["attendance"]["left"], event["eligible"]) == (1, 4)
    d6 = congress.delegates.get(number=6)
    screen.verify(lambda: checkin.mark_excused(d6, "Ốm", nonce="event-nonce-0007", actor=SYSTEM))
    assert screen.state["attendance"]["excused"] == 1

    def guest_arrives() -> None:
        with pytest.raises(ActionError) as refused:  # a guest never counts, but the arrival is shown
            checkin.check_in(congress, guest.code, nonce="event-nonce-0008", actor=SYSTEM)
        assert refused.value.code == "not_a_delegate"

    screen.verify(guest_arrives)
    assert screen.state["attendance"]["guests"]["present"] == 1


def test_count_events_applied_to_the_old_state_equal_a_fresh_fetch(screen_for):
    congress = make_congress(delegates=3)
    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    congress.refresh_from_db()
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    e = Election.objects.create(
        congress=congress, title="Bầu Bí thư", seats=1, status=Election.Status.OPEN, allows_paper=False,
        allows_electronic=True, base=3, present_at_vote=3,
    )  # fmt: skip
    for i, name in enumerate(["Lê Văn An", "Trần Thị Bình"], start=1):
        Candidate.objects.create(
            election=e, code=f"c{i:02d}", full_name=name, status=Candidate.Status.ON_LIST, ballot_position=i
        )
    run_key_ceremony(e)
    screen = screen_for(congress)
    for n, d in enumerate(congress.delegates.order_by("number"), start=1):
        events = screen.verify(lambda d=d, n=n: phone_cast(e, d, ["c01"], nonce=f"event-cast-{n:06d}"))
        assert events == [{"election": e.pk, "voted": n}]  # small: the count, never who or what
    assert screen.state["election"]["voted_electronic"] == 3


@pytest.mark.parametrize("method", [Motion.Method.ELECTRONIC, Motion.Method.NAMED])
def test_motion_answer_events_applied_to_the_old_state_equal_a_fresh_fetch(screen_for, method):
    congress = make_congress(delegates=4)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    if method == Motion.Method.ELECTRONIC:
        run_motion_key(congress)
    m = mo.create_motion(congress, actor=SYSTEM, title="Thông qua quy chế làm việc", method=method)
    m = mo.open_motion(m, actor=SYSTEM)
    screen = screen_for(congress)
    assert screen.state["motion"]["id"] == m.pk and screen.state["motion"]["voted"] == 0
    for n, d in enumerate(congress.delegates.order_by("number"), start=1):
        answer = ["yes", "no", "abstain", "yes"][n - 1]
        events = screen.verify(lambda d=d, n=n, a=answer: vote(m, d, a, nonce=f"motion-event-{n:06d}"))
        assert events == [{"motion": m.pk, "voted": n}]  # small: how many answered, never who or what
    assert screen.state["motion"]["voted"] == 4


def test_events_for_what_a_screen_does_not_show_leave_its_state_as_it_was():
    state = {
        "election": {"id": 1, "voted_electronic": 2},
        "motion": {"id": 9, "status": "closed", "eligible": 7},
    }
    events = [
        {"election": 2, "voted": 5},
        {"attendance": {"present": 3}, "eligible": 4},
        {"motion": 9, "voted": 3},  # the motion shown is closed: its figures are final
        {"motion": 8, "voted": 1},  # another motion
    ]
    expected = {**state, "attendance": {"present": 3}}
    assert live.apply_events(state, events) == expected
    text = json.dumps({"type": "events", "src": "a", "n": 2, "events": events})
    assert js_screen_state(state, [text]) == expected
    assert state["election"]["voted_electronic"] == 2  # the old state is left as it was


def test_the_page_ignores_a_push_older_than_the_last_it_applied():
    start = json.dumps({"type": "state", "src": "a", "n": 5, "state": {"attendance": {"present": 1}}})

    def events(n: int, present: int, src: str = "a") -> str:
        return json.dumps(
            {"type": "events", "src": src, "n": n, "events": [{"attendance": {"present": present}}]}
        )

    older_state = json.dumps({"type": "state", "src": "a", "n": 6, "state": {"attendance": {"present": 2}}})
    shown = js_screen_state({}, [start, events(7, 3), older_state, events(4, 0)])
    assert shown == {"attendance": {"present": 3}}
    shown = js_screen_state({}, [start, events(7, 3), events(1, 9, src="b")])  # another process
    assert shown == {"attendance": {"present": 9}}
