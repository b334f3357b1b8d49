"""Documents of the term, in the official layout of `daihoi.voting.documents` (its blocks, `header`,
`congress_line`, `roman` and the DOCX/PDF renderers are reused): the resolution, the review table, the
yearly report, the mid-term review and the news page. The review table is also an Excel export
(`daihoi.congress.exports` registry). Every outcome and pace is the rules core's."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.congress import exports
from daihoi.congress.models import Congress
from daihoi.rules import targets as core
from daihoi.term import actions, dashboard, news
from daihoi.term.models import KeyTask, Target
from daihoi.voting.documents import (
    Block,
    Document,
    Para,
    Signatures,
    Table,
    Title,
    congress_line,
    header,
    roman,
)

OUTCOME_LABELS = {
    core.Outcome.EXCEEDED: "Vượt",
    core.Outcome.MET: "Đạt",
    core.Outcome.MISSED: "Không đạt",
    core.Outcome.MISSING: "Thiếu số liệu",
}


def outcome_label(outcome: core.Outcome) -> str:
    return _(OUTCOME_LABELS[outcome])


GOAL_PHRASES = {
    core.Direction.AT_LEAST: "từ %(value)s%(unit)s trở lên",
    core.Direction.ABOVE: "trên %(value)s%(unit)s",
    core.Direction.AT_MOST: "không quá %(value)s%(unit)s",
    core.Direction.BELOW: "dưới %(value)s%(unit)s",
}


def goal_text(t: Target) -> str:
    """The target value with its direction as a resolution words it: "từ 10 %/năm trở lên", "dưới 0.5 %"."""
    text = _(GOAL_PHRASES[core.Direction(t.direction)]) % {
        "value": t.target_value,
        "unit": f" {t.unit}" if t.unit else "",
    }
    if t.kind == core.Kind.GROWTH_AVG and t.mean == core.Mean.ARITHMETIC:
        text += " " + _("(trung bình cộng)")
    return text


def target_text(t: Target) -> str:
    """The target as the resolution words it: "Thu ngân sách tăng bình quân: từ 10 %/năm trở lên"."""
    return f"{t.name}: {goal_text(t)}"


def achieved_text(line: actions.Line) -> str:
    j = line.judgement
    if j.outcome is core.Outcome.MISSING:
        return _("thiếu năm %(years)s") % {"years": ", ".join(map(str, j.missing_years))}
    unit = line.target.unit
    if line.target.kind == core.Kind.YEARLY_LEVEL:
        return _("%(good)s năm đạt") % {"good": j.achieved}
    if line.target.kind == core.Kind.GROWTH_AVG:
        return f"{j.achieved}%"
    return f"{j.achieved} {unit}".strip()


def summary_line(summary: dict[str, int]) -> str:
    total = sum(summary.values())
    good = summary["exceeded"] + summary["met"]
    return _(
        "%(good)s/%(total)s chỉ tiêu đạt và vượt (vượt %(exceeded)s, đạt %(met)s, không đạt %(missed)s%(missing)s)."
    ) % {
        "good": good,
        "total": total,
        "exceeded": summary["exceeded"],
        "met": summary["met"],
        "missed": summary["missed"],
        "missing": _(", thiếu số liệu %(n)s") % {"n": summary["missing"]} if summary["missing"] else "",
    }


def review_rows(lines: list[actions.Line]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            str(line.target.number),
            line.target.name,
            goal_text(line.target),
            achieved_text(line),
            line.judgement.ratio + "%" if line.judgement.ratio else "",
            outcome_label(line.judgement.outcome),
        )
        for line in lines
    )


REVIEW_HEADER = ("STT", "Chỉ tiêu", "Chỉ tiêu đề ra", "Đạt được", "Tỷ lệ", "Kết quả")


def review_document(congress: Congress) -> Document:
    lines, summary = actions.judge_targets(actions.review_targets(congress))
    term = f"{lines[0].target.term_start}–{lines[0].target.term_end}" if lines else ""
    blocks: list[Block] = [
        header(congress, _("BAN CHẤP HÀNH"), None),
        Title(
            _("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NGHỊ QUYẾT NHIỆM KỲ %(term)s") % {"term": term},
            (_("(Phụ lục Báo cáo chính trị trình %(line)s)") % {"line": congress_line(congress)},),
        ),
        Table(tuple(_(h) for h in REVIEW_HEADER), review_rows(lines), frozenset({0, 4}), (1, 6, 3, 3, 2, 2)),
        Para(summary_line(summary), bold=True),
        Para(
            _(
                "Cách đánh giá: theo quy tắc T1–T6; tăng bình quân tính theo bình quân kép trừ khi nghị quyết ghi "
                "trung bình cộng; tỷ lệ làm tròn một lần, nửa lên, 2 chữ số thập phân; năm thiếu số liệu ghi là "
                "thiếu, không tính bằng 0."
            ),
            indent=False,
        ),
    ]
    return Document(
        filename=f"danh-gia-chi-tieu-{congress.slug}",
        title=_("Đánh giá thực hiện chỉ tiêu"),
        blocks=tuple(blocks),
    )


def resolution_document(congress: Congress) -> Document:
    resolution = actions.resolution_of(congress)
    state = actions.resolution_state(resolution)
    title = _("NGHỊ QUYẾT") if state == actions.State.ADOPTED else _("DỰ THẢO NGHỊ QUYẾT")
    blocks: list[Block] = [
        header(congress, "", resolution.adopted_at),
        Title(
            title,
            (
                _("ĐẠI HỘI %(org)s LẦN THỨ %(ordinal)s, NHIỆM KỲ %(term)s")
                % {
                    "org": congress.organization.name.upper(),
                    "ordinal": roman(congress.ordinal),
                    "term": congress.term,
                },
            ),
        ),
        Para(_("I. MỤC TIÊU TỔNG QUÁT"), bold=True, indent=False),
        *[Para(p) for p in resolution.general_goal.splitlines() if p.strip()],
        Para(_("II. CÁC CHỈ TIÊU CHỦ YẾU"), bold=True, indent=False),
    ]
    for t in actions.own_targets(congress):
        blocks.append(Para(f"{t.number}. {target_text(t)}."))
    blocks.append(Para(_("III. NHIỆM VỤ TRỌNG TÂM VÀ KHÂU ĐỘT PHÁ"), bold=True, indent=False))
    for k in KeyTask.objects.filter(congress=congress):
        prefix = _("(Đột phá) ") if k.is_breakthrough else ""
        blocks.append(Para(f"{k.number}. {prefix}{k.text}"))
    if resolution.other_articles.strip():
        blocks.append(Para(_("IV. CÁC ĐIỀU KHOẢN KHÁC"), bold=True, indent=False))
        blocks.extend(Para(p) for p in resolution.other_articles.splitlines() if p.strip())
    if state == actions.State.ADOPTED and resolution.motion is not None:
        m = resolution.motion
        blocks.append(
            Para(
                _("Nghị quyết được Đại hội thông qua: %(yes)s/%(base)s đại biểu tán thành.")
                % {"yes": m.yes, "base": m.base},
                indent=False,
            )
        )
    blocks.append(Signatures(((_("T/M ĐOÀN CHỦ TỊCH"), ""),)))
    return Document(
        filename=f"nghi-quyet-{congress.slug}", title=_("Nghị quyết đại hội"), blocks=tuple(blocks)
    )


def _value_with_unit(t: Target, value: str) -> str:
    """A yearly value with the target's unit, except for a growth target, whose unit is that of its rate."""
    return value if t.kind == core.Kind.GROWTH_AVG or not t.unit else f"{value} {t.unit}"


