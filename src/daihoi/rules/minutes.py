"""P16 counting minutes (biên bản kiểm phiếu) as plain Vietnamese text, from a certified count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daihoi.rules.counting import ElectionResult, NextRound
from daihoi.rules.rulesets import get_ruleset

REASON_LABELS: Mapping[str, str] = {
    "too_many_kept": "để lại nhiều tên hơn số lượng cần bầu",
    "all_struck": "gạch hết tên",
    "single_both_or_none": "danh sách một người: đánh dấu cả hai ô hoặc không ô nào",
    "over_allowance": "bầu quá tổng số phiếu bầu được quyền",
    "too_many_candidates": "bầu cho nhiều người hơn số lượng cần bầu",
    "not_issued": "không phải phiếu do Ban Kiểm phiếu phát ra, hoặc không có dấu",
    "added_name": "ghi thêm tên, hoặc để lại tên người đã được rút",
    "signed_or_marked": "có ký tên hoặc đánh dấu riêng",
    "torn": "phiếu bị rách",
    "bad_proof": "phiếu điện tử có chứng minh mật mã sai",
    "spoiled": "phiếu điện tử do đại biểu tự hủy",
}

RESULT_LABELS: Mapping[str, str] = {
    "elected": "Trúng cử",
    "elected_alternate": "Trúng cử dự khuyết",
    "not_elected": "Không trúng cử",
    "tied": "Bằng phiếu",
}


@dataclass(frozen=True)
class MinutesContext:
    """What the count alone does not know: the congress, N's derivation, attendance, the committee."""

    organization: str = ""
    congress: str = ""
    election: str = ""
    held_at: str = ""
    base_explanation: str = ""
    convened: int | None = None
    present: int | None = None
    counting_committee: Sequence[str] = ()  # the head first


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> list[str]:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        out = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return " | ".join(out).rstrip()

    return [line(header), "-+-".join("-" * w for w in widths), *(line(r) for r in rows)]


def _next_round_line(result: ElectionResult, nr: NextRound) -> str:
    names = {c.id: c.name for c in result.candidates}
    who = ", ".join(f"{names[i]} ({i})" for i in nr.candidates) or "không có"
    places = {"alternate": "chỗ dự khuyết", "official": "chỗ chính thức" if result.alternates else "chỗ"}[
        nr.tier
    ]
    if nr.reason == "tie":
        extra = f" (lần bầu này cũng xếp {nr.alternates} chỗ dự khuyết)" if nr.alternates else ""
        return f"Còn {nr.seats} {places} do bằng phiếu ở vị trí cuối{extra}; bầu tiếp giữa: {who}"
    return f"Còn {nr.seats} {places} do không đủ người đạt ngưỡng; có thể ứng cử lại: {who}"


def render_minutes(result: ElectionResult, context: MinutesContext | None = None) -> str:
    """The minutes' figures in the P16 order: setting, ballots, each candidate in list order, the elected."""
    ctx = context or MinutesContext()
    rules = get_ruleset(result.ruleset)
    b = result.ballots
    out = ["BIÊN BẢN KIỂM PHIẾU"]
    for label, value in (
        ("Tổ chức", ctx.organization),
        ("Đại hội", ctx.congress),
        ("Cuộc bầu", ctx.election),
        ("Thời gian", ctx.held_at),
    ):
        if value:
            out.append(f"{label}: {value}")
    out.append(f"Bộ quy tắc: {rules.name} — {rules.title}")
    out.append(f"Số lượng cần bầu: {result.seats}")
    if result.alternates:
        out.append(f"Số đại biểu dự khuyết cần bầu (cùng phiếu): {result.alternates}")
    if ctx.convened is not None:
        out.append(f"Số được triệu tập: {ctx.convened}")
    out.append(f"Cơ sở tính ({rules.base_label}): {result.base}")
    if ctx.base_explanation:
        out.append(f"  {ctx.base_explanation}")
    if ctx.present is not None:
        out.append(f"Có mặt khi bỏ phiếu: {ctx.present}")
        if ctx.convened is not None:
            out.append(f"Vắng mặt: {ctx.convened - ctx.present}")
    out.append(f"Điều kiện trúng cử: {rules.threshold_text}")
    out.append("")
    figures = [
        ("Số phiếu phát ra", result.issued),
        ("Số phiếu thu vào", b.received),
        ("Số phiếu hợp lệ", b.valid),
        ("Số phiếu không hợp lệ", b.invalid),
    ]
    width = max(len(label) for label, _ in figures) + 1
    digits = max(len(str(v)) for _, v in figures)
    out.extend(f"{(label + ':').ljust(width)} {str(v).rjust(digits)}" for label, v in figures)
    out.extend(
        f"  - {REASON_LABELS.get(code, code)} ({code}): {n}" for code, n in b.invalid_by_reason.items()
    )
    out.append("")
    out.append("Kết quả theo thứ tự trong danh sách bầu cử:")
    header = [
        "STT",
        "Mã",
        "Họ và tên",
        "Số phiếu",
        f"% trên {rules.base_label}" if len(rules.base_label) <= 12 else "Tỷ lệ %",
        "Đạt ngưỡng",
        "Hạng",
        "Kết quả",
    ]
    rows = [
        [
            str(n),
            c.id,
            c.name,
            str(c.votes),
            c.percent,
            "có" if c.passed_threshold else "không",
            str(c.rank),
            RESULT_LABELS[c.result],
        ]
        for n, c in enumerate(result.candidates, start=1)
    ]
    out.extend(_table(header, rows, frozenset({0, 3, 4, 6})))
    out.append("")
    by_id = {c.id: c for c in result.candidates}
    sections = [("Những người trúng cử (theo số phiếu từ cao xuống)", result.elected)]
    if result.alternates:
        sections.append(("Những người trúng cử dự khuyết (theo thứ tự thay thế)", result.elected_alternates))
    for title, ids in sections:
        out.append(f"{title}:")
        if not ids:
            out.append("  (không có)")
        for n, cid in enumerate(ids, start=1):
            c = by_id[cid]
            out.append(f"  {n}. {c.name} ({c.id}): {c.votes} phiếu, {c.percent}%")
    out.append(f"Số chỗ còn trống: {result.unfilled_seats}")
    out.extend(_next_round_line(result, nr) for nr in result.next_rounds)
    if ctx.counting_committee:
        out.append("")
        out.append("BAN KIỂM PHIẾU (ký, ghi rõ họ tên)")
        for n, member in enumerate(ctx.counting_committee):
            role = "Trưởng ban" if n == 0 else "Thành viên"
            out.append(f"  {role}: {member}  ........................")
    return "\n".join(out) + "\n"
