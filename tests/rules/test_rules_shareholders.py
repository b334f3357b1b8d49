"""shared/rules/shareholders.md (S1–S5) and the plain `approval` rule set; the registry of rule sets."""

from __future__ import annotations

from fractions import Fraction

import pytest
from ballot_factory import candidates

from daihoi.rules import (
    RULESETS,
    Ballot,
    Election,
    RuleError,
    count_ballots,
    decide_motion,
    get_ruleset,
    shareholder_quorum_status,
    tally,
)
from daihoi.rules.casting import electronic_casting_allowed, proxy_weights
from daihoi.rules.minutes import render_minutes

SH = get_ruleset("shareholders")


def test_registry_names_rule_sets_and_refuses_unknown():
    assert {"party", "shareholders", "approval"} <= set(RULESETS)
    assert get_ruleset().name == "party"
    with pytest.raises(RuleError) as e:
        get_ruleset("youth_union")
    assert e.value.code == "unknown_ruleset"
    assert "party" in e.value.message


def test_every_rule_set_states_what_the_issue_asks():
    for rules in RULESETS.values():
        assert rules.threshold_text and rules.base_label
        assert rules.invalid_reasons >= rules.recorded_reasons
        assert rules.tie_policy == "next_round"
        assert isinstance(rules.electronic_casting_allowed, bool)


# S1 ---------------------------------------------------------------------------------------------


def test_S1_first_call_needs_more_than_half_of_voting_shares():
    q = shareholder_quorum_status(call=1, shares_present=500, voting_shares=1000)
    assert q.required == 501 and not q.is_met
    assert shareholder_quorum_status(call=1, shares_present=501, voting_shares=1000).is_met
    assert "cổ phần" in q.explain()
    err = q.error()
    assert err is not None and err.code == "quorum_not_met" and "shares" in err.message_en


def test_S1_second_call_33_percent_third_call_none():
    assert shareholder_quorum_status(call=2, shares_present=330, voting_shares=1000).is_met
    assert not shareholder_quorum_status(call=2, shares_present=329, voting_shares=1000).is_met
    assert shareholder_quorum_status(call=2, shares_present=34, voting_shares=101).required == 34
    assert shareholder_quorum_status(call=3, shares_present=1, voting_shares=1000).is_met


def test_S1_charter_may_change_the_ratios():
    q = shareholder_quorum_status(
        call=1, shares_present=600, voting_shares=1000, first_call_ratio=Fraction(3, 5)
    )
    assert q.required == 601 and not q.is_met
    with pytest.raises(RuleError) as e:
        shareholder_quorum_status(call=4, shares_present=1, voting_shares=10)
    assert e.value.code == "bad_call"


# S2 ---------------------------------------------------------------------------------------------


def test_S2_a_proxy_carries_the_shares_of_each_holder_it_represents():
    roll = [("An", 100, None), ("Bình", 250, "Cường"), ("Dung", 50, "Cường"), ("Cường", 10, None)]
    assert proxy_weights("shareholders", roll) == {"An": 100, "Cường": 310}
    with pytest.raises(RuleError) as e:
        proxy_weights("shareholders", [("An", 1, None), ("An", 1, "Bình")])
    assert e.value.code == "represented_twice"


# S3 ---------------------------------------------------------------------------------------------


def test_S3_resolution_needs_more_than_half_of_shares_present():
    assert decide_motion(yes=5001, no=0, abstain=0, base=10000, ruleset="shareholders").passed
    out = decide_motion(yes=5000, no=4000, abstain=0, base=10000, ruleset="shareholders")
    assert not out.passed and out.yes_percent == "50.00" and out.denominator_label == "cổ phần có mặt"


def test_S3_special_matters_need_at_least_65_percent():
    assert decide_motion(yes=6500, no=0, abstain=0, base=10000, ruleset="shareholders", special=True).passed
    out = decide_motion(yes=6499, no=0, abstain=0, base=10000, ruleset="shareholders", special=True)
    assert not out.passed and out.required_yes == 6500 and "≥ 65%" in out.threshold
    with pytest.raises(RuleError) as e:
        decide_motion(yes=1, no=0, abstain=0, base=3, special=True)
    assert e.value.code == "special_not_supported"


# S4 ---------------------------------------------------------------------------------------------

BOARD = candidates("An", "Bình", "Cường", "Dung")


