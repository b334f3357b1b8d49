"""The term dashboard: each target's path against its goal, drawn by the server as SVG (no script), and
its pace (`daihoi.rules.targets.pace`: on track / at risk / missed), as of the last year reported."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.html import escape
from django.utils.translation import gettext as _

from daihoi.congress.models import Congress
from daihoi.rules import targets as core
from daihoi.term.actions import own_targets
from daihoi.term.models import Target

PACE_LABELS = {
    core.Pace.ON_TRACK: ("on_track", "Đúng tiến độ"),
    core.Pace.AT_RISK: ("at_risk", "Có nguy cơ không đạt"),
    core.Pace.MISSED: ("missed", "Không đạt"),
    core.Pace.MISSING: ("missing", "Thiếu số liệu"),
    core.Pace.NO_DATA: ("no_data", "Chưa có số liệu"),
}

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 320, 150, 44, 10, 10, 24


def pace_label(pace: core.Pace) -> str:
    return _(PACE_LABELS[pace][1])


@dataclass(frozen=True)
class Card:
    target: Target
    pace: core.PaceReport
    svg: str
    latest: tuple[int, str] | None

    @property
    def css(self) -> str:
        return PACE_LABELS[self.pace.pace][0]

    @property
    def label(self) -> str:
        return pace_label(self.pace.pace)

    @property
    def goal(self) -> str:
        from daihoi.term.documents import goal_text

        text = goal_text(self.target)
        return text[:1].upper() + text[1:]


def as_of_year(congress: Congress, targets: list[Target]) -> int:
    """The last year any target has a value for (the base year when none has)."""
    years = [v.year for t in targets for v in t.values.all() if v.year > t.term_start]
    return max(years, default=congress.term_start)


def _fmt(x: Fraction) -> str:
    return str(core.round_half_up(x, 1))


def chart_svg(target: Target) -> str:
    """A small line chart: the planned path (dashed) and the reported values (solid, with points)."""
    term = target.term
    t = target.as_core()
    values = target.values_map()
    baseline = values.get(term.base)
    plan = {y: core.planned(term, t, baseline, y) for y in range(term.base, term.end + 1)}
    actual = core.shown_series(term, t, values)
    ys = [v for v in plan.values() if v is not None] + list(actual.values())
    if t.kind is not core.Kind.GROWTH_AVG:  # a growth target is a rate, not a value on this axis
        ys.append(Fraction(t.target))
    lo, hi = min(ys), max(ys)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    span = hi - lo
    lo, hi = lo - span / 10, hi + span / 10
    inner_w, inner_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def px(year: int) -> str:
        return _fmt(Fraction(PAD_L) + Fraction(inner_w * (year - term.base), term.n))

    def py(value: Fraction) -> str:
        return _fmt(Fraction(PAD_T) + (hi - value) / (hi - lo) * inner_h)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'class="term-chart" aria-label="{escape(target.name)}">',
        f'<rect x="{PAD_L}" y="{PAD_T}" width="{inner_w}" height="{inner_h}" fill="#fafafa" stroke="#ccc"/>',
    ]
    for year in range(term.base, term.end + 1):
        parts.append(
            f'<text x="{px(year)}" y="{H - 8}" font-size="10" text-anchor="middle" fill="#555">{year}</text>'
        )
    for value in (lo + span / 10, hi - span / 10):
        parts.append(
            f'<text x="{PAD_L - 4}" y="{py(value)}" font-size="10" text-anchor="end" fill="#555" '
            f'dominant-baseline="middle">{core.normalise(core.round_half_up(value, 2))}</text>'
        )
    goal_y = py(Fraction(t.target)) if t.kind is not core.Kind.GROWTH_AVG else None
    if goal_y is not None:
        parts.append(
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{goal_y}" y2="{goal_y}" stroke="#b8860b" '
            f'stroke-width="1" class="goal"/>'
        )
    plan_points = " ".join(f"{px(y)},{py(v)}" for y, v in plan.items() if v is not None)
    if plan_points:
        parts.append(
            f'<polyline points="{plan_points}" fill="none" stroke="#888" stroke-dasharray="4 3" class="plan"/>'
        )
    actual_points = sorted(actual.items())
    if actual_points:
        pts = " ".join(f"{px(y)},{py(v)}" for y, v in actual_points)
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="#1f5fa8" stroke-width="2" class="actual"/>'
        )
        for y, v in actual_points:
            parts.append(
                f'<circle cx="{px(y)}" cy="{py(v)}" r="3" fill="#1f5fa8" class="point" data-year="{y}">'
                f"<title>{y}: {core.normalise(core.round_half_up(v, 2))}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def cards(congress: Congress, as_of: int | None = None) -> tuple[int, list[Card]]:
    targets = own_targets(congress)
    year = as_of if as_of is not None else as_of_year(congress, targets)
    out = []
    for target in targets:
        values = target.values_map()
        report = core.pace(target.term, target.as_core(), values, year)
        reported = sorted((y, v) for y, v in values.items() if y > target.term_start)
        latest = (reported[-1][0], core.normalise(reported[-1][1])) if reported else None
        out.append(Card(target, report, chart_svg(target), latest))
    return year, out


def counts(items: list[Card]) -> dict[str, int]:
    out = {code: 0 for code, _label in PACE_LABELS.values()}
    for c in items:
        out[c.css] += 1
    return out


def decimal_text(value: Decimal | None) -> str:
    return "" if value is None else core.normalise(value)
