"""P16 figures: exact percentages, rounded once, half up, to two decimals."""

from __future__ import annotations

from fractions import Fraction

from daihoi.rules.errors import RuleError
from daihoi.rules.rounding import round_half_up


def percent_fraction(part: int, whole: int) -> Fraction:
    """The exact percentage part/whole × 100; 0 when whole is 0 (there is nothing to measure against)."""
    if part < 0 or whole < 0:
        raise RuleError("negative_count", field="percent", value=min(part, whole))
    if whole == 0:
        return Fraction(0)
    return Fraction(100 * part, whole)


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage with two decimals, rounded half up: percent(2, 3) == "66.67"."""
    return str(round_half_up(percent_fraction(part, whole), 2))


def base_statement(ruleset: str, *, base: int, given_explanation: str | None = None) -> str:
    """The one line that states N, the base of every percentage, the same on every page: party's N of P2
    with how it was computed ("N = 39 đại biểu chính thức được triệu tập = 39"), else what the rule set
    measures against ("N = số phiếu hợp lệ = 20")."""
    from daihoi.rules.rulesets import get_ruleset

    rules = get_ruleset(ruleset)
    if rules.base_kind == "given":
        if (
            given_explanation
            and given_explanation.startswith("N = ")
            and given_explanation.endswith(f"= {base}")
        ):
            return given_explanation
        return f"N = {base}"
    return f"N = {rules.base_label} = {base}"


__all__ = ["base_statement", "percent", "percent_fraction", "round_half_up"]