def year_report_document(congress: Congress, year: int, *, midterm: bool = False) -> Document:
    """The yearly report (or the mid-term review): each target's value for the year, its pace, the note."""
    as_of, cards = dashboard.cards(congress, year)
    counts = dashboard.counts(cards)
    heading = (
        _("BÁO CÁO SƠ KẾT GIỮA NHIỆM KỲ %(term)s") % {"term": congress.term}
        if midterm
        else _("BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM %(year)s") % {"year": year}
    )
    rows = []
    for c in cards:
        v = next((x for x in c.target.values.all() if x.year == year), None)
        rows.append(
            (
                str(c.target.number),
                c.target.name,
                goal_text(c.target),
                (_value_with_unit(c.target, v.value) if v else _("chưa báo cáo")),
                c.label,
                v.note if v else "",
            )
        )
    blocks: list[Block] = [
        header(congress, _("BAN THƯỜNG VỤ"), None),
        Title(heading, (_("Thực hiện Nghị quyết %(line)s") % {"line": congress_line(congress)},)),
        Table(
            (
                _("STT"),
                _("Chỉ tiêu"),
                _("Chỉ tiêu đề ra"),
                _("Năm %(y)s") % {"y": year},
                _("Tiến độ"),
                _("Ghi chú"),
            ),
            tuple(rows),
            frozenset({0}),
            (1, 5, 3, 2, 3, 3),
        ),
        Para(
            _(
                "Tiến độ đến năm %(y)s: %(on)s chỉ tiêu đúng tiến độ, %(risk)s có nguy cơ không đạt, %(missed)s không đạt."
            )
            % {"y": as_of, "on": counts["on_track"], "risk": counts["at_risk"], "missed": counts["missed"]},
            bold=True,
        ),
        Para(
            _(
                "“Có nguy cơ không đạt”: nhịp thực hiện đến nay thấp hơn nhịp cần có cho các năm còn lại, tức là "
                "kết quả đang ở dưới đường kế hoạch từ giá trị năm gốc đến chỉ tiêu (tăng bình quân: theo tốc độ "
                "đề ra; tổng: phần chia đều theo năm)."
            ),
            indent=False,
        ),
        Signatures(((_("T/M BAN THƯỜNG VỤ"), ""),)),
    ]
    stem = "so-ket-giua-nhiem-ky" if midterm else f"bao-cao-nam-{year}"
    return Document(filename=f"{stem}-{congress.slug}", title=heading, blocks=tuple(blocks))


