"""Zulip's verify_action for the motion, election and result sections: after each action the state a
screen holds (its old state replaced by a whole state pushed, or with the events pushed applied) equals a
fresh fetch of state.json, and the action did change the section it is about (so the comparison is not
between two empty states). The screen's state is computed twice: by the Python reducer the relays use,
and by live.js's own, run in node on the same pushes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse

from daihoi.congress import live
from daihoi.congress.access import SYSTEM, Actor, Role
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions import counting, elections
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Candidate, Election, Motion
from tests.factories import login_as, make_congress
from tests.support.live_js import js_screen_state
from tests.voting.evote_helpers import (
    decrypt_motion,
    decrypt_totals,
    phone_cast,
    run_key_ceremony,
    run_motion_key,
    vote,
)

pytestmark = pytest.mark.django_db

SECTIONS = ("motion", "election", "result")


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append(message)


def without_clock(value: object) -> object:
    if isinstance(value, dict):
        return {k: without_clock(v) for k, v in value.items() if k != "server_now"}
    if isinstance(value, list):
        return [without_clock(v) for v in value]
    return value


class Screen:
    """A screen: it starts from a fetch of state.json and replaces its state with each push."""

    def __init__(self, congress: Congress, layer: RecordingLayer, capture) -> None:
        self.client = login_as(Client(), congress, Role.ORGANIZER)
        self.url = reverse("state_json", args=[congress.slug])
        self.layer, self.capture = layer, capture
        self.state = self.fetch()

    def fetch(self) -> dict:
        return json.loads(json.dumps(self.client.get(self.url).json(), cls=DjangoJSONEncoder))

    def verify(self, action: Callable[[], object], changes: str, pushes: str = "congress.state") -> dict:
        """Run `action`; the pushed state must equal a fresh fetch and differ from the old in `changes`;
        what was pushed is of type `pushes` (the whole state, or events)."""
        old = self.state
        sent = len(self.layer.sent)
        with self.capture(execute=True):
            action()
        assert len(self.layer.sent) > sent, "the action published nothing"
        messages = self.layer.sent[sent:]
        assert {m["type"] for m in messages} == {pushes}
        for message in messages:
            self.state = live.pushed(self.state, message)
        in_page = js_screen_state(old, [m["text"] for m in messages])
        fresh = self.fetch()
        for name in SECTIONS:
            assert without_clock(self.state.get(name)) == without_clock(fresh.get(name)), name
            assert without_clock(in_page.get(name)) == without_clock(fresh.get(name)), name
        assert without_clock(self.state.get(changes)) != without_clock(old.get(changes)), changes
        return self.state


@pytest.fixture
def screen_for(monkeypatch, django_capture_on_commit_callbacks):
    layer = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    return lambda congress: Screen(congress, layer, django_capture_on_commit_callbacks)


def as_delegate(d: Delegate) -> Actor:
    return Actor(roles=frozenset({Role.DELEGATE}), delegate=d)


def test_the_motion_section_after_each_action_equals_a_fresh_fetch(screen_for):
    congress = make_congress(delegates=5)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    d1, d2 = congress.delegates.order_by("number")[:2]
    screen = screen_for(congress)
    run_motion_key(congress)
    m = mo.create_motion(congress, actor=SYSTEM, title="Thông qua quy chế", method=Motion.Method.ELECTRONIC)
    state = screen.verify(lambda: mo.open_motion(m, actor=SYSTEM), "motion")
    assert (state["motion"]["status"], state["motion"]["voted"], state["motion"]["eligible"]) == (
        "open",
        0,
        5,
    )
    # An answer pushes a small count event, never the whole state.
    state = screen.verify(lambda: vote(m, d1, "yes", nonce="n1"), "motion", pushes="congress.events")
    assert state["motion"]["voted"] == 1
    screen.verify(lambda: vote(m, d2, "no", nonce="n2"), "motion", pushes="congress.events")
    state = screen.verify(lambda: mo.close_motion(m, actor=SYSTEM), "motion")
    assert (state["motion"]["status"], state["motion"]["voted"]) == ("counting", 2)
    state = screen.verify(lambda: decrypt_motion(m), "motion")
    assert (state["motion"]["yes"], state["motion"]["no"], state["motion"]["is_passed"]) == (1, 1, False)


def test_the_election_and_result_sections_after_each_action_equal_a_fresh_fetch(screen_for):
    congress = make_congress(delegates=4)
    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    congress.refresh_from_db()
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    voters = list(congress.delegates.order_by("number"))
    e = Election.objects.create(
        congress=congress, title="Bầu Bí thư", seats=1, status=Election.Status.OPEN, allows_paper=False,
        allows_electronic=True, base=4, present_at_vote=4,
    )  # fmt: skip
    for i, name in enumerate(["Lê Văn An", "Trần Thị Bình"], start=1):
        Candidate.objects.create(
            election=e, code=f"c{i:02d}", full_name=name, status=Candidate.Status.ON_LIST, ballot_position=i
        )
    run_key_ceremony(e)
    screen = screen_for(congress)
    assert screen.state["election"]["voted_electronic"] == 0 and screen.state["result"] is None
    for n, (d, kept) in enumerate(zip(voters, [["c01"], ["c01"], ["c01"], ["c02"]], strict=True)):
        state = screen.verify(
            lambda d=d, kept=kept, n=n: phone_cast(e, d, kept, nonce=f"live-section-{n:06d}"),
            "election",
            pushes="congress.events",
        )
        assert state["election"]["voted_electronic"] == n + 1
        assert json.loads(screen.layer.sent[-1]["text"])["events"] == [{"election": e.pk, "voted": n + 1}]
    state = screen.verify(lambda: elections.close_election(e, actor=SYSTEM), "election")
    assert state["election"]["status"] == "closed"
    decrypt_totals(e)  # two members decrypt the totals (the screens show nothing of it)
    screen.verify(lambda: counting.certify(e, SYSTEM), "election")  # no longer being counted
    state = screen.verify(lambda: counting.release_result(e, SYSTEM), "result")
    assert state["result"]["elected"] == ["Lê Văn An"]
    state = screen.verify(lambda: counting.release_result(e, SYSTEM, released=False), "result")
    assert state["result"] is None
