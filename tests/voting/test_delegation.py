"""P15: a delegation of 28 officials and 2 alternates on one ballot, a tie at the alternates' cut-off,
and the next round the congress decides by motion; and the default `separate` mode, where the
alternates are an election of their own. All through the actions the pages call."""

from __future__ import annotations

import io

import pytest
from docx import Document as Docx

from daihoi.congress.access import Actor, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.live import congress_state
from daihoi.congress.models import Delegate
from daihoi.voting.actions import counting, elections, motions, paper
from daihoi.voting.actions.counting import ballot_list
from daihoi.voting.documents.ballot import ballot_context
from daihoi.voting.models import Candidate, Election, Motion
from tests.factories import make_congress
from tests.rules.ballot_factory import valid_rows

pytestmark = pytest.mark.django_db

ORGANIZER = Actor(roles=frozenset({Role.ORGANIZER}))
CHAIR = Actor(roles=frozenset({Role.PRESIDIUM}))
CLERK = Actor(roles=frozenset({Role.COUNTING}))
DELEGATES = 60


def carry(motion: Motion) -> None:
    """The presidium puts a motion to a show of hands and every delegate agrees."""
    motions.open_motion(motion, actor=CHAIR)
    motions.close_motion(motion, actor=CHAIR, yes=DELEGATES, no=0, abstain=0)


def enter_paper(election: Election, votes_in_ballot_order: list[int], places: int) -> None:
    """Both teams type every ballot; the batch agrees and is finalized; the issued count is entered."""
    rows = valid_rows(votes_in_ballot_order, DELEGATES, places)
    width = len(str(len(votes_in_ballot_order)))
    batch = paper.create_batch(election, CLERK, label="Hòm phiếu")
    for team in (1, 2):
        for n, row in enumerate(rows, start=1):
            keys = "".join(f"{i:0{width}d}" for i, mark in enumerate(row, start=1) if mark == 0)
            paper.record_entry(batch, CLERK, team=team, ballot_number=str(n), keys=keys)
    assert paper.compare_batch(batch).agree
    paper.finalize_batch(batch, CLERK)
    counting.record_ballots_issued(election, CLERK, issued=DELEGATES)


def test_a_tie_at_the_alternates_cut_off_leads_to_a_next_round():
    congress = make_congress(delegates=DELEGATES)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    people = list(congress.delegates.order_by("number"))
    e = elections.create_election(
        congress,
        actor=ORGANIZER,
        title="Bầu đoàn đại biểu dự Đại hội Đảng bộ quận",
        kind=Election.Kind.DELEGATION,
        seats=28,
        alternates=2,
        delegation_mode=Election.DelegationMode.ONE_BALLOT,
    )
    assert not Election.objects.filter(elects_alternates=True).exists()  # one ballot, one election
    for d in people[:33]:
        elections.add_candidate(e, actor=CHAIR, source=Candidate.Source.COMMITTEE, delegate=d)
    carry(elections.propose_counting_committee(e, actor=CHAIR, members=people[-3:], head=people[-3]))
    carry(elections.propose_list(e, actor=CHAIR))
    elections.open_election(e, actor=CHAIR)
    elections.close_election(e, actor=CHAIR)
    e.refresh_from_db()
    assert (e.base, e.present_at_vote) == (DELEGATES, DELEGATES)

    # In ballot order: 28 well ahead, then 40, a tie at 35 for the last alternate place, then 20 and 10.
    listed = ballot_list(e)
    votes = [55] * 28 + [40, 35, 35, 20, 10]
    enter_paper(e, votes, places=30)
    result = counting.certify(e, CLERK)
    assert len(result.elected) == 28
    assert result.elected_alternates == (listed[28].code,)
    tied = (listed[29].code, listed[30].code)
    assert result.next_round is not None
    assert result.next_round.to_dict() == {"reason": "tie", "seats": 1, "candidates": list(tied)}
    assert [c.result for c in result.candidates if c.id in tied] == ["tied", "tied"]

    counting.release_result(e, CLERK)
    shown = congress_state(congress)["result"]
    assert shown["next_round"]["candidates"] == [listed[29].full_name, listed[30].full_name]

    # The congress decides to hold the next round; round 2 is created with the two tied.
    carry(elections.propose_next_round(e, actor=CHAIR))
    second = Election.objects.get(previous_round=e)
    assert (second.round, second.seats, second.status) == (2, 1, Election.Status.LIST_APPROVED)
    names = sorted(c.full_name for c in ballot_list(second))
    assert names == sorted([listed[29].full_name, listed[30].full_name])

    elections.open_election(second, actor=CHAIR)
    elections.close_election(second, actor=CHAIR)
    second.refresh_from_db()
    order = ballot_list(second)
    winner = next(c for c in order if c.full_name == listed[30].full_name)
    enter_paper(second, [41 if c == winner else 19 for c in order], places=1)
    final = counting.certify(second, CLERK)
    assert final.elected == (winner.code,) and final.next_round is None


