"""P4 and S3: whether a motion passes, measured against the rule set's base, never the votes cast."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from daihoi.rules.errors import RuleError
from daihoi.rules.figures import percent
from daihoi.rules.rulesets import DEFAULT, get_ruleset


def _format_ratio(ratio: Fraction) -> str:
    pct = ratio * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else f"{ratio.numerator}/{ratio.denominator}"


@dataclass(frozen=True)
class MotionOutcome:
    """The decision with everything the minutes show: counts, percents of the base, the test used."""

    ruleset: str
    passed: bool
    yes: int
    no: int
    abstain: int
    denominator: int
    denominator_label: str
    ratio: Fraction
    is_strict: bool
    required_yes: int  # the fewest "yes" that would have passed
    yes_percent: str
    no_percent: str
    abstain_percent: str

    @property
    def threshold(self) -> str:
        """The test in words, e.g. "tán thành > 50% × N (165), tức ít nhất 83"."""
        op = ">" if self.is_strict else "≥"
        return (
            f"tán thành {op} {_format_ratio(self.ratio)} × {self.denominator_label} ({self.denominator}), "
            f"tức ít nhất {self.required_yes}"
        )

    def explain(self) -> str:
        """One Vietnamese line for the presidium and the minutes."""
        verdict = "Thông qua" if self.passed else "Không thông qua"
        return (
            f"{verdict}: tán thành {self.yes} ({self.yes_percent}%), không tán thành {self.no} "
            f"({self.no_percent}%), không biểu quyết {self.abstain} ({self.abstain_percent}%); "
            f"cần {self.threshold}"
        )


@dataclass(frozen=True)
class MotionBase:
    """The figure a motion is measured against, with the one line that says how it was found."""

    value: int
    label: str
    explanation: str


def motion_base(
    *, yes: int, no: int, abstain: int, given: int, given_explanation: str, ruleset: str = DEFAULT
) -> MotionBase:
    """The rule set's base for a motion: N of P2 (`given`, party) or the votes cast (approval)."""
    rules = get_ruleset(ruleset)
    if rules.motion_base_kind == "votes_cast":
        cast = yes + no + abstain
        return MotionBase(
            cast,
            rules.motion_base_label,
            f"N = {rules.motion_base_label} = {yes} + {no} + {abstain} = {cast}",
        )
    return MotionBase(given, rules.motion_base_label, given_explanation)


def motion_rule_text(
    *, given: int, given_explanation: str, ruleset: str = DEFAULT, special: bool = False
) -> str:
    """Before the vote: what N will be and the test, in one line, e.g. "N = 165 đại biểu chính thức được
    triệu tập = 165; thông qua khi tán thành > 50% × N" or, for approval, N as the votes to be cast."""
    rules = get_ruleset(ruleset)
    if rules.motion_base_kind == "votes_cast":
        n = f"N = {rules.motion_base_label} (tán thành + không tán thành + không biểu quyết)"
    else:
        n = given_explanation or f"N = {given}"
    if special and rules.special_motion_threshold is not None:
        ratio, strict = rules.special_motion_threshold, False
    else:
        ratio, strict = rules.motion_threshold, rules.motion_strict
    return f"{n}; thông qua khi tán thành {'>' if strict else '≥'} {_format_ratio(ratio)} × N"


def decide_motion(
    *, yes: int, no: int, abstain: int, base: int, ruleset: str = DEFAULT, special: bool = False
) -> MotionOutcome:
    """P4: party passes iff 2 × yes > N. S3: shareholders > 50% of shares present, ≥ 65% if `special`."""
    rules = get_ruleset(ruleset)
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain), ("base", base)):
        if value < 0:
            raise RuleError("negative_count", field=name, value=value)
    if yes + no + abstain > base:
        raise RuleError("votes_exceed_base", votes=yes + no + abstain, base=base)
    if special:
        if rules.special_motion_threshold is None:
            raise RuleError("special_not_supported", ruleset=rules.name)
        ratio, strict = rules.special_motion_threshold, False
    else:
        ratio, strict = rules.motion_threshold, rules.motion_strict
    # Exact integers: yes/base > p/q  ⇔  yes × q > p × base.
    lhs, rhs = yes * ratio.denominator, ratio.numerator * base
    passed = lhs > rhs if strict else lhs >= rhs
    exact = ratio * base
    floor = exact.numerator // exact.denominator
    required = floor + 1 if strict else (floor if exact.denominator == 1 else floor + 1)
    return MotionOutcome(
        ruleset=rules.name,
        passed=passed,
        yes=yes,
        no=no,
        abstain=abstain,
        denominator=base,
        denominator_label=rules.motion_base_label,
        ratio=ratio,
        is_strict=strict,
        required_yes=required,
        yes_percent=percent(yes, base),
        no_percent=percent(no, base),
        abstain_percent=percent(abstain, base),
    )
