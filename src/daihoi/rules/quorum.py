"""P3 quorum of a congress (settable ratio, default ⅔ of convened) and S1 shareholders' quorum by call."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from daihoi.rules.errors import RuleError, RuleWarning
from daihoi.rules.rulesets.shareholders import FIRST_CALL_RATIO, SECOND_CALL_RATIO

_UNITS_EN = {"đại biểu": "delegates", "cổ phần": "shares"}


@dataclass(frozen=True)
class QuorumStatus:
    """Whether the assembly may proceed (present ≥ required) and whether anything can still pass."""

    convened: int
    present: int
    base: int
    required: int
    is_met: bool
    majority_possible: bool  # 2 × present > base: otherwise no motion or candidate can pass (P3)
    ratio: Fraction
    unit: str = "đại biểu"

    @property
    def warnings(self) -> tuple[RuleWarning, ...]:
        """P3: the presidium is warned when 2 × present ≤ N, whatever the quorum setting."""
        if self.majority_possible:
            return ()
        return (RuleWarning("majority_impossible", {"present": self.present, "base": self.base}),)

    def explain(self) -> str:
        """One Vietnamese line, e.g. "Chưa đủ số lượng: 98/165 đại biểu có mặt, cần 110"."""
        head = "Đủ số lượng" if self.is_met else "Chưa đủ số lượng"
        line = f"{head}: {self.present}/{self.convened} {self.unit} có mặt, cần {self.required}"
        return "; ".join([line, *(w.message for w in self.warnings)])

    def error(self) -> RuleError | None:
        """The coded error to raise when the quorum is not met, else None."""
        if self.is_met:
            return None
        return RuleError(
            "quorum_not_met",
            present=self.present,
            convened=self.convened,
            required=self.required,
            unit=self.unit,
            unit_en=_UNITS_EN.get(self.unit, self.unit),
        )


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def _check_counts(convened: int, present: int, base: int) -> None:
    for name, value in (("convened", convened), ("present", present), ("base", base)):
        if value < 0:
            raise RuleError("negative_count", field=name, value=value)
    if present > convened:
        raise RuleError("present_exceeds_convened", present=present, convened=convened)


def quorum_status(
    *, convened: int, present: int, base: int, ratio: Fraction = Fraction(2, 3)
) -> QuorumStatus:
    """P3: required = ⌈ratio × convened⌉; met iff present ≥ required; majority possible iff 2 × present > N."""
    _check_counts(convened, present, base)
    if not 0 <= ratio <= 1:
        raise RuleError("bad_ratio", ratio=ratio)
    required = _ceil(ratio * convened)
    return QuorumStatus(
        convened=convened,
        present=present,
        base=base,
        required=required,
        is_met=present >= required,
        majority_possible=2 * present > base,
        ratio=ratio,
    )


def shareholder_quorum_status(
    *,
    call: int,
    shares_present: int,
    voting_shares: int,
    first_call_ratio: Fraction = FIRST_CALL_RATIO,
    second_call_ratio: Fraction = SECOND_CALL_RATIO,
) -> QuorumStatus:
    """S1: first call needs more than 50% of voting shares, second at least 33%, third none (settable)."""
    _check_counts(voting_shares, shares_present, shares_present)
    if call == 1:
        if not 0 <= first_call_ratio < 1:
            raise RuleError("bad_ratio", ratio=first_call_ratio)
        # "more than" a ratio: the smallest whole number of shares strictly above it
        exact = first_call_ratio * voting_shares
        required, ratio = exact.numerator // exact.denominator + 1, first_call_ratio
    elif call == 2:
        if not 0 <= second_call_ratio <= 1:
            raise RuleError("bad_ratio", ratio=second_call_ratio)
        required, ratio = _ceil(second_call_ratio * voting_shares), second_call_ratio
    elif call == 3:
        required, ratio = 0, Fraction(0)
    else:
        raise RuleError("bad_call", call=call)
    return QuorumStatus(
        convened=voting_shares,
        present=shares_present,
        base=shares_present,
        required=required,
        is_met=shares_present >= required,
        majority_possible=shares_present > 0,
        ratio=ratio,
        unit="cổ phần",
    )
