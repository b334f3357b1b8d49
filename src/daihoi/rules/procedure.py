"""P6 the steps of an election."""

from __future__ import annotations

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


def election_steps(*, is_delegation: bool = False) -> tuple[str, ...]:
    """P6 step codes; a delegation's size is allocated from above, so its seats are not voted."""
    return tuple(code for code, _ in ELECTION_STEPS if not (is_delegation and code == "vote_seats"))
