"""Edge cases of the count: empty boxes, everything invalid, short lists, ties across cut-offs."""

from __future__ import annotations

from ballot_factory import as_ballots, candidates, valid_rows

from daihoi.rules import Ballot, Election, get_ruleset, tally

CANDS = candidates("An", "Bình", "Cường", "Dung")


def test_zero_ballots():
    result = tally(Election(CANDS, 2, base=10), [])
    assert result.ballots.received == result.ballots.valid == 0
    assert [c.percent for c in result.candidates] == ["0.00"] * 4
    assert result.elected == () and result.unfilled_seats == 2
    assert result.next_round is not None and result.next_round.to_dict()["candidates"] == [
        "c01",
        "c02",
        "c03",
        "c04",
    ]


def test_every_ballot_invalid():
    ballots = [Ballot("1", (1, 1, 1, 0)), Ballot("2", (0, 0, 0, 0)), Ballot("3", (1, 0, 0, 0), "torn")]
    result = tally(Election(CANDS, 2, base=5), ballots)
    assert result.ballots.valid == 0 and result.ballots.invalid == 3
    assert result.ballots.invalid_by_reason == {"too_many_kept": 1, "all_struck": 1, "torn": 1}
    assert all(c.votes == 0 for c in result.candidates)
    assert result.next_round is not None and result.next_round.reason == "not_enough_passed"


def test_every_name_struck_party_invalid_approval_valid():
    ballots = as_ballots([(0, 0, 0, 0)] * 3)
    party = tally(Election(CANDS, 2, base=5), ballots)
    assert party.ballots.invalid_by_reason == {"all_struck": 3}
    approval = tally(Election(CANDS, 2, ruleset=get_ruleset("approval")), ballots)
    assert approval.ballots.valid == 3 and approval.base == 3 and approval.elected == ()


def test_zero_valid_ballots_in_approval_measures_against_zero():
    result = tally(Election(CANDS, 2, ruleset=get_ruleset("approval")), [Ballot("1", (1, 1, 1, 1))])
    assert result.base == 0 and [c.percent for c in result.candidates] == ["0.00"] * 4


def test_fewer_candidates_than_seats():
    cands = candidates("An", "Bình")
    election = Election(cands, 3, base=4)
    assert election.layout == "agree_disagree"
    result = tally(election, as_ballots([(1, 1), (1, 0), (1, None), (0, 1)]))
    assert result.elected == ("c01",)  # 3 of 4; Bình has 2, exactly half
    assert result.unfilled_seats == 2
    assert result.next_round is not None
    assert result.next_round.to_dict() == {"reason": "not_enough_passed", "seats": 2, "candidates": ["c02"]}


def test_three_way_tie_at_the_cut_off():
    cands = candidates(*"ABCDE")
    ballots = as_ballots(valid_rows([20, 18, 18, 18, 1], 25, 3))
    result = tally(Election(cands, 3, base=30), ballots)
    assert result.elected == ("c01",)
    assert result.next_round is not None
    assert result.next_round.to_dict() == {"reason": "tie", "seats": 2, "candidates": ["c02", "c03", "c04"]}
    assert [c.rank for c in result.candidates] == [1, 2, 2, 2, 5]
    assert result.unfilled_seats == 2


def test_three_way_tie_of_candidates_who_did_not_pass_leaves_no_tie():
    cands = candidates(*"ABCD")
    result = tally(Election(cands, 2, base=30), as_ballots(valid_rows([20, 10, 10, 10], 25, 2)))
    assert result.elected == ("c01",)
    assert result.next_round is not None and result.next_round.reason == "not_enough_passed"


def test_delegation_alternates_tie_through_ballots():
    cands = candidates(*"ABCDEF")
    ballots = as_ballots(valid_rows([25, 24, 20, 18, 18, 4], 28, 4, keep_min=3))
    result = tally(Election(cands, 2, alternates=2, base=30), ballots)
    assert result.elected == ("c01", "c02")
    assert result.elected_alternates == ("c03",)
    assert result.next_round is not None
    assert result.next_round.to_dict() == {"reason": "tie", "seats": 1, "candidates": ["c04", "c05"]}
    assert [c.result for c in result.candidates] == [
        "elected", "elected", "elected_alternate", "tied", "tied", "not_elected",
    ]  # fmt: skip


def test_alternates_short_when_too_few_pass():
    cands = candidates(*"ABCDE")
    ballots = as_ballots(valid_rows([25, 24, 20, 5, 5], 28, 4, keep_min=2))
    result = tally(Election(cands, 2, alternates=2, base=30), ballots)
    assert result.elected_alternates == ("c03",)
    assert result.unfilled_seats == 1
    nr = result.next_round
    assert nr is not None and (nr.reason, nr.tier, nr.seats) == ("not_enough_passed", "alternate", 1)
