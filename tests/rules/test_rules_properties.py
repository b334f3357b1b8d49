"""Hypothesis properties that would catch a wrong count."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from daihoi.rules import Ballot, BallotCount, Candidate, Election, decide, get_ruleset, tally

PARTY = get_ruleset("party")
APPROVAL = get_ruleset("approval")
SHAREHOLDERS = get_ruleset("shareholders")


@st.composite
def strike_elections(draw):
    """A party or approval election and a box of ballots, some invalid by marks or by record."""
    rules = draw(st.sampled_from([PARTY, APPROVAL]))
    n = draw(st.integers(1, 7))
    seats = draw(st.integers(1, n + 1))
    alternates = draw(st.integers(0, 2))
    cands = tuple(Candidate(f"c{i}", f"Người {i}") for i in range(n))
    no_surplus = n <= seats + alternates
    cell = st.sampled_from([0, 1, None]) if no_surplus else st.sampled_from([0, 1])
    rows = draw(st.lists(st.tuples(*[cell] * n), max_size=40))
    reasons = st.none() | st.sampled_from(sorted(rules.recorded_reasons)) if rows else st.none()
    ballots = [
        Ballot(str(i), row, draw(st.one_of(st.none(), st.none(), reasons))) for i, row in enumerate(rows)
    ]
    base = draw(st.integers(max(len(ballots), 1), len(ballots) + 10))
    return Election(cands, seats, alternates=alternates, base=base, ruleset=rules), ballots


@st.composite
def cumulative_elections(draw):
    n = draw(st.integers(1, 6))
    seats = draw(st.integers(1, n))
    cands = tuple(Candidate(f"c{i}", f"Ứng viên {i}") for i in range(n))
    ballots = []
    for i in range(draw(st.integers(0, 25))):
        weight = draw(st.integers(1, 1000))
        marks = tuple(draw(st.integers(0, weight * seats)) for _ in range(n))
        ballots.append(Ballot(str(i), marks, None, weight))
    return Election(cands, seats, ruleset=SHAREHOLDERS), ballots


@st.composite
def strike_elections_with_a_favourite(draw):
    """A list with a surplus (struck names) where most ballots keep the first name, and N (party)
    leaves room for one more ballot: so that someone is usually elected."""
    rules = draw(st.sampled_from([PARTY, APPROVAL]))
    n = draw(st.integers(2, 7))
    seats = draw(st.integers(1, n - 1))
    alternates = draw(st.integers(0, n - 1 - seats))
    cands = tuple(Candidate(f"c{i}", f"Người {i}") for i in range(n))
    rows = draw(st.lists(st.tuples(*[st.sampled_from([0, 1])] * (n - 1)), min_size=1, max_size=40))
    reasons = st.none() | st.sampled_from(sorted(rules.recorded_reasons))
    ballots = [
        Ballot(str(i), (1, *row), draw(st.one_of(st.none(), st.none(), st.none(), reasons)))
        for i, row in enumerate(rows)
    ]
    election = Election(cands, seats, alternates=alternates, base=len(ballots) + 1, ruleset=rules)
    assert election.layout == "strike"
    return election, ballots


def _reference_votes(election, ballots):
    """The count done the slow, obvious way, ballot by ballot and name by name."""
    places, n = election.places, len(election.candidates)
    votes, valid = [0] * n, 0
    for b in ballots:
        if b.invalid_reason:
            continue
        kept = [j for j in range(n) if b.marks[j] == 1]
        if len(kept) > places:
            continue
        if election.layout == "strike" and not kept and election.ruleset.all_struck_invalid:
            continue
        if n == 1 and election.layout == "agree_disagree" and b.marks[0] is None:
            continue
        valid += 1
        for j in kept:
            votes[j] += 1
    return valid, votes


@given(strike_elections(), st.randoms(use_true_random=False))
def test_ballot_order_never_changes_the_result(case, rnd):
    election, ballots = case
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally(election, shuffled).to_dict() == tally(election, ballots).to_dict()


@given(cumulative_elections(), st.randoms(use_true_random=False))
def test_ballot_order_never_changes_a_cumulative_result(case, rnd):
    election, ballots = case
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally(election, shuffled).to_dict() == tally(election, ballots).to_dict()


@given(strike_elections())
def test_count_matches_a_ballot_by_ballot_reference(case):
    election, ballots = case
    result = tally(election, ballots)
    valid, votes = _reference_votes(election, ballots)
    assert result.ballots.valid == valid
    assert [c.votes for c in result.candidates] == votes
    assert result.ballots.valid + result.ballots.invalid == result.ballots.received == len(ballots)


@given(strike_elections_with_a_favourite(), st.data())
def test_raising_a_candidates_votes_never_unelects_them(case, data):
    election, ballots = case
    result = tally(election, ballots)
    assume(result.elected)
    winner = data.draw(st.sampled_from(result.elected))
    j = next(i for i, c in enumerate(election.candidates) if c.id == winner)
    votes = list(result.ballots.votes)
    votes[j] += data.draw(st.integers(0, max(0, result.ballots.valid - votes[j])))
    raised = BallotCount(result.ballots.received, result.ballots.valid, {}, tuple(votes), 0, 0)
    assert winner in decide(election, raised).elected


@given(strike_elections_with_a_favourite(), st.data())
def test_one_more_ballot_keeping_a_winner_never_unelects_them(case, data):
    election, ballots = case
    result = tally(election, ballots)
    assume(result.elected)
    winner = data.draw(st.sampled_from(result.elected))
    # One more valid ballot that keeps only this candidate: only they gain a vote.
    extra = Ballot("extra", tuple(int(c.id == winner) for c in election.candidates))
    assert winner in tally(election, [*ballots, extra]).elected


@given(strike_elections())
def test_elected_and_alternates_never_exceed_the_places(case):
    election, ballots = case
    result = tally(election, ballots)
    assert len(result.elected) <= election.seats
    assert len(result.elected_alternates) <= election.alternates
    assert result.unfilled_seats >= 0
    assert not set(result.elected) & set(result.elected_alternates)
    by_id = {c.id: c for c in result.candidates}
    for cid in (*result.elected, *result.elected_alternates):
        assert by_id[cid].passed_threshold
    for nr in result.next_rounds:
        assert not set(nr.candidates) & set(result.elected)
    # the elected outrank everyone not elected
    if result.elected:
        lowest = min(by_id[c].votes for c in result.elected)
        assert all(c.votes <= lowest for c in result.candidates if c.result == "not_elected")


@given(strike_elections())
def test_percentages_come_from_exact_counts(case):
    election, ballots = case
    result = tally(election, ballots)
    for c in result.candidates:
        exact = Fraction(100 * c.votes, result.base) if result.base else Fraction(0)
        shown = Fraction(Decimal(c.percent))
        assert abs(shown - exact) <= Fraction(1, 200)
        assert shown == Fraction(math.floor(exact * 100 + Fraction(1, 2)), 100)  # half up
        assert len(c.percent.split(".")[1]) == 2


@settings(max_examples=50)
@given(cumulative_elections())
def test_cumulative_totals_never_exceed_the_allowance(case):
    election, ballots = case
    result = tally(election, ballots)
    assert sum(result.ballots.votes) <= result.ballots.valid_weight * election.seats
    assert len(result.elected) <= election.seats
