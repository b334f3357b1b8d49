"""Paper ballots: keyboard entry by two teams, mismatches ballot by ballot, resolution, agreed ballots (P18)."""

from __future__ import annotations

import pytest

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.errors import ActionError
from daihoi.voting.actions import paper
from daihoi.voting.models import Election, PaperBallot, PaperEntry
from tests.factories import make_congress
from tests.support.counting import CLERK, HEAD, keys_for, make_election

pytestmark = pytest.mark.django_db


def parse(keys: str, n: int = 10) -> paper.Reading:
    return paper.parse_keys(keys, candidates=n, ruleset="party")


def test_two_digit_keys_strike_the_numbered_names():
    assert parse("0307").struck == (3, 7)


def test_an_empty_line_is_a_ballot_with_every_name_kept():
    assert parse("") == paper.Reading()


def test_one_digit_per_name_on_a_short_list():
    assert parse("37", n=7).struck == (3, 7)


def test_separators_are_accepted_but_not_needed():
    assert parse("3 7").struck == (3, 7)


def test_star_and_a_letter_records_an_invalid_reason():
    assert parse("*k").reason == "not_issued"
    assert parse("*D").reason == "signed_or_marked"


def test_reasons_decided_by_the_marks_have_no_key():
    assert "too_many_kept" not in paper.reason_keys("party").values()
    assert "all_struck" not in paper.reason_keys("party").values()


@pytest.mark.parametrize(
    ("keys", "code"),
    [("035", "keys_width"), ("11", "keys_out_of_range"), ("0303", "keys_repeated"), ("*z", "keys_reason")],
)
def test_bad_keys_are_refused_with_a_code(keys, code):
    with pytest.raises(ActionError) as e:
        parse(keys)
    assert e.value.code == code


def test_plus_marks_names_left_blank_on_a_list_without_surplus():
    reading = parse("2+5", n=5)
    assert reading.struck == (2,) and reading.blank == (5,)


@pytest.fixture
def election():
    return make_election(make_congress(delegates=12), candidates=7, seats=5)


def test_each_team_enters_a_ballot_and_sees_the_struck_names(election):
    batch = paper.create_batch(election, CLERK)
    saved = paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="37")
    assert saved.reading["struck"] == ["3. Lê Hữu Cường", "7. Đặng Ngọc Lan"]
    assert saved.next_ballot_number == "2"
    marks = saved.entry.marks
    assert marks["c03"] == 0 and marks["c07"] == 0 and sum(marks.values()) == 5


def test_a_repeated_enter_for_the_same_ballot_keeps_one_entry(election):
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="37")
    paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="37")
    assert PaperEntry.objects.filter(batch=batch).count() == 1


def test_mismatches_are_listed_ballot_by_ballot_with_names(election):
    batch = paper.create_batch(election, CLERK)
    for n, keys in enumerate(["", "12", "*k"], start=1):
        paper.record_entry(batch, CLERK, team=1, ballot_number=str(n), keys=keys)
    for n, keys in enumerate(["", "13", "*k"], start=1):
        paper.record_entry(batch, CLERK, team=2, ballot_number=str(n), keys=keys)
    paper.record_entry(batch, CLERK, team=2, ballot_number="4", keys="")
    comparison = paper.compare_batch(batch)
    assert [m["ballot_number"] for m in comparison.mismatches] == ["2", "4"]
    two = comparison.mismatches[0]["teams"]
    assert "Trần Thị Bình" in two[0]["text"] and "Lê Hữu Cường" in two[1]["text"]
    assert comparison.mismatches[1]["teams"][0]["missing"]
    assert not comparison.agree


def test_a_batch_with_mismatches_cannot_be_finalized(election):
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="1")
    paper.record_entry(batch, CLERK, team=2, ballot_number="1", keys="2")
    with pytest.raises(ActionError) as e:
        paper.finalize_batch(batch, HEAD)
    assert e.value.code == "entries_disagree"
    assert e.value.params["ballots"] == ["1"]
    assert not PaperBallot.objects.exists()


def test_a_batch_entered_by_one_team_only_cannot_be_finalized(election):
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="1")
    with pytest.raises(ActionError) as e:
        paper.finalize_batch(batch, HEAD)
    assert e.value.code == "entries_disagree"  # ballot 1 is unpaired


def test_the_head_resolves_a_mismatch_and_the_audit_keeps_both_readings(election):
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="1")
    paper.record_entry(batch, CLERK, team=2, ballot_number="1", keys="2")
    paper.resolve_ballot(batch, HEAD, ballot_number="1", keys="2")
    assert paper.compare_batch(batch).agree
    entry = AuditEntry.objects.get(action="paper.resolve")
    assert [b["marks"]["c01"] for b in entry.before] == [0, 1]
    assert verify() == []
    assert paper.finalize_batch(batch, HEAD) == 1
    ballot = PaperBallot.objects.get()
    assert ballot.marks["c02"] == 0 and ballot.marks["c01"] == 1


