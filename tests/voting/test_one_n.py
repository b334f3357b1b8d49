"""One N, stated once: the count page, the projector's state, the minutes and the motion text give the
same N (the rule set's base, computed by the core), in an election where N ≠ the valid ballots."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from daihoi.congress import live
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.models import Congress, Delegate
from daihoi.voting import documents
from daihoi.voting.actions import counting
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Candidate, Election, Motion
from tests.factories import check_in, login_as, make_congress
from tests.voting.evote_helpers import decrypt_totals, phone_cast, run_key_ceremony

N_LINE = "N = 30 đại biểu chính thức được triệu tập = 30"


def decide(motion: Motion) -> Motion:
    mo.open_motion(motion, actor=SYSTEM)
    present = mo.present_voters(motion.congress)
    return mo.close_motion(motion, actor=SYSTEM, yes=present, no=0, abstain=0)


def certified_party_election() -> Election:
    """30 convened and present (N = 30); 5 of 6; only 10 vote, all for the first five: valid = 10."""
    c = make_congress(delegates=30)
    Congress.objects.filter(pk=c.pk).update(is_electronic_voting_enabled=True)
    check_in(c)
    e = el.create_election(c, actor=SYSTEM, title="Bầu Ban Chấp hành", seats=5, allows_electronic=True)
    decide(e.motions.get(kind=Motion.Kind.SEATS))
    e.refresh_from_db()
    for n in range(1, 7):
        el.add_candidate(
            e, actor=SYSTEM, source=Candidate.Source.COMMITTEE, delegate=c.delegates.get(number=n)
        )
    members = [c.delegates.get(number=n) for n in (20, 21, 22)]
    decide(el.propose_counting_committee(e, actor=SYSTEM, members=members, head=members[0]))
    decide(el.propose_list(e, actor=SYSTEM))
    e.refresh_from_db()
    run_key_ceremony(e)  # the counting committee's key (issue 10)
    e = el.open_election(e, actor=SYSTEM)
    codes = [cand.code for cand in counting.ballot_list(e)]
    for i, d in enumerate(Delegate.objects.filter(congress=c).order_by("number")[:10]):
        phone_cast(e, d, codes[:5], nonce=f"one-n-{i:02d}-abcdefghij")
    el.close_election(e, actor=SYSTEM)
    decrypt_totals(e)
    counting.certify(e, SYSTEM)
    counting.release_result(e, SYSTEM)
    e.refresh_from_db()
    return e


@pytest.mark.django_db
def test_the_count_page_the_screen_the_minutes_and_the_motion_state_the_same_N(client):
    e = certified_party_election()
    c = e.congress
    assert e.result["ballots"]["valid"] == 10 and e.result["base"] == 30
    # The count page: N and its line; "% so với N" is a share of N (10/30), not of the valid ballots.
    clerk = login_as(client, c, Role.COUNTING)
    page = clerk.get(reverse("count_page", args=[c.slug, e.pk])).content.decode()
    assert N_LINE in page
    tally = clerk.get(reverse("count_json", args=[c.slug, e.pk])).json()
    assert tally["base"] == 30 and tally["base_statement"] == N_LINE
    assert {cand["percent"] for cand in tally["candidates"]} == {"33.33", "0.00"}
    # The projector's state.
    shown = live.congress_state(c, fresh=True)["result"]
    assert shown["base"] == 30 and shown["base_statement"] == N_LINE
    # The minutes: one line states N, once.
    text = "\n".join(getattr(b, "text", "") for b in documents.produce("minutes", e).blocks)
    assert f"Cơ sở tính tỷ lệ: {N_LINE}." in text
    assert len(re.findall(r"N = 30 đại biểu", text)) == 1 and "N: " not in text
    # The motion that set the seats: the same N, named N, stated once.
    seats = e.motions.get(kind=Motion.Kind.SEATS)
    assert seats.base == 30 and seats.base_explanation == N_LINE
    motion_text = "\n".join(getattr(b, "text", "") for b in documents.produce("motion_minutes", seats).blocks)
    assert f"Cơ sở tính tỷ lệ: {N_LINE}." in motion_text and "số phiếu biểu quyết" not in motion_text
    chair = login_as(client, c, Role.PRESIDIUM)
    motion_page = chair.get(reverse("motion_detail", args=[c.slug, seats.pk])).content.decode()
    assert N_LINE in motion_page and "N = 30." not in motion_page
