"""Rules T1–T6 (shared/rules/targets.md) and the term's pace: one test per rule, plus properties."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.rules.targets import (
    Direction,
    Kind,
    Mean,
    Outcome,
    Pace,
    Target,
    TargetError,
    Term,
    compound_rate_percent,
    exact_decimal,
    judge,
    normalise,
    pace,
    parse_decimal,
    planned,
    review,
    round_half_up,
)

TERM = Term(2020, 2025)


def T(kind: str, direction: str, target: str, mean: str = "compound", tid: str = "t") -> Target:
    return Target(tid, Kind(kind), Direction(direction), Decimal(target), mean=Mean(mean))


def V(**years: str) -> dict[int, Decimal]:
    return {int(y[1:]): Decimal(v) for y, v in years.items()}


def series(*values: str, base: int = 2020) -> dict[int, Decimal]:
    return {base + i: Decimal(v) for i, v in enumerate(values)}


# T1 -------------------------------------------------------------------------------------------


def test_T1_term_has_n_years_after_the_base_year():
    assert TERM.n == 5
    assert list(TERM.years) == [2021, 2022, 2023, 2024, 2025]


def test_T1_term_end_must_follow_base():
    with pytest.raises(TargetError) as e:
        Term(2025, 2025)
    assert e.value.code == "target_bad_term"


# T2 level_end -------------------------------------------------------------------------------


def test_T2_level_end_uses_the_value_of_the_end_year():
    j = judge(TERM, T("level_end", "below", "0.5"), series("2.1", "1.8", "1.2", "0.9", "0.6", "0.40"))
    assert (j.outcome, j.achieved, j.ratio) == (Outcome.EXCEEDED, "0.4", None)


def test_T2_level_end_ignores_earlier_years():
    j = judge(TERM, T("level_end", "at_least", "90"), V(y2025="90.00"))
    assert (j.outcome, j.achieved, j.ratio) == (Outcome.MET, "90", "100.00")


# T2 growth_avg compound / arithmetic -----------------------------------------------------------


def test_T2_growth_compound_example_of_the_contract_is_met_at_exactly_ten_percent():
    values = series("100", "110", "121", "133.1", "146.41", "161.051")
    j = judge(TERM, T("growth_avg", "at_least", "10"), values)
    assert (j.outcome, j.achieved, j.ratio) == (Outcome.MET, "10.00", None)


def test_T2_growth_compound_uses_only_the_base_and_end_years():
    j = judge(TERM, T("growth_avg", "at_least", "10"), V(y2020="100", y2025="161.051"))
    assert j.outcome is Outcome.MET


def test_T2_growth_compound_just_below_the_rate_is_missed_although_it_rounds_to_the_target():
    # 161.05 / 100 is a hair under 1.1^5: r rounds to 10.00 but is below 10.
    j = judge(TERM, T("growth_avg", "at_least", "10"), V(y2020="100", y2025="161.05"))
    assert (j.outcome, j.achieved) == (Outcome.MISSED, "10.00")


def test_T2_growth_compound_just_above_is_exceeded():
    j = judge(TERM, T("growth_avg", "at_least", "10"), V(y2020="100", y2025="161.0511"))
    assert j.outcome is Outcome.EXCEEDED


def test_T2_growth_arithmetic_is_the_mean_of_the_yearly_growths():
    # growths 20%, 0%, 10%, 10%, 10% → mean 10%, while compound would be below 10%
    values = series("100", "120", "120", "132", "145.2", "159.72")
    arithmetic = judge(TERM, T("growth_avg", "at_least", "10", mean="arithmetic"), values)
    compound = judge(TERM, T("growth_avg", "at_least", "10"), values)
    assert (arithmetic.outcome, arithmetic.achieved) == (Outcome.MET, "10.00")
    assert compound.outcome is Outcome.MISSED
    assert compound.achieved == "9.82"  # (1.5972)^(1/5) − 1 = 9.8176…%


def test_T2_growth_needs_values_above_zero():
    with pytest.raises(TargetError) as e:
        judge(TERM, T("growth_avg", "at_least", "10"), V(y2020="0", y2025="5"))
    assert e.value.code == "target_value_not_positive"
    assert e.value.params["year"] == 2020


def test_T2_growth_a_fall_is_shown_negative():
    j = judge(TERM, T("growth_avg", "at_most", "-5"), V(y2020="100", y2025="50"))
    # (0.5)^(1/5) − 1 = −12.944…%
    assert (j.outcome, j.achieved) == (Outcome.EXCEEDED, "-12.94")


# T2 total ----------------------------------------------------------------------------------


def test_T2_total_sums_the_years_after_the_base():
    values = series("999", "15", "16", "17", "18", "14")
    j = judge(TERM, T("total", "at_least", "80"), values)
    assert (j.outcome, j.achieved, j.ratio) == (Outcome.MET, "80", "100.00")


def test_T2_total_exact_decimal_sum_normalised():
    values = series("0", "0.10", "0.20", "0.30", "0.40", "0.50")
    j = judge(TERM, T("total", "at_least", "1"), values)
    assert (j.outcome, j.achieved, j.ratio) == (Outcome.EXCEEDED, "1.5", "150.00")


# T2/T4 yearly_level --------------------------------------------------------------------------


def test_T4_yearly_level_every_year_exceeded_is_exceeded():
    j = judge(TERM, T("yearly_level", "at_least", "95"), series("1", "96", "97", "98", "99", "100"))
    assert (j.outcome, j.achieved, j.ratio) == (Outcome.EXCEEDED, "5/5", None)


def test_T4_yearly_level_some_years_met_is_met():
    j = judge(TERM, T("yearly_level", "at_least", "100"), series("1", "100", "100", "100", "100", "100"))
    assert (j.outcome, j.achieved) == (Outcome.MET, "5/5")


def test_T4_yearly_level_one_year_missed_is_missed():
    j = judge(TERM, T("yearly_level", "at_least", "100"), series("1", "100", "99.9", "100", "100", "100"))
    assert (j.outcome, j.achieved) == (Outcome.MISSED, "4/5")


# T3/T4 directions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "achieved", "outcome"),
    [
        ("at_least", "91", Outcome.EXCEEDED),
        ("at_least", "90", Outcome.MET),
        ("at_least", "89.99", Outcome.MISSED),
        ("above", "90.01", Outcome.EXCEEDED),
        ("above", "90", Outcome.MISSED),
        ("above", "89", Outcome.MISSED),
        ("at_most", "89", Outcome.EXCEEDED),
        ("at_most", "90", Outcome.MET),
        ("at_most", "90.5", Outcome.MISSED),
        ("below", "89.99", Outcome.EXCEEDED),
        ("below", "90", Outcome.MISSED),
        ("below", "91", Outcome.MISSED),
    ],
)
def test_T3_T4_each_direction(direction, achieved, outcome):
    assert judge(TERM, T("level_end", direction, "90"), V(y2025=achieved)).outcome is outcome


# T5 missing ---------------------------------------------------------------------------------


def test_T5_level_end_missing_end_year():
    j = judge(TERM, T("level_end", "at_least", "90"), series("80", "85", "88", "89", "90"))
    assert (j.outcome, j.achieved, j.ratio, j.missing_years) == (Outcome.MISSING, None, None, (2025,))


def test_T5_total_missing_year_is_missing_not_zero():
    values = V(y2021="15", y2022="16", y2024="18", y2025="40")
    j = judge(TERM, T("total", "at_most", "100"), values)
    # read as zero the sum would be 89 ≤ 100 and "exceeded": it must be missing instead
    assert (j.outcome, j.missing_years) == (Outcome.MISSING, (2023,))


def test_T5_growth_compound_needs_base_and_end_only():
    j = judge(TERM, T("growth_avg", "at_least", "5"), V(y2021="1", y2025="2"))
    assert (j.outcome, j.missing_years) == (Outcome.MISSING, (2020,))


def test_T5_growth_arithmetic_needs_every_year_sorted():
    j = judge(TERM, T("growth_avg", "at_least", "5", mean="arithmetic"), V(y2025="2", y2020="1", y2022="1"))
    assert j.missing_years == (2021, 2023, 2024)


def test_T5_yearly_level_missing_years():
    j = judge(TERM, T("yearly_level", "at_least", "100"), V(y2021="100", y2022="100"))
    assert j.missing_years == (2023, 2024, 2025)


# T6 figures -----------------------------------------------------------------------------------


def test_T6_ratio_rounds_half_up_once():
    # 2/3 of the target → 66.666… → 66.67; 0.125% → 0.13 (half up, not to even)
    assert judge(TERM, T("level_end", "at_least", "3"), V(y2025="2")).ratio == "66.67"
    assert judge(TERM, T("level_end", "at_least", "800"), V(y2025="1")).ratio == "0.13"


def test_T6_ratio_is_null_for_lower_is_better_and_zero_target_and_growth():
    assert judge(TERM, T("level_end", "at_most", "3"), V(y2025="2")).ratio is None
    assert judge(TERM, T("level_end", "at_least", "0"), V(y2025="2")).ratio is None
    assert judge(TERM, T("growth_avg", "at_least", "1"), V(y2020="1", y2025="2")).ratio is None


def test_T6_total_of_long_decimals_is_exact_past_28_digits():
    values = {2021: Decimal("1" * 30 + ".000000001"), 2022: Decimal("0.000000001")}
    j = judge(Term(2020, 2022), T("total", "at_least", "1"), values)
    assert j.achieved == "1" * 30 + ".000000002"


def test_T6_achieved_is_normalised():
    assert normalise(Decimal("1.500")) == "1.5"
    assert normalise(Decimal("100")) == "100"
    assert normalise(Decimal("+5.0")) == "5"
    assert normalise(Decimal("-0.0")) == "0"
    assert normalise(Decimal("1E+2")) == "100"


def test_T6_round_half_up_goes_away_from_zero():
    assert str(round_half_up(Fraction(1, 8))) == "0.13"
    assert str(round_half_up(Fraction(-1, 8))) == "-0.13"
    assert str(round_half_up(Fraction(1, 3))) == "0.33"


def test_T6_compound_rate_at_a_half_is_rounded_up_exactly():
    # ratio = 1.00125^1: exactly 0.125% → 0.13
    assert compound_rate_percent(Fraction("1.00125"), 1) == Decimal("0.13")
    assert compound_rate_percent(Fraction("0.99875"), 1) == Decimal("-0.13")
    assert compound_rate_percent(Fraction(1), 3) == Decimal("0.00")


def test_numbers_must_be_decimal_strings():
    for bad in ("1,5", "1e3", "", " 1", "NaN", "Infinity", 1, 1.5, None, ".5"):
        with pytest.raises(TargetError) as e:
            parse_decimal(bad, target="t1")
        assert e.value.code == "target_bad_number"
    assert parse_decimal("+5") == Decimal(5)


def test_year_outside_the_term_is_refused():
    with pytest.raises(TargetError) as e:
        judge(TERM, T("level_end", "at_least", "1"), V(y2019="1", y2025="1"))
    assert (e.value.code, e.value.params["year"]) == ("target_year_outside_term", 2019)


def test_review_counts_outcomes_and_refuses_duplicate_ids():
    t1 = T("level_end", "at_least", "1", tid="a")
    t2 = T("level_end", "at_least", "5", tid="b")
    r = review(TERM, [(t1, V(y2025="2")), (t2, V(y2025="2"))])
    assert dict(r.summary) == {"exceeded": 1, "met": 0, "missed": 1, "missing": 0}
    assert r.met_or_exceeded == 1
    with pytest.raises(TargetError) as e:
        review(TERM, [(t1, {}), (t1, {})])
    assert e.value.code == "target_duplicate_id"


def test_error_messages_are_vietnamese_first_with_english():
    with pytest.raises(TargetError) as e:
        parse_decimal("1,5", target="t3", field_name="target")
    assert e.value.message.startswith("Chỉ tiêu t3")
    assert e.value.message_en.startswith("Target t3")


# Pace during the term ------------------------------------------------------------------------


def test_pace_level_end_on_track_at_or_ahead_of_the_straight_line():
    target = T("level_end", "below", "0.5")
    # straight line 3.0 → 0.5 over 5 years: 2.5 in 2021, 2.0 in 2022
    assert pace(TERM, target, series("3.0", "2.5"), 2021).pace is Pace.ON_TRACK
    assert pace(TERM, target, series("3.0", "2.6"), 2021).pace is Pace.AT_RISK
    assert pace(TERM, target, series("3.0", "2.5", "1.9"), 2022).pace is Pace.ON_TRACK


def test_pace_growth_compound_follows_the_compound_path():
    target = T("growth_avg", "at_least", "10")
    assert pace(TERM, target, series("100", "110", "121"), 2022).pace is Pace.ON_TRACK
    assert pace(TERM, target, series("100", "110", "120.99"), 2022).pace is Pace.AT_RISK


def test_pace_total_needs_the_share_of_the_years_gone():
    target = T("total", "at_least", "80")
    assert pace(TERM, target, series("0", "16", "16"), 2022).pace is Pace.ON_TRACK
    assert pace(TERM, target, series("0", "16", "15"), 2022).pace is Pace.AT_RISK
    assert pace(TERM, target, series("0", "80"), 2021).pace is Pace.ON_TRACK


def test_pace_total_at_most_already_over_is_missed():
    target = T("total", "at_most", "10")
    assert pace(TERM, target, series("0", "11"), 2021).pace is Pace.MISSED


def test_pace_yearly_level_missed_as_soon_as_a_year_is_missed():
    target = T("yearly_level", "at_least", "100")
    assert pace(TERM, target, series("0", "100"), 2021).pace is Pace.ON_TRACK
    assert pace(TERM, target, series("0", "100", "98"), 2022).pace is Pace.MISSED


def test_pace_no_data_and_missing_years():
    target = T("total", "at_least", "80")
    assert pace(TERM, target, series("0"), 2022).pace is Pace.NO_DATA
    report = pace(TERM, target, V(y2021="10", y2023="10"), 2023)
    assert (report.pace, report.missing_years) == (Pace.MISSING, (2022,))


def test_pace_at_the_end_is_the_outcome():
    target = T("level_end", "at_least", "90")
    assert pace(TERM, target, V(y2020="80", y2025="89"), 2025).pace is Pace.MISSED
    assert pace(TERM, target, V(y2020="80", y2025="90"), 2025).pace is Pace.ON_TRACK


def test_planned_path_ends_at_the_target():
    assert planned(TERM, T("level_end", "at_least", "90"), Decimal(80), 2025) == 90
    assert planned(TERM, T("total", "at_least", "80"), None, 2025) == 80
    assert planned(TERM, T("growth_avg", "at_least", "10"), Decimal(100), 2025) == Fraction("161.051")


# Properties -----------------------------------------------------------------------------------

rates = st.integers(min_value=-50, max_value=60)
ns = st.integers(min_value=1, max_value=6)
bases = st.integers(min_value=1, max_value=10**6)


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(rate=rates, n=ns, base=bases, hundredths=st.integers(min_value=0, max_value=99))
def test_property_growing_exactly_at_the_target_rate_is_met(rate, n, base, hundredths):
    t = Fraction(rate) + Fraction(hundredths, 100)
    term = Term(2000, 2000 + n)
    end = Fraction(base) * (1 + t / 100) ** n
    target = Target("g", Kind.GROWTH_AVG, Direction.AT_LEAST, Decimal(t.numerator) / Decimal(t.denominator))
    values = {2000: Decimal(base), 2000 + n: exact_decimal(end)}
    j = judge(term, target, values)
    assert j.outcome is Outcome.MET
    assert Decimal(j.achieved) == round_half_up(t)


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(
    ratio_num=st.integers(min_value=1, max_value=10**6),
    ratio_den=st.integers(min_value=1, max_value=10**6),
    n=ns,
)
def test_property_compound_rate_is_the_correctly_rounded_root(ratio_num, ratio_den, n):
    ratio = Fraction(ratio_num, ratio_den)
    shown = Fraction(compound_rate_percent(ratio, n))
    # shown − 0.005 ≤ r ≤ shown + 0.005 with r = 100(ratio^(1/n) − 1), by exact n-th powers
    low, high = 1 + (shown - Fraction(1, 200)) / 100, 1 + (shown + Fraction(1, 200)) / 100
    assert low <= 0 or low**n <= ratio
    assert ratio <= high**n


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(
    a=st.integers(min_value=-1000, max_value=1000),
    b=st.integers(min_value=-1000, max_value=1000),
    goal=st.integers(min_value=-1000, max_value=1000),
    direction=st.sampled_from(list(Direction)),
)
def test_property_a_better_value_never_has_a_worse_outcome(a, b, goal, direction):
    rank = {Outcome.MISSED: 0, Outcome.MET: 1, Outcome.EXCEEDED: 2}
    lo, hi = sorted((a, b))
    better, worse = (hi, lo) if direction.higher_is_better else (lo, hi)
    target = T("level_end", direction.value, str(goal))
    assert (
        rank[judge(TERM, target, V(y2025=str(better))).outcome]
        >= rank[judge(TERM, target, V(y2025=str(worse))).outcome]
    )


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(
    values=st.lists(st.integers(min_value=0, max_value=100), min_size=5, max_size=5),
    bump=st.integers(min_value=0, max_value=4),
    goal=st.integers(min_value=0, max_value=400),
)
def test_property_total_monotone_in_each_year(values, bump, goal):
    target = T("total", "at_least", str(goal))
    before = {2021 + i: Decimal(v) for i, v in enumerate(values)}
    after = dict(before)
    after[2021 + bump] += 1
    rank = {Outcome.MISSED: 0, Outcome.MET: 1, Outcome.EXCEEDED: 2}
    assert rank[judge(TERM, target, after).outcome] >= rank[judge(TERM, target, before).outcome]


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(
    values=st.dictionaries(
        st.integers(min_value=2020, max_value=2025), st.integers(min_value=1, max_value=99)
    ),
    kind=st.sampled_from(list(Kind)),
    mean=st.sampled_from(list(Mean)),
)
def test_property_missing_exactly_when_a_needed_year_is_absent(values, kind, mean):
    target = Target("x", kind, Direction.AT_LEAST, Decimal(5), mean=mean)
    j = judge(TERM, target, {y: Decimal(v) for y, v in values.items()})
    assert (j.outcome is Outcome.MISSING) == bool(j.missing_years)
    assert all(y not in values for y in j.missing_years)
    assert list(j.missing_years) == sorted(j.missing_years)
    if j.outcome is Outcome.MISSING:
        assert j.achieved is None and j.ratio is None


def test_core_imports_without_django_in_a_fresh_interpreter():
    probe = (
        "import sys; import daihoi.rules.targets, daihoi.targets_cli; "
        "sys.exit(1 if any(m.split('.')[0] == 'django' for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(
    kind=st.sampled_from([Kind.LEVEL_END, Kind.GROWTH_AVG, Kind.TOTAL]),
    direction=st.sampled_from(list(Direction)),
    base=st.integers(min_value=1, max_value=1000),
    goal=st.integers(min_value=1, max_value=1000),
    year=st.integers(min_value=2021, max_value=2024),
)
def test_property_a_value_exactly_on_the_planned_path_is_on_track(kind, direction, base, goal, year):
    target = Target("p", kind, direction, Decimal(goal))
    if kind is Kind.GROWTH_AVG:
        target = Target("p", kind, direction, Decimal(goal % 40))
    if kind is Kind.TOTAL:
        # an equal share each year lands exactly on the path
        share = Fraction(goal, TERM.n)
        values = (
            {y: exact_decimal(share) for y in range(2021, year + 1)} if share.denominator in (1, 5) else None
        )
        if values is None:
            return
    else:
        path = planned(TERM, target, Decimal(base), year)
        assert path is not None
        try:
            on_path = exact_decimal(path)
        except ValueError:
            return
        values = {2020: Decimal(base), year: on_path}
    assert pace(TERM, target, values, year).pace is Pace.ON_TRACK


@settings(deadline=None)  # exact powers take what they take on a busy machine: no timing in tests
@given(
    base=st.integers(min_value=1, max_value=1000),
    goal=st.integers(min_value=1, max_value=1000),
    a=st.integers(min_value=0, max_value=2000),
    b=st.integers(min_value=0, max_value=2000),
    up=st.booleans(),
)
def test_property_a_better_value_never_has_a_worse_pace(base, goal, a, b, up):
    target = T("level_end", "at_least" if up else "at_most", str(goal))
    lo, hi = sorted((a, b))
    better, worse = (hi, lo) if up else (lo, hi)
    rank = {Pace.AT_RISK: 0, Pace.ON_TRACK: 1}
    got_better = pace(TERM, target, {2020: Decimal(base), 2022: Decimal(better)}, 2022).pace
    got_worse = pace(TERM, target, {2020: Decimal(base), 2022: Decimal(worse)}, 2022).pace
    assert rank[got_better] >= rank[got_worse]
