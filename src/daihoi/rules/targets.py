"""Targets of a resolution, judged by rules T1–T6 of shared/rules/targets.md, plus the term's pace.

Pure Python, exact arithmetic (Decimal from the given strings, Fraction in between, never a float).
An average compound growth is never computed as an irrational root: r ≥ t is decided as
V_E / V_B ≥ (1 + t/100)^n, and the printed rate is found by the same exact comparison.
Figures are rounded once, at the edge, half away from zero ("half up") to 2 decimals.

The pace during the term ("on track" / "at risk", not in T1–T6) is defined in `pace` below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from daihoi.rules.errors import RuleError


class Kind(StrEnum):
    """T2: the kinds of measure."""

    LEVEL_END = "level_end"
    GROWTH_AVG = "growth_avg"
    TOTAL = "total"
    YEARLY_LEVEL = "yearly_level"


class Direction(StrEnum):
    """T3: which side of the target value is good, and whether equality counts."""

    AT_LEAST = "at_least"
    ABOVE = "above"
    AT_MOST = "at_most"
    BELOW = "below"

    @property
    def higher_is_better(self) -> bool:
        return self in (Direction.AT_LEAST, Direction.ABOVE)

    @property
    def allows_equal(self) -> bool:
        return self in (Direction.AT_LEAST, Direction.AT_MOST)


class Mean(StrEnum):
    """T2: how an average growth is averaged (a setting of the resolution, named in the report)."""

    COMPOUND = "compound"
    ARITHMETIC = "arithmetic"


class Outcome(StrEnum):
    """T4/T5: the judgement of one target."""

    EXCEEDED = "exceeded"
    MET = "met"
    MISSED = "missed"
    MISSING = "missing"


class Pace(StrEnum):
    """The status of a target during its term (see `pace`)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    MISSING = "missing"
    NO_DATA = "no_data"


# code -> (Vietnamese, English); kept here so that the targets' codes live with their rule.
TARGET_MESSAGES: Mapping[str, tuple[str, str]] = {
    "target_bad_term": (
        "Nhiệm kỳ {base}–{end} không hợp lệ: năm cuối phải sau năm đầu",
        "The term {base}–{end} is not valid: the end must come after the base year",
    ),
    "target_bad_number": (
        "Chỉ tiêu {target}: {field} “{value}” không phải số thập phân (dùng dấu chấm, ví dụ 12.5)",
        'Target {target}: {field} "{value}" is not a decimal string (use a dot, e.g. 12.5)',
    ),
    "target_bad_year": (
        "Chỉ tiêu {target}: năm “{year}” không phải một năm",
        'Target {target}: year "{year}" is not a year',
    ),
    "target_year_outside_term": (
        "Chỉ tiêu {target}: năm {year} nằm ngoài nhiệm kỳ {base}–{end}",
        "Target {target}: year {year} is outside the term {base}–{end}",
    ),
    "target_unknown_kind": (
        "Chỉ tiêu {target}: không rõ loại chỉ tiêu “{value}” (có: {known})",
        'Target {target}: unknown kind "{value}" (known: {known})',
    ),
    "target_unknown_direction": (
        "Chỉ tiêu {target}: không rõ hướng “{value}” (có: {known})",
        'Target {target}: unknown direction "{value}" (known: {known})',
    ),
    "target_unknown_mean": (
        "Chỉ tiêu {target}: không rõ cách tính bình quân “{value}” (có: {known})",
        'Target {target}: unknown mean "{value}" (known: {known})',
    ),
    "target_value_not_positive": (
        "Chỉ tiêu {target}: giá trị năm {year} là {value}; chỉ tiêu tăng bình quân cần giá trị lớn hơn 0",
        "Target {target}: the value of {year} is {value}; an average growth needs values above 0",
    ),
    "target_duplicate_id": (
        "Mã chỉ tiêu {target} có hai lần",
        "Target id {target} appears twice",
    ),
    "target_missing_field": (
        "Chỉ tiêu {target}: thiếu {field}",
        "Target {target}: {field} is missing",
    ),
}