def test_a_round_for_alternate_places_shows_its_winner_as_an_alternate():
    from daihoi.voting import documents
    from tests.support.counting import HEAD, cast_electronic, listed_codes, make_election

    congress = make_congress(delegates=4)
    e = make_election(congress, candidates=2, seats=1, base=4, present=4, allows_electronic=True)
    e.elects_alternates = True
    e.round = 2
    e.save()
    codes = listed_codes(e)
    cast_electronic(e, [{codes[0]: 1, codes[1]: 0}] * 3 + [{codes[0]: 0, codes[1]: 1}])
    counting.certify(e, HEAD)
    counting.release_result(e, HEAD)
    shown = congress_state(congress)["result"]
    assert shown["elected"] == [] and shown["elected_alternates"] == ["Nguyễn Văn An"]
    minutes = Docx(io.BytesIO(documents.render_docx(documents.produce("minutes", e))))
    text = "\n".join(p.text for p in minutes.paragraphs)
    assert "V. NHỮNG NGƯỜI TRÚNG CỬ DỰ KHUYẾT" in text


def run_to_result(e: Election, people: list[Delegate], votes: list[int], places: int):
    """The committee's list (len(votes) people), the counting committee, the list, the vote, the count."""
    for d in people[: len(votes)]:
        elections.add_candidate(e, actor=CHAIR, source=Candidate.Source.COMMITTEE, delegate=d)
    carry(elections.propose_counting_committee(e, actor=CHAIR, members=people[-3:], head=people[-3]))
    carry(elections.propose_list(e, actor=CHAIR))
    elections.open_election(e, actor=CHAIR)
    elections.close_election(e, actor=CHAIR)
    e.refresh_from_db()
    enter_paper(e, votes, places=places)
    return counting.certify(e, CLERK)


def test_P15_separate_is_the_default_and_elects_the_alternates_in_an_election_of_their_own():
    congress = make_congress(delegates=DELEGATES)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    people = list(congress.delegates.order_by("number"))
    officials = elections.create_election(
        congress, actor=ORGANIZER, title="Bầu đoàn đại biểu", kind=Election.Kind.DELEGATION, seats=5,
        alternates=4,
    )  # fmt: skip
    assert officials.delegation_mode == Election.DelegationMode.SEPARATE
    alternates = Election.objects.get(elects_alternates=True)
    assert (alternates.seats, alternates.alternates, alternates.kind) == (4, 0, Election.Kind.DELEGATION)
    # The officials' ballot keeps at most 5 names: 6 kept is over-selection, not an alternate.
    assert counting.ballot_places(officials) == 5 and counting.ballot_places(alternates) == 4

    result = run_to_result(officials, people[:20], [50, 48, 46, 44, 42, 40], places=5)
    assert ballot_context(officials)["places"] == 5  # the printed ballot says the same
    assert len(result.elected) == 5 and result.elected_alternates == () and result.next_round is None
    assert [c.result for c in result.candidates].count("elected_alternate") == 0

    # The alternates: ranked by votes, their order of replacement; shown as alternates.
    second = run_to_result(alternates, people[20:40], [31, 45, 38, 50, 20], places=4)
    listed = ballot_list(alternates)
    ranked = [listed[3], listed[1], listed[2], listed[0]]
    assert second.elected == tuple(c.code for c in ranked)
    counting.release_result(alternates, CLERK)
    shown = congress_state(congress)["result"]
    assert shown["elected"] == [] and shown["elected_alternates"] == [c.full_name for c in ranked]


def test_P15_one_ballot_elects_officials_then_alternates_from_the_same_ballot():
    congress = make_congress(delegates=DELEGATES)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    people = list(congress.delegates.order_by("number"))
    e = elections.create_election(
        congress, actor=ORGANIZER, title="Bầu đoàn đại biểu", kind=Election.Kind.DELEGATION, seats=5,
        alternates=2, delegation_mode=Election.DelegationMode.ONE_BALLOT,
    )  # fmt: skip
    assert not Election.objects.filter(elects_alternates=True).exists()
    assert counting.ballot_places(e) == 7
    result = run_to_result(e, people, [50, 48, 46, 44, 42, 40, 38, 36, 20], places=7)
    listed = ballot_list(e)
    assert result.elected == tuple(c.code for c in listed[:5])
    assert result.elected_alternates == (listed[5].code, listed[6].code)


def test_P15_an_unknown_delegation_mode_is_refused():
    congress = make_congress(delegates=4)
    with pytest.raises(ActionError) as refused:
        elections.create_election(
            congress, actor=ORGANIZER, title="Đoàn", kind=Election.Kind.DELEGATION, seats=2, alternates=1,
            delegation_mode="both",
        )  # fmt: skip
    assert refused.value.code == "bad_mode"
