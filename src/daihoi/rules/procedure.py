"""P5 how each matter is decided, P6 the steps of an election, P14 how many rounds may be held."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from daihoi.rules.errors import RuleError

Method = Literal["show_of_hands", "secret_ballot"]

# P5: open vote (hands or raised Party card) for the congress's own bodies and its procedure.
SHOW_OF_HANDS = frozenset({
    "presidium", "secretariat", "credentials_committee", "counting_committee",
    "agenda", "rules_of_procedure", "seats", "election_list", "withdrawal",
})  # fmt: skip
# P5: secret ballot only for the offices the congress elects.
SECRET_BALLOT = frozenset({
    "executive_committee", "standing_committee", "secretary", "deputy_secretary",
    "inspection_committee", "inspection_chair", "delegation",
})  # fmt: skip

# P6: the steps of an election, in order, with the words the presidium sees.
ELECTION_STEPS: tuple[tuple[str, str], ...] = (
    ("report_standards", "Báo cáo tiêu chuẩn, cơ cấu và số lượng đề nghị"),
    ("vote_seats", "Biểu quyết số lượng cần bầu"),
    ("committee_list", "Giới thiệu danh sách của cấp ủy"),
    ("floor_nominations", "Đề cử và ứng cử tại đại hội"),
    ("decide_withdrawals", "Tổng hợp danh sách; biểu quyết các trường hợp xin rút"),
    ("adopt_list", "Biểu quyết thông qua danh sách bầu cử"),
    ("elect_counting_committee", "Biểu quyết Ban Kiểm phiếu"),
    ("vote_and_count", "Bỏ phiếu, kiểm phiếu, công bố kết quả"),
)


def voting_method(matter: str) -> Method:
    """P5: "show_of_hands" or "secret_ballot" for a matter."""
    if matter in SHOW_OF_HANDS:
        return "show_of_hands"
    if matter in SECRET_BALLOT:
        return "secret_ballot"
    raise RuleError("unknown_matter", matter=matter)


def election_steps(*, is_delegation: bool = False) -> tuple[str, ...]:
    """P6 step codes; a delegation's size is allocated from above, so its seats are not voted."""
    return tuple(code for code, _ in ELECTION_STEPS if not (is_delegation and code == "vote_seats"))


def next_election_step(done: Sequence[str], *, is_delegation: bool = False) -> str | None:
    """The step to take after `done` (which must follow P6's order), or None when all are done."""
    steps = election_steps(is_delegation=is_delegation)
    for position, step in enumerate(done):
        expected = steps[position] if position < len(steps) else None
        if step != expected:
            raise RuleError("step_out_of_order", step=step, expected=expected or "—")
    return steps[len(done)] if len(done) < len(steps) else None


def may_hold_round(rounds_held: int, *, max_rounds: int | None = None) -> bool:
    """P14: another round may be held unless the congress set a cap (default: none) and reached it."""
    if rounds_held < 0:
        raise RuleError("negative_count", field="rounds", value=rounds_held)
    return max_rounds is None or rounds_held < max_rounds
