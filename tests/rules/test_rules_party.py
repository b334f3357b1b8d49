"""One or more tests per rule of shared/rules/party.md, named after the rule (P1–P20)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from ballot_factory import as_ballots, candidates, valid_rows, worked_example

from daihoi.rules import (
    Ballot,
    BallotCount,
    Election,
    ReconciliationError,
    RuleError,
    compute_base,
    count_ballots,
    decide,
    get_ruleset,
    may_vote,
    tally,
)
from daihoi.rules.casting import check_electronic_casting, electronic_casting_allowed, proxy_weights
from daihoi.rules.entries import compare_entries
from daihoi.rules.figures import percent
from daihoi.rules.minutes import MinutesContext, render_minutes
from daihoi.rules.nomination import (
    check_counting_committee,
    check_nomination,
    check_surplus,
    floor_nominee_admitted,
)
from daihoi.rules.ordering import ballot_order, name_key
from daihoi.rules.procedure import election_steps
from daihoi.rules.reconcile import reconcile


def _count(cands, seats, votes, *, valid, base, alternates=0, **kw):
    """Decide from vote totals alone (the count already made)."""
    election = Election(cands, seats, alternates=alternates, base=base, **kw)
    count = BallotCount(valid, valid, {}, tuple(votes), valid, valid)
    return decide(election, count)


# P1 ---------------------------------------------------------------------------------------------


def test_P1_only_official_delegates_vote():
    assert may_vote("official")
    assert not may_vote("guest")
    assert not may_vote("alternate")


def test_P1_alternate_votes_only_when_replacing_an_absent_official():
    assert may_vote("alternate", replaces_absent_official=True)


def test_P1_general_congress_full_members_vote_probationary_do_not():
    assert may_vote("full_member", congress_kind="general")
    assert not may_vote("probationary_member", congress_kind="general")
    assert not may_vote("guest", congress_kind="general")


def test_P1_unknown_role_is_refused():
    with pytest.raises(RuleError) as e:
        may_vote("observer")
    assert e.value.code == "unknown_role"


# P2 ---------------------------------------------------------------------------------------------


def test_P2_base_is_convened_less_whole_congress_absences():
    n = compute_base(165, [("convening_member_absent", 1), ("absent_not_replaced", 2)])
    assert n.value == 162
    assert n.convened == 165
    assert n.exclusions == (("convening_member_absent", 1), ("absent_not_replaced", 2))
    assert n.explain().startswith("N = 165 đại biểu chính thức được triệu tập − 1 (")
    assert n.explain().endswith("= 162")


def test_P2_general_congress_exclusions():
    n = compute_base(
        40,
        {
            "temporary_transfer": 2,
            "exempt_absent": 1,
            "suspended": 1,
            "prosecuted_or_detained": 1,
            "absent_excused": 3,
        },
        congress_kind="general",
    )
    assert n.value == 32
    assert "đảng viên chính thức" in n.explain()


def test_P2_part_time_absence_is_not_an_exclusion():
    # A delegate who is late or leaves early stays in N; there is no reason code to take them off.
    with pytest.raises(RuleError) as e:
        compute_base(30, {"left_early": 1})
    assert e.value.code == "unknown_exclusion"


def test_P2_delegate_reasons_do_not_apply_to_general_congress():
    with pytest.raises(RuleError) as e:
        compute_base(30, {"absent_not_replaced": 1}, congress_kind="general")
    assert e.value.code == "unknown_exclusion"


def test_P2_exclusions_cannot_exceed_convened():
    with pytest.raises(RuleError) as e:
        compute_base(2, {"absent_not_replaced": 3})
    assert e.value.code == "exclusions_exceed_convened"
    assert "3" in e.value.message and "2" in e.value.message


# P6 -----------------------------------------------------------------------------------------


def test_P6_delegation_size_is_not_voted():
    assert "vote_seats" not in election_steps(is_delegation=True)
    assert election_steps()[:2] == ("report_standards", "vote_seats")


# P7 ---------------------------------------------------------------------------------------------


def test_P7_floor_nominee_needs_more_than_30_percent_of_present():
    assert floor_nominee_admitted(agree=31, present=100)
    assert not floor_nominee_admitted(agree=30, present=100)  # exactly 30%: 300 > 300 is false
    assert floor_nominee_admitted(agree=9, present=30) is False  # 90 > 90 is false
    assert floor_nominee_admitted(agree=10, present=33)  # 100 > 99


def test_P7_convening_committee_members_stay_with_its_list():
    check_nomination(nominator_in_convening_committee=True, nominee_on_committee_list=True)
    with pytest.raises(RuleError) as e:
        check_nomination(nominator_in_convening_committee=True, nominee_on_committee_list=False)
    assert e.value.code == "convening_member_nominates_outside_list"
    with pytest.raises(RuleError) as e:
        check_nomination(
            nominator_in_convening_committee=False,
            nominee_on_committee_list=False,
            nominee_in_convening_committee=True,
        )
    assert e.value.code == "convening_member_not_on_list"


# P8 ---------------------------------------------------------------------------------------------


def _surplus_code(**kw):
    with pytest.raises(RuleError) as e:
        check_surplus(**kw)
    return e.value.code


def test_P8_list_needs_at_least_one_extra():
    assert _surplus_code(candidates=15, seats=15) == "no_surplus"
    assert _surplus_code(candidates=14, seats=15) == "fewer_candidates_than_seats"
    assert check_surplus(candidates=16, seats=15).surplus == 1


def test_P8_surplus_at_most_30_percent():
    assert check_surplus(candidates=19, seats=15).layout == "strike"  # 40 ≤ 45
    assert _surplus_code(candidates=20, seats=15) == "surplus_over_cap"  # 50 > 45
    assert check_surplus(candidates=13, seats=10).surplus == 3  # exactly 30%
    assert _surplus_code(candidates=14, seats=10) == "surplus_over_cap"


def test_P8_congress_may_set_a_lower_cap_not_a_higher_one():
    assert _surplus_code(candidates=13, seats=10, max_ratio=Fraction(1, 5)) == "surplus_over_cap"
    assert check_surplus(candidates=12, seats=10, max_ratio=Fraction(1, 5)).surplus == 2
    assert _surplus_code(candidates=11, seats=10, max_ratio=Fraction(2, 5)) == "cap_above_30_percent"


def test_P8_bodies_of_3_to_5_seats_at_most_one_extra():
    for seats in (3, 4, 5):
        assert check_surplus(candidates=seats + 1, seats=seats).surplus == 1
        assert _surplus_code(candidates=seats + 2, seats=seats) == "small_body_surplus"


def test_P8_committee_list_outside_10_15_percent_warns_without_blocking():
    inside = check_surplus(candidates=23, seats=20, is_committee_list=True)  # 15%
    assert inside.warnings == ()
    outside = check_surplus(candidates=25, seats=20, is_committee_list=True)  # 25%
    assert [w.code for w in outside.warnings] == ["committee_list_surplus_outside_range"]
    assert "5/20" in outside.warnings[0].message


def test_P8_no_surplus_only_when_allowed_and_then_agree_disagree():
    result = check_surplus(candidates=1, seats=1, allow_no_surplus=True)
    assert result.layout == "agree_disagree"


# P9 ---------------------------------------------------------------------------------------------


def test_P9_counting_committee_member_may_not_be_a_candidate():
    check_counting_committee(["x", "y"], ["a", "b"])
    with pytest.raises(RuleError) as e:
        check_counting_committee(["x", "b"], ["a", "b"])
    assert e.value.code == "counting_member_is_candidate"
    assert e.value.params["names"] == ["b"]


# P10 --------------------------------------------------------------------------------------------


def test_P10_order_by_given_name_then_family_and_middle():
    names = ["Trần Văn Bình", "Nguyễn Thị Bình", "Lê Văn An", "Hoàng Anh"]
    assert ballot_order(names) == ["Lê Văn An", "Hoàng Anh", "Nguyễn Thị Bình", "Trần Văn Bình"]


def test_P10_vietnamese_letter_order():
    # a ă â b c d đ e ê … o ô ơ … u ư: the modified letters are letters of their own.
    names = ["Lê Đức", "Lê Dũng", "Lê Ân", "Lê Ăn", "Lê An", "Lê Ơn", "Lê Ôn", "Lê On", "Lê Ưng", "Lê Uyên"]
    assert ballot_order(names) == [
        "Lê An", "Lê Ăn", "Lê Ân", "Lê Dũng", "Lê Đức", "Lê On", "Lê Ôn", "Lê Ơn", "Lê Uyên", "Lê Ưng",
    ]  # fmt: skip


def test_P10_tones_come_after_letters():
    # ngang, huyền, hỏi, ngã, sắc, nặng; and letters decide before any tone: "Ánh" before "Bá".
    assert ballot_order(["Lê Ạ", "Lê Á", "Lê Ã", "Lê Ả", "Lê À", "Lê A"]) == [
        "Lê A", "Lê À", "Lê Ả", "Lê Ã", "Lê Á", "Lê Ạ",
    ]  # fmt: skip
    assert ballot_order(["Lê Bá", "Lê Ánh", "Lê Anh"]) == ["Lê Anh", "Lê Ánh", "Lê Bá"]


def test_P10_a_decomposed_name_sorts_as_its_composed_form():
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"
    assert name_key(decomposed) == name_key("Nguyễn Văn An")
    assert ballot_order(["Trần Bình", decomposed]) == [decomposed, "Trần Bình"]


def test_P10_ballot_order_sorts_records_by_their_name_keeping_equal_names_in_order():
    people = [(3, "Trần Bình"), (1, "Lê An"), (2, "Trần Bình"), (4, "Hoàng An")]
    assert ballot_order(people, name=lambda p: p[1]) == [
        (4, "Hoàng An"),
        (1, "Lê An"),
        (3, "Trần Bình"),
        (2, "Trần Bình"),
    ]


# P11, P12 ---------------------------------------------------------------------------------------

CANDS3 = candidates("An", "Bình", "Cường")


def test_P11_keeping_fewer_names_than_seats_is_valid():
    count = count_ballots(Election(CANDS3, 2, base=10), [Ballot("1", (1, 0, 0)), Ballot("2", (1, 1, 0))])
    assert count.valid == 2 and count.votes == (2, 1, 0)


def test_P11_no_surplus_both_or_neither_gives_no_vote_but_ballot_stays_valid():
    election = Election(CANDS3, 3, base=10)
    assert election.layout == "agree_disagree"
    count = count_ballots(
        election, [Ballot("1", (1, None, 0)), Ballot("2", (0, 0, 0)), Ballot("3", (None,) * 3)]
    )
    assert count.valid == 3
    assert count.invalid_by_reason == {}
    assert count.votes == (1, 0, 0)


def test_P12_too_many_kept_and_all_struck():
    count = count_ballots(
        Election(CANDS3, 1, base=10),
        [Ballot("1", (1, 1, 0)), Ballot("2", (0, 0, 0)), Ballot("3", (0, 1, 0))],
    )
    assert count.invalid_by_reason == {"too_many_kept": 1, "all_struck": 1}
    assert count.valid == 1 and count.invalid == 2


def test_P12_recorded_reasons_one_per_ballot_counted_per_reason():
    ballots = [
        Ballot("1", (1, 0, 0), "not_issued"),
        Ballot("2", (1, 0, 0), "added_name"),
        Ballot("3", (1, 0, 0), "signed_or_marked"),
        Ballot("4", (1, 1, 1), "torn"),  # recorded reason wins over the marks: one reason only
        Ballot("5", (1, 0, 0), "added_name"),
    ]
    count = count_ballots(Election(CANDS3, 2, base=10), ballots)
    assert count.invalid_by_reason == {"added_name": 2, "not_issued": 1, "signed_or_marked": 1, "torn": 1}
    assert count.votes == (0, 0, 0)


def test_P12_single_person_list_both_or_none_is_invalid():
    election = Election(candidates("An"), 1, base=5)
    count = count_ballots(election, [Ballot("1", (None,)), Ballot("2", (1,)), Ballot("3", (0,))])
    assert count.invalid_by_reason == {"single_both_or_none": 1}
    assert count.valid == 2 and count.votes == (1,)


def test_P12_unknown_reason_is_refused():
    with pytest.raises(RuleError) as e:
        count_ballots(Election(CANDS3, 2, base=10), [Ballot("1", (1, 0, 0), "coffee_stain")])
    assert e.value.code == "unknown_invalid_reason"
    assert e.value.params["ballot"] == "1"


def test_P12_bad_marks_and_duplicates_are_refused():
    election = Election(CANDS3, 2, base=10)
    for ballots, code in (
        ([Ballot("1", (1, 2, 0))], "bad_mark"),
        ([Ballot("1", (1, None, 0))], "bad_mark"),
        ([Ballot("1", (1, 0))], "wrong_mark_count"),
        ([Ballot("1", (1, 0, 0)), Ballot("1", (0, 1, 0))], "duplicate_ballot"),
        ([Ballot("1", (1, 0, 0), None, 3)], "bad_weight"),
    ):
        with pytest.raises(RuleError) as e:
            count_ballots(election, ballots)
        assert e.value.code == code


# P13 --------------------------------------------------------------------------------------------


def test_P13_worked_example_five_seats():
    cands, ballots = worked_example(5)
    result = tally(Election(cands, 5, base=30), ballots)
    assert [c.votes for c in result.candidates] == [24, 22, 20, 16, 16, 15, 9]
    assert [c.percent for c in result.candidates] == [
        "80.00",
        "73.33",
        "66.67",
        "53.33",
        "53.33",
        "50.00",
        "30.00",
    ]
    assert [c.passed_threshold for c in result.candidates] == [True] * 5 + [False, False]
    assert result.elected == ("c01", "c02", "c03", "c04", "c05")
    assert result.next_round is None
    assert result.ballots.invalid_by_reason == {"too_many_kept": 1, "all_struck": 1, "not_issued": 1}


def test_P13_worked_example_four_seats_tie_at_cut_off():
    # The table's own figures, decided for 4 seats: D and E tie for the last seat.
    result = _count(candidates(*"ABCDEFG"), 4, [24, 22, 20, 16, 16, 15, 9], valid=25, base=30)
    assert result.elected == ("c01", "c02", "c03")
    assert result.next_round is not None
    assert result.next_round.to_dict() == {"reason": "tie", "seats": 1, "candidates": ["c04", "c05"]}
    assert [c.result for c in result.candidates][3:5] == ["tied", "tied"]
    assert result.unfilled_seats == 1


def test_P13_exactly_half_does_not_pass():
    result = _count(candidates("A", "B"), 1, [15, 15], valid=30, base=30)
    assert result.elected == () and not any(c.passed_threshold for c in result.candidates)
    assert result.next_round is not None and result.next_round.reason == "not_enough_passed"


def test_P13_more_pass_than_seats_highest_win():
    result = _count(candidates(*"ABCD"), 2, [20, 25, 18, 30], valid=30, base=30)
    assert result.elected == ("c04", "c02")
    assert [c.result for c in result.candidates] == ["not_elected", "elected", "not_elected", "elected"]


def test_P13_tie_round_highest_wins_without_majority_by_default():
    tied = candidates("D", "E")
    result = _count(tied, 1, [12, 10], valid=25, base=30, is_tie_round=True)
    assert result.elected == ("c01",)  # 12 is not more than half of 30, and need not be


def test_P13_tie_round_majority_is_settable():
    tied = candidates("D", "E")
    result = _count(tied, 1, [12, 10], valid=25, base=30, is_tie_round=True, tie_round_needs_majority=True)
    assert result.elected == ()
    assert result.next_round is not None and result.next_round.reason == "not_enough_passed"


def test_P13_tie_round_can_tie_again():
    result = _count(candidates("D", "E"), 1, [12, 12], valid=25, base=30, is_tie_round=True)
    assert result.next_round is not None and result.next_round.reason == "tie"


def test_P13_ties_above_the_cut_off_are_all_elected():
    result = _count(candidates(*"ABCD"), 3, [20, 20, 19, 5], valid=25, base=30)
    assert result.elected == ("c01", "c02", "c03") and result.next_round is None
    assert [c.rank for c in result.candidates] == [1, 1, 3, 4]


# P14 --------------------------------------------------------------------------------------------


def test_P14_seats_left_open_when_too_few_pass():
    result = _count(candidates(*"ABCDE"), 3, [20, 16, 15, 3, 0], valid=25, base=30)
    assert result.elected == ("c01", "c02")
    assert result.unfilled_seats == 1
    assert result.next_round is not None
    assert result.next_round.to_dict() == {
        "reason": "not_enough_passed",
        "seats": 1,
        "candidates": ["c03", "c04", "c05"],
    }


# P15 --------------------------------------------------------------------------------------------


def test_P15_one_ballot_officials_then_alternates_ranked():
    result = _count(candidates(*"ABCDEF"), 3, [25, 24, 23, 22, 20, 4], valid=28, base=30, alternates=2)
    assert result.elected == ("c01", "c02", "c03")
    assert result.elected_alternates == ("c04", "c05")
    assert result.unfilled_seats == 0 and result.next_round is None
    assert [c.result for c in result.candidates][3:] == [
        "elected_alternate",
        "elected_alternate",
        "not_elected",
    ]


def test_P15_one_ballot_voter_keeps_at_most_seats_plus_alternates():
    election = Election(candidates(*"ABCDEF"), 3, alternates=2, base=30)
    count = count_ballots(election, [Ballot("1", (1, 1, 1, 1, 1, 0)), Ballot("2", (1, 1, 1, 1, 1, 1))])
    assert count.valid == 1 and count.invalid_by_reason == {"too_many_kept": 1}


def test_P15_alternates_tie_at_cut_off_opens_next_round():
    result = _count(candidates(*"ABCDEF"), 2, [25, 24, 20, 18, 18, 4], valid=28, base=30, alternates=2)
    assert result.elected == ("c01", "c02")
    assert result.elected_alternates == ("c03",)
    assert result.next_round is not None
    assert result.next_round.tier == "alternate"
    assert result.next_round.to_dict() == {"reason": "tie", "seats": 1, "candidates": ["c04", "c05"]}


def test_P15_official_tie_straddling_into_alternates():
    # B, C, D tie for 2 official seats; the loser of the tie round becomes the first alternate, E the next.
    result = _count(candidates(*"ABCDEF"), 3, [25, 20, 20, 20, 18, 4], valid=28, base=30, alternates=2)
    assert result.elected == ("c01",)
    assert result.elected_alternates == ("c05",)
    nr = result.next_round
    assert nr is not None and (nr.reason, nr.tier, nr.seats, nr.alternates) == ("tie", "official", 2, 1)


def test_P15_separate_mode_is_two_elections_alternates_ranked_by_votes():
    officials = _count(candidates(*"ABCD"), 3, [25, 24, 23, 2], valid=28, base=30)
    alternates = _count(candidates("E", "F", "G"), 2, [16, 21, 3], valid=28, base=30)
    assert officials.elected == ("c01", "c02", "c03")
    assert alternates.elected == ("c02", "c01")  # F then E: the order of replacement


# P16 --------------------------------------------------------------------------------------------


def test_P16_percent_of_N_two_decimals_half_up():
    assert percent(2, 3) == "66.67"
    assert percent(1, 8) == "12.50"
    assert percent(1, 400) == "0.25"
    assert percent(1, 800) == "0.13"  # 0.125 rounds half up, not to even
    assert percent(3, 800) == "0.38"  # 0.375
    assert percent(150, 165) == "90.91"


def test_P16_minutes_show_the_figures_in_order():
    cands, ballots = worked_example(5)
    result = tally(Election(cands, 5, base=30), ballots)
    ctx = MinutesContext(
        organization="Đảng bộ phường X",
        congress="Đại hội lần thứ XV, nhiệm kỳ 2025–2030",
        election="Bầu Ban Chấp hành",
        held_at="10:30 ngày 12/06/2025",
        base_explanation=compute_base(30).explain(),
        convened=30,
        present=28,
        counting_committee=("Phạm Văn Trưởng", "Lê Thị Hai"),
    )
    text = render_minutes(result, ctx)
    for expected in (
        "BIÊN BẢN KIỂM PHIẾU",
        "Đảng bộ phường X",
        "Số lượng cần bầu: 5",
        "Cơ sở tính (N): 30",
        "Có mặt khi bỏ phiếu: 28",
        "Vắng mặt: 2",
        "Số phiếu hợp lệ:       25",
        "(too_many_kept): 1",
        "Trưởng ban: Phạm Văn Trưởng",
        "Thành viên: Lê Thị Hai",
    ):
        assert expected in text
    # candidates in ballot order, the elected by votes
    assert text.index("| A ") < text.index("| G ")
    assert "1. A (c01): 24 phiếu, 80.00%" in text


# P17 --------------------------------------------------------------------------------------------


def _reconcile_code(**overrides):
    figures = dict(
        issued=28, received=28, valid=25, invalid=3, votes=[24, 22], candidate_cap=25, total_cap=125
    )
    figures.update(overrides)
    with pytest.raises(ReconciliationError) as e:
        reconcile(**figures)
    return e.value


def test_P17_received_issued_present():
    e = _reconcile_code(received=29, valid=26)
    assert e.code == "received_exceeds_issued" and "29" in e.message and "28" in e.message
    e = _reconcile_code(present=27)
    assert e.code == "issued_exceeds_present" and "27" in e.message_en


def test_P17_valid_plus_invalid_equals_received():
    e = _reconcile_code(invalid=2)
    assert e.code == "valid_invalid_mismatch"
    assert "25" in e.message and "2" in e.message and "28" in e.message


def test_P17_candidate_and_total_caps():
    assert _reconcile_code(votes=[26, 1]).code == "candidate_votes_exceed_valid"
    assert _reconcile_code(votes=[25, 25], total_cap=49).code == "votes_exceed_total"


def test_P17_tally_refuses_more_received_than_issued():
    cands, ballots = worked_example(5)
    with pytest.raises(ReconciliationError) as e:
        tally(Election(cands, 5, base=30), ballots, issued=27)
    assert e.value.code == "received_exceeds_issued"
    with pytest.raises(ReconciliationError) as e:
        tally(Election(cands, 5, base=30), ballots, present=27)
    assert e.value.code == "issued_exceeds_present"


# P18 --------------------------------------------------------------------------------------------


def test_P18_two_entries_must_agree_ballot_by_ballot():
    a = {"1": (1, 0, 1), "2": (0, 1, 1), "10": (1, 1, 0)}
    b = {"1": (1, 0, 1), "2": (0, 1, 0), "10": (1, 1, 0)}
    comparison = compare_entries([a, b])
    assert not comparison.agree
    assert comparison.mismatched_ballots == ("2",)
    with pytest.raises(RuleError) as e:
        comparison.require_agreement()
    assert e.value.code == "entries_disagree" and "2" in e.value.message
    compare_entries([a, dict(a)]).require_agreement()


def test_P18_three_entries_and_missing_ballots_listed_in_number_order():
    a = {"1": "x", "2": "y", "10": "z", "3": "w"}
    b = {"1": "x", "2": "y", "10": "q", "3": "w"}
    c = {"1": "x", "10": "z", "3": "w"}
    comparison = compare_entries([a, b, c])
    assert comparison.mismatched_ballots == ("2", "10")
    assert comparison.mismatches[0].values == ("y", "y", None)


def test_P18_needs_two_entries():
    with pytest.raises(RuleError) as e:
        compare_entries([{"1": 1}])
    assert e.value.code == "too_few_entries"


# P20 --------------------------------------------------------------------------------------------


def test_P20_party_electronic_casting_off_by_default_settable_on():
    assert not get_ruleset("party").electronic_casting_allowed
    assert not electronic_casting_allowed("party")
    assert electronic_casting_allowed("party", congress_setting=True)
    with pytest.raises(RuleError) as e:
        check_electronic_casting("party")
    assert e.value.code == "electronic_casting_not_allowed"
    check_electronic_casting("party", congress_setting=True)


def test_P20_no_proxies_for_party():
    with pytest.raises(RuleError) as e:
        proxy_weights("party", [("a", 1, "b")])
    assert e.value.code == "proxies_not_allowed"
    assert proxy_weights("party", [("a", 1, None)]) == {"a": 1}


def test_P20_every_error_has_both_languages():
    e = RuleError("base_required", ruleset="party")
    assert e.code == "base_required" and e.params == {"ruleset": "party"}
    assert str(e) == e.message and "N" in e.message and "needs the base" in e.message_en


def test_valid_rows_helper_builds_what_it_says():
    rows = valid_rows([3, 2, 1], 3, 2)
    assert as_ballots(rows)[0].id == "1"