class TargetError(RuleError):
    """A target or its values are unusable; `code` is one of TARGET_MESSAGES."""

    def __init__(self, code: str, /, **params: Any) -> None:
        vi, en = TARGET_MESSAGES[code]
        self.code = code
        self.params = params
        self.message = vi.format(**params)
        self.message_en = en.format(**params)
        Exception.__init__(self, self.message)


# Parsing ----------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")


def parse_decimal(text: object, *, target: str = "", field_name: str = "value") -> Decimal:
    """A decimal string with a `.` (e.g. "133.1", "-2", "+5") as an exact Decimal; anything else refused."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise TargetError("target_bad_number", target=target, field=field_name, value=text)
    return Decimal(text)


def parse_year(text: object, *, target: str = "") -> int:
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not isinstance(text, str) or not _YEAR.fullmatch(text):
        raise TargetError("target_bad_year", target=target, year=text)
    return int(text)


def _choice(enum: type[StrEnum], value: object, code: str, target: str) -> Any:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return enum(value)
    except ValueError:
        known = ", ".join(e.value for e in enum)
        raise TargetError(code, target=target, value=value, known=known) from None


def parse_kind(value: object, target: str = "") -> Kind:
    result: Kind = _choice(Kind, value, "target_unknown_kind", target)
    return result


def parse_direction(value: object, target: str = "") -> Direction:
    result: Direction = _choice(Direction, value, "target_unknown_direction", target)
    return result


def parse_mean(value: object, target: str = "") -> Mean:
    result: Mean = _choice(Mean, value, "target_unknown_mean", target)
    return result


# Data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """T1: base year B and end year E; the years judged are B+1 … E, n = E − B of them."""

    base: int
    end: int

    def __post_init__(self) -> None:
        if self.end <= self.base:
            raise TargetError("target_bad_term", base=self.base, end=self.end)

    @property
    def n(self) -> int:
        return self.end - self.base

    @property
    def years(self) -> range:
        """B+1 … E."""
        return range(self.base + 1, self.end + 1)

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.base <= year <= self.end


@dataclass(frozen=True)
class Target:
    """One target of a resolution: what is measured, which way is good, and the target value."""

    id: str
    kind: Kind
    direction: Direction
    target: Decimal
    name: str = ""
    unit: str = ""
    mean: Mean = Mean.COMPOUND


@dataclass(frozen=True)
class Judgement:
    """T4–T6 for one target. `achieved` and `ratio` are the printed figures (None when missing)."""

    id: str
    outcome: Outcome
    achieved: str | None
    ratio: str | None
    missing_years: tuple[int, ...] = ()
    years_good: int | None = None  # yearly_level: the years met or exceeded

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outcome": self.outcome.value,
            "achieved": self.achieved,
            "ratio": self.ratio,
            "missing_years": list(self.missing_years),
        }


@dataclass(frozen=True)
class Review:
    """All targets of a term judged, in input order, with the count of each outcome."""

    judgements: tuple[Judgement, ...]
    summary: Mapping[str, int] = field(default_factory=dict)

    @property
    def met_or_exceeded(self) -> int:
        return self.summary.get("exceeded", 0) + self.summary.get("met", 0)

    def to_dict(self) -> dict[str, Any]:
        return {"targets": [j.to_dict() for j in self.judgements], "summary": dict(self.summary)}


# Rounding and showing (T6) ----------------------------------------------------------------------


def exact_decimal(value: Fraction) -> Decimal:
    """A fraction whose denominator is 2^a·5^b as the exact Decimal (no context rounding at any length)."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
        if places > 10_000:
            raise ValueError("not a terminating decimal")
    units = int(value * 10**places)
    return Decimal((int(units < 0), tuple(int(d) for d in str(abs(units))), -places))


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Exact value rounded to `places` decimals, halves away from zero (ROUND_HALF_UP), in integers."""
    scaled = abs(value) * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return Decimal((int(value < 0 and units != 0), tuple(int(d) for d in str(units)), -places))


def show_two(value: Decimal) -> str:
    """A figure already rounded to two decimals, always shown with two: Decimal("10") -> "10.00"."""
    return f"{round_half_up(Fraction(value)):f}"


def normalise(value: Decimal) -> str:
    """A decimal without trailing zeros past the point, without exponent or `+`: 1.50 -> "1.5", 1E+2 -> "100"."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    if exponent >= 0:
        text = (text + "0" * exponent).lstrip("0") or "0"
    else:
        text = text.rjust(-exponent + 1, "0")
        whole, frac = text[:exponent], text[exponent:].rstrip("0")
        text = (whole.lstrip("0") or "0") + (f".{frac}" if frac else "")
    return "0" if text == "0" else ("-" if sign else "") + text