def test_a_ballot_typed_by_mistake_can_be_discarded(election):
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="9", keys="")
    paper.resolve_ballot(batch, HEAD, ballot_number="9", discard=True)
    assert not PaperEntry.objects.exists()


def test_an_agreed_batch_becomes_counted_ballots_and_is_closed(election):
    batch = paper.create_batch(election, CLERK)
    for team in (1, 2):
        paper.record_entry(batch, CLERK, team=team, ballot_number="1", keys=keys_for(election, ["c01"]))
        paper.record_entry(batch, CLERK, team=team, ballot_number="2", keys="*t")
    assert paper.finalize_batch(batch, HEAD) == 2
    assert {b.ballot_number: b.invalid_reason for b in PaperBallot.objects.all()} == {
        "1": "",
        "2": "added_name",
    }
    with pytest.raises(ActionError) as e:
        paper.record_entry(batch, CLERK, team=1, ballot_number="3", keys="")
    assert e.value.code == "batch_closed"


def test_undo_removes_the_teams_last_ballot_only(election):
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="")
    paper.record_entry(batch, CLERK, team=1, ballot_number="2", keys="")
    paper.record_entry(batch, CLERK, team=2, ballot_number="1", keys="")
    undone = paper.undo_last_entry(batch, CLERK, team=1)
    assert undone is not None and undone.ballot_number == "2"
    assert sorted(PaperEntry.objects.values_list("team", "ballot_number")) == [(1, "1"), (2, "1")]
    assert paper.next_ballot_number(batch, 1) == "2"


def test_a_ballot_number_cannot_be_entered_in_two_batches(election):
    first = paper.create_batch(election, CLERK)
    second = paper.create_batch(election, CLERK)
    paper.record_entry(first, CLERK, team=1, ballot_number="5", keys="")
    with pytest.raises(ActionError) as e:
        paper.record_entry(second, CLERK, team=2, ballot_number="5", keys="")
    assert e.value.code == "ballot_in_other_batch"
    assert paper.next_ballot_number(second, 1) == "6"


def test_paper_entry_waits_until_the_vote_is_closed():
    election = make_election(make_congress(delegates=12), status=Election.Status.OPEN)
    with pytest.raises(ActionError) as e:
        paper.create_batch(election, CLERK)
    assert e.value.code == "election_state"


def test_the_clerk_is_told_when_the_marks_make_a_ballot_invalid(election):
    batch = paper.create_batch(election, CLERK)
    saved = paper.record_entry(batch, CLERK, team=1, ballot_number="1", keys="1234567")
    assert saved.reading["decided_reason"] == "all_struck"
    assert "gạch hết tên" in saved.reading["text"]
    kept_six = paper.record_entry(batch, CLERK, team=1, ballot_number="2", keys="1")
    assert kept_six.reading["decided_reason"] == "too_many_kept"
    assert (
        "decided_reason" not in paper.record_entry(batch, CLERK, team=1, ballot_number="3", keys="12").reading
    )


def test_a_third_team_that_disagrees_keeps_the_batch_open(election):
    batch = paper.create_batch(election, CLERK)
    for team, keys in ((1, "1"), (2, "1"), (3, "2")):
        paper.record_entry(batch, CLERK, team=team, ballot_number="1", keys=keys)
    comparison = paper.compare_batch(batch)
    assert comparison.teams == (1, 2, 3)
    assert [t["team"] for t in comparison.mismatches[0]["teams"]] == [1, 2, 3]
    paper.resolve_ballot(batch, HEAD, ballot_number="1", keys="1")
    assert paper.finalize_batch(batch, HEAD) == 1


def test_on_a_list_without_surplus_a_blank_name_gets_no_vote_and_the_ballot_stays_valid():
    from daihoi.voting.actions import counting

    election = make_election(make_congress(delegates=4), candidates=3, seats=3, base=4, present=4)
    election.ballots_issued = 4
    election.save()
    batch = paper.create_batch(election, CLERK)
    for team in (1, 2):
        for n, keys in enumerate(["", "1", "+2", "3+1"], start=1):
            paper.record_entry(batch, CLERK, team=team, ballot_number=str(n), keys=keys)
    paper.finalize_batch(batch, HEAD)
    result = counting.count_election(election)
    assert result.ballots.valid == 4
    assert [c.votes for c in result.candidates] == [2, 3, 3]  # c01, c02, c03 in list order