def news_document(congress: Congress) -> Document:
    data = news.compose(congress)
    blocks: list[Block] = [
        Title(data["headline"], (congress_line(congress),)),
        Para(data["when_where"]),
        Para(data["attendance_line"]),
    ]
    if data["guests"]:
        blocks.append(Para(_("Khách mời: ") + "; ".join(data["guests"]) + "."))
    if data["documents"]:
        blocks.append(Para(_("Đại hội đã thông qua:"), bold=True, indent=False))
        blocks.extend(Para("– " + d) for d in data["documents"])
    if data["general_goal"]:
        blocks.append(Para(_("Mục tiêu tổng quát:"), bold=True, indent=False))
        blocks.append(Para(data["general_goal"]))
    if data["targets"]:
        blocks.append(Para(_("Các chỉ tiêu chủ yếu:"), bold=True, indent=False))
        blocks.extend(Para(t) for t in data["targets"])
    if data["key_tasks"]:
        blocks.append(Para(_("Nhiệm vụ trọng tâm, đột phá:"), bold=True, indent=False))
        blocks.extend(Para(t) for t in data["key_tasks"])
    for body in data["elected"]:
        blocks.append(Para(body["title"], bold=True, indent=False))
        blocks.append(Para(", ".join(body["names"]) + "."))
        if body["alternates"]:
            blocks.append(Para(_("Dự khuyết: ") + ", ".join(body["alternates"]) + "."))
    return Document(filename=f"tin-dai-hoi-{congress.slug}", title=data["headline"], blocks=tuple(blocks))


@exports.register
class ReviewExporter(exports.Exporter):
    identifier = "term_review"
    verbose_name = "Đánh giá thực hiện chỉ tiêu"
    filename_stem = "danh-gia-chi-tieu"

    def tables(self, congress: Congress, progress: Any) -> list[exports.Table]:
        lines, summary = actions.judge_targets(actions.review_targets(congress))
        years = sorted({y for line in lines for y in line.values})
        rows = []
        for i, line in enumerate(lines, start=1):
            t, j = line.target, line.judgement
            rows.append(
                [
                    t.number,
                    t.name,
                    t.unit,
                    t.get_kind_display(),
                    t.get_direction_display(),
                    t.target_value,
                    *[core.normalise(line.values[y]) if y in line.values else "" for y in years],
                    achieved_text(line),
                    j.ratio or "",
                    outcome_label(j.outcome),
                ]
            )
            progress(i, len(lines))
        return [
            exports.Table(
                title=_("Đánh giá chỉ tiêu"),
                heading=(congress.name, summary_line(summary), timezone.localtime().strftime("%d/%m/%Y")),
                headers=[
                    _("STT"),
                    _("Chỉ tiêu"),
                    _("Đơn vị"),
                    _("Loại"),
                    _("Hướng"),
                    _("Chỉ tiêu đề ra"),
                    *[str(y) for y in years],
                    _("Đạt được"),
                    _("Tỷ lệ %"),
                    _("Kết quả"),
                ],
                rows=rows,
                widths={1: 45},
            )
        ]