def _largest(lo: int, hi: int, holds: Callable[[int], bool]) -> int:
    """The largest k in [lo, hi] for which `holds` (monotone: true then false); holds(lo) must be true."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if holds(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def compound_rate_percent(ratio: Fraction, n: int, places: int = 2) -> Decimal:
    """100 × (ratio^(1/n) − 1), rounded half up to `places` decimals, decided by exact n-th powers.

    For ratio ≥ 1 the rounded figure is k / 10^places with k the largest integer such that
    ((S + k − ½) / S)^n ≤ ratio, S = 100 × 10^places; below 1, symmetrically with j = −k.
    """
    if ratio <= 0 or n < 1:
        raise ValueError("the ratio must be positive and n at least 1")
    scale = 100 * 10**places
    half = Fraction(1, 2)
    if ratio >= 1:
        hi = int(scale * (ratio - 1)) + 1
        k = _largest(0, hi, lambda k: (Fraction(scale) + k - half) ** n / scale**n <= ratio)
    else:
        # j = round-half-up of S × (1 − s); s ≤ (S − j + ½)/S, and 0 ≤ j ≤ S.
        j = _largest(0, scale, lambda j: ratio <= (Fraction(scale) - j + half) ** n / scale**n)
        k = -j
    return round_half_up(Fraction(k, 10**places), places)


# Judging (T4) -----------------------------------------------------------------------------------


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def outcome_of(cmp: int, direction: Direction) -> Outcome:
    """The outcome when achieved compares with the target as `cmp` (−1, 0, +1, higher first)."""
    better = cmp if direction.higher_is_better else -cmp
    if better > 0:
        return Outcome.EXCEEDED
    if better == 0 and direction.allows_equal:
        return Outcome.MET
    return Outcome.MISSED


def compare_compound(ratio: Fraction, n: int, rate_percent: Fraction) -> int:
    """The sign of r − t for r = ratio^(1/n) − 1 (as a percentage), exactly: compare ratio with (1+t)^n."""
    growth = 1 + rate_percent / 100
    if growth <= 0:
        return 1  # any positive ratio grows faster than a fall of 100% or more
    return _sign(ratio - growth**n)


def _needed(term: Term, target: Target) -> tuple[int, ...]:
    """T5: the years the kind needs."""
    if target.kind is Kind.LEVEL_END:
        return (term.end,)
    if target.kind is Kind.GROWTH_AVG:
        if target.mean is Mean.ARITHMETIC:
            return tuple(range(term.base, term.end + 1))
        return (term.base, term.end)
    return tuple(term.years)


def check_values(term: Term, target: Target, values: Mapping[int, Decimal]) -> None:
    """Refuse a year outside the term, and a value ≤ 0 that an average growth would use."""
    for year in sorted(values):
        if year not in term:
            raise TargetError(
                "target_year_outside_term", target=target.id, year=year, base=term.base, end=term.end
            )
    if target.kind is Kind.GROWTH_AVG:
        for year in _needed(term, target):
            value = values.get(year)
            if value is not None and value <= 0:
                raise TargetError("target_value_not_positive", target=target.id, year=year, value=value)


def judge(term: Term, target: Target, values: Mapping[int, Decimal]) -> Judgement:
    """T2–T6: the outcome of one target from its values per year (absent years are missing, never 0)."""
    check_values(term, target, values)
    missing = tuple(y for y in _needed(term, target) if y not in values)
    if missing:
        return Judgement(target.id, Outcome.MISSING, None, None, missing)
    goal = Fraction(target.target)
    kind = target.kind
    if kind is Kind.YEARLY_LEVEL:
        outcomes = [outcome_of(_sign(Fraction(values[y]) - goal), target.direction) for y in term.years]
        good = sum(o is not Outcome.MISSED for o in outcomes)
        if Outcome.MISSED in outcomes:
            result = Outcome.MISSED
        elif all(o is Outcome.EXCEEDED for o in outcomes):
            result = Outcome.EXCEEDED
        else:
            result = Outcome.MET
        return Judgement(target.id, result, f"{good}/{term.n}", None, years_good=good)
    if kind is Kind.GROWTH_AVG:
        if target.mean is Mean.COMPOUND:
            ratio = Fraction(values[term.end]) / Fraction(values[term.base])
            cmp = compare_compound(ratio, term.n, goal)
            shown = compound_rate_percent(ratio, term.n)
        else:
            rate = arithmetic_rate_percent(term, values)
            cmp = _sign(rate - goal)
            shown = round_half_up(rate)
        return Judgement(target.id, outcome_of(cmp, target.direction), show_two(shown), None)
    if kind is Kind.LEVEL_END:
        achieved = values[term.end]
    else:
        achieved = exact_decimal(sum((Fraction(values[y]) for y in term.years), Fraction(0)))
    result = outcome_of(_sign(Fraction(achieved) - goal), target.direction)
    ratio_text = None
    if target.direction.higher_is_better and goal != 0:
        ratio_text = show_two(round_half_up(Fraction(achieved) / goal * 100))
    return Judgement(target.id, result, normalise(achieved), ratio_text)


def arithmetic_rate_percent(term: Term, values: Mapping[int, Decimal]) -> Fraction:
    """T2 arithmetic mean: the mean of the n yearly growths V_y / V_{y−1} − 1, in percent, exact."""
    growths = [Fraction(values[y]) / Fraction(values[y - 1]) - 1 for y in term.years]
    return sum(growths, Fraction(0)) * 100 / term.n


def review(term: Term, targets: Sequence[tuple[Target, Mapping[int, Decimal]]]) -> Review:
    """Judge every target in order; refuse duplicate ids; count each outcome."""
    seen: set[str] = set()
    judgements: list[Judgement] = []
    for target, values in targets:
        if target.id in seen:
            raise TargetError("target_duplicate_id", target=target.id)
        seen.add(target.id)
        judgements.append(judge(term, target, values))
    summary = {o.value: 0 for o in (Outcome.EXCEEDED, Outcome.MET, Outcome.MISSED, Outcome.MISSING)}
    for j in judgements:
        summary[j.outcome.value] += 1
    return Review(tuple(judgements), summary)


# During the term: the planned path and the pace ------------------------------------------------


def planned(term: Term, target: Target, baseline: Decimal | None, year: int) -> Fraction | None:
    """The path to the target, as the chart draws it, for a year of the term (None if it has no baseline).

    - level_end: the straight line from the baseline (year B) to the target value in year E;
    - growth_avg: the baseline grown at the target rate (compound; arithmetic uses the same path);
    - total: the running sum target × (year − B) / n;
    - yearly_level: the target value in every year.
    """
    k = year - term.base
    goal = Fraction(target.target)
    if target.kind is Kind.TOTAL:
        return goal * k / term.n
    if target.kind is Kind.YEARLY_LEVEL:
        return goal
    if baseline is None:
        return None
    base = Fraction(baseline)
    if target.kind is Kind.LEVEL_END:
        return base + (goal - base) * k / term.n
    return base * (1 + goal / 100) ** k


def shown_series(term: Term, target: Target, values: Mapping[int, Decimal]) -> dict[int, Fraction]:
    """What the chart plots per year: the value, or for `total` the running sum (only while no year is missing)."""
    if target.kind is not Kind.TOTAL:
        return {y: Fraction(v) for y, v in values.items() if y in term}
    out: dict[int, Fraction] = {term.base: Fraction(0)}
    running = Fraction(0)
    for y in term.years:
        if y not in values:
            break
        running += Fraction(values[y])
        out[y] = running
    return out


@dataclass(frozen=True)
class PaceReport:
    id: str
    pace: Pace
    as_of: int | None
    missing_years: tuple[int, ...] = ()


def pace(term: Term, target: Target, values: Mapping[int, Decimal], as_of: int) -> PaceReport:
    """Where a target stands in year `as_of` of its term.

    Let y be the last year ≤ as_of with a value (for `total` and `yearly_level`, every year B+1 … y
    must be present, else `missing` with those years).
    - `no_data`: no year after B has a value yet.
    - At the end of the term (y = E) the outcome decides: missed → `missed`, else `on_track`.
    - `missed` early when the outcome can no longer be met: `yearly_level` with a year missed;
      `total` with `at_most`/`below` whose running sum is already over the target.
    - Otherwise `on_track` when the pace so far is at least the pace still needed for the remaining
      years, which is the same as being at or ahead of the planned path (`planned`) in year y;
      `at_risk` when behind it. For `total` with `at_least`/`above`, a running sum that already
      reaches the target is on track. Exact comparisons; equality with the path is on track.
    """
    check_values(term, target, values)
    upto = min(as_of, term.end)
    years = [y for y in term.years if y <= upto]
    if target.kind in (Kind.TOTAL, Kind.YEARLY_LEVEL):
        last_present = max((y for y in years if y in values), default=None)
        if last_present is None:
            return PaceReport(target.id, Pace.NO_DATA, None)
        gaps = tuple(y for y in years if y <= last_present and y not in values)
        if gaps:
            return PaceReport(target.id, Pace.MISSING, last_present, gaps)
        y = last_present
    else:
        present = [yy for yy in years if yy in values]
        if not present:
            return PaceReport(target.id, Pace.NO_DATA, None)
        y = present[-1]
        if target.kind is Kind.GROWTH_AVG and term.base not in values:
            return PaceReport(target.id, Pace.MISSING, y, (term.base,))
    if y == term.end:
        verdict = judge(term, target, values)
        if verdict.outcome is Outcome.MISSING:
            return PaceReport(target.id, Pace.MISSING, y, verdict.missing_years)
        return PaceReport(target.id, Pace.MISSED if verdict.outcome is Outcome.MISSED else Pace.ON_TRACK, y)
    goal = Fraction(target.target)
    up = target.direction.higher_is_better
    if target.kind is Kind.YEARLY_LEVEL:
        for yy in term.years:
            if yy <= y and outcome_of(_sign(Fraction(values[yy]) - goal), target.direction) is Outcome.MISSED:
                return PaceReport(target.id, Pace.MISSED, y)
        return PaceReport(target.id, Pace.ON_TRACK, y)
    if target.kind is Kind.TOTAL:
        running = sum((Fraction(values[yy]) for yy in term.years if yy <= y), Fraction(0))
        if not up and outcome_of(_sign(running - goal), target.direction) is Outcome.MISSED:
            return PaceReport(target.id, Pace.MISSED, y)
        if up and running >= goal:
            return PaceReport(target.id, Pace.ON_TRACK, y)
        now = running
    elif target.kind is Kind.GROWTH_AVG and target.mean is Mean.ARITHMETIC:
        gaps = tuple(yy for yy in range(term.base, y + 1) if yy not in values)
        if gaps:
            return PaceReport(target.id, Pace.MISSING, y, gaps)
        done = sum((Fraction(values[yy]) / Fraction(values[yy - 1]) - 1 for yy in range(term.base + 1, y + 1)),
                   Fraction(0)) * 100  # fmt: skip
        ahead = _sign(done - goal * (y - term.base))
        good = ahead >= 0 if up else ahead <= 0
        return PaceReport(target.id, Pace.ON_TRACK if good else Pace.AT_RISK, y)
    else:
        now = Fraction(values[y])
    path = planned(term, target, values.get(term.base), y)
    if path is None:
        return PaceReport(target.id, Pace.MISSING, y, (term.base,))
    good = now >= path if up else now <= path
    return PaceReport(target.id, Pace.ON_TRACK if good else Pace.AT_RISK, y)