def _board(ballots, seats=2):
    return tally(Election(BOARD, seats, ruleset=SH), ballots)


def test_S4_cumulative_votes_weighted_top_n_without_threshold():
    ballots = [
        Ballot("1", (200, 0, 0, 0), None, 100),  # all 200 (= 100 × 2) on one candidate
        Ballot("2", (30, 30, 0, 0), None, 30),
        Ballot("3", (0, 0, 50, 20), None, 35),
    ]
    result = _board(ballots)
    assert [c.votes for c in result.candidates] == [230, 30, 50, 20]
    assert result.elected == ("c01", "c03")
    # percent base = shares present × seats = 165 × 2
    assert result.base == 330
    assert [c.percent for c in result.candidates] == ["69.70", "9.09", "15.15", "6.06"]


def test_S4_over_allowance_and_too_many_candidates_are_invalid():
    ballots = [
        Ballot("1", (150, 51, 0, 0), None, 100),  # 201 > 200
        Ballot("2", (1, 1, 1, 0), None, 10),  # names 3 for 2 seats
        Ballot("3", (20, 0, 0, 0), None, 10),
    ]
    result = _board(ballots)
    assert result.ballots.invalid_by_reason == {"over_allowance": 1, "too_many_candidates": 1}
    assert result.ballots.valid == 1
    assert result.elected == ("c01",)
    assert result.next_round is not None and result.next_round.reason == "not_enough_passed"


def test_S4_tie_for_last_seat_goes_to_a_next_round():
    ballots = [
        Ballot("1", (200, 0, 0, 0), None, 100),
        Ballot("2", (0, 60, 0, 0), None, 30),
        Ballot("3", (0, 0, 60, 0), None, 30),
    ]
    result = _board(ballots)
    assert result.elected == ("c01",)
    assert result.next_round is not None
    assert result.next_round.to_dict() == {"reason": "tie", "seats": 1, "candidates": ["c02", "c03"]}


def test_S4_negative_votes_are_refused():
    with pytest.raises(RuleError) as e:
        count_ballots(Election(BOARD, 2, ruleset=SH), [Ballot("1", (5, -1, 0, 0), None, 10)])
    assert e.value.code == "bad_mark"


# S5 ---------------------------------------------------------------------------------------------


def test_S5_minutes_give_votes_percent_of_shares_present_and_elected():
    result = _board([Ballot("1", (200, 0, 0, 0), None, 100), Ballot("2", (0, 60, 0, 0), None, 30)])
    text = render_minutes(result)
    assert "cổ phần có mặt × số lượng cần bầu" in text
    assert "Cơ sở tính (cổ phần có mặt × số lượng cần bầu): 260" in text
    assert "1. An (c01): 200 phiếu, 76.92%" in text


def test_S5_motion_percents_of_shares_present():
    out = decide_motion(yes=700, no=200, abstain=100, base=1000, ruleset="shareholders")
    assert (out.yes_percent, out.no_percent, out.abstain_percent) == ("70.00", "20.00", "10.00")


def test_shareholders_allow_electronic_casting():
    assert electronic_casting_allowed("shareholders")


# approval ---------------------------------------------------------------------------------------

APPROVAL = get_ruleset("approval")


def test_approval_passes_with_more_than_half_of_valid_ballots():
    cands = candidates("An", "Bình", "Cường")
    ballots = [
        Ballot("1", (1, 1, 0)),
        Ballot("2", (1, 0, 0)),
        Ballot("3", (0, 1, 0)),
        Ballot("4", (0, 0, 0)),  # striking everyone is a valid vote for no one here
        Ballot("5", (1, 1, 1)),  # too many kept
    ]
    result = tally(Election(cands, 2, ruleset=APPROVAL), ballots)
    assert result.ballots.valid == 4 and result.ballots.invalid_by_reason == {"too_many_kept": 1}
    assert result.base == 4
    assert [c.votes for c in result.candidates] == [2, 2, 0]
    assert result.elected == ()  # 2 is exactly half of 4
    result = tally(Election(cands, 2, ruleset=APPROVAL), ballots[:3])
    assert result.elected == ("c01", "c02")


def test_approval_ignores_a_given_base():
    result = tally(Election(candidates("An", "Bình"), 1, base=999, ruleset=APPROVAL), [Ballot("1", (1, 0))])
    assert result.base == 1 and result.elected == ("c01",)
