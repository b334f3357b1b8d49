"""Documents of the count: the counting minutes (P16), the result announcement, the minutes of a motion
and the printable paper ballot (P10).

A registry keeps producers apart from renderers: a producer turns an election or motion into a
`Document` (blocks: header, title, paragraphs, tables, signatures), and each renderer (DOCX via
python-docx, PDF via WeasyPrint) draws any document. Every figure comes from the certified result the
rules core computed (`Election.result`); nothing is counted here.

Vietnamese official format: Times New Roman 13–14 (Liberation Serif where Times is absent), A4, the
Party header (committee on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right) for rule set `party`, the
national header otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daihoi.cells import safe_cell
from daihoi.congress.models import Congress
from daihoi.rules.minutes import REASON_LABELS
from daihoi.rules.motions import decide_motion
from daihoi.voting.actions.counting import gather
from daihoi.voting.models import Candidate, CountingMember, Election, ElectronicBallot, Motion

FONT_CSS = "'Times New Roman', 'Liberation Serif', serif"
FONT_DOCX = "Times New Roman"

# --- blocks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The two-column heading: issuing body on the left, the Party or national line on the right."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    place_date: str


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: tuple[str, ...] = ()


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    indent: bool = True


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    widths: tuple[int, ...] = ()  # relative widths


@dataclass(frozen=True)
class Signatures:
    """Signature blocks: (role, name) pairs, two per row."""

    signers: tuple[tuple[str, str], ...]


Block = Header | Title | Para | Table | Signatures


@dataclass(frozen=True)
class Document:
    filename: str  # without extension
    title: str
    blocks: tuple[Block, ...]
    page: str = "A4"
    meta: dict[str, Any] = field(default_factory=dict)


Producer = Callable[[Any], Document]
PRODUCERS: dict[str, Producer] = {}


def producer(name: str) -> Callable[[Producer], Producer]:
    def register(fn: Producer) -> Producer:
        PRODUCERS[name] = fn
        return fn

    return register


# --- shared wording ---------------------------------------------------------------------------------


def roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def place_of(congress: Congress) -> str:
    """The locality named in the date line: the organization's name without "Đảng bộ"/"Chi bộ"."""
    name = congress.organization.name.strip()
    for prefix in ("Đảng bộ ", "Chi bộ ", "Đảng ủy "):
        if name.lower().startswith(prefix.lower()):
            name = name[len(prefix) :]
            break
    return name[:1].upper() + name[1:]


def date_line(congress: Congress, when: datetime | None) -> str:
    d = timezone.localtime(when) if when else timezone.localtime()
    return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)s") % {
        "place": place_of(congress),
        "day": d.day,
        "month": d.month,
        "year": d.year,
    }


def congress_line(congress: Congress) -> str:
    return _("Đại hội lần thứ %(ordinal)s, nhiệm kỳ %(term)s") % {
        "ordinal": roman(congress.ordinal),
        "term": congress.term,
    }


def header(congress: Congress, body: str, when: datetime | None) -> Header:
    """P16 format: the Party form for rule set `party`, the national form otherwise."""
    org = upper(congress.organization.name)
    if congress.rules == "party":
        left = (
            org,
            upper(_("Đại hội lần thứ %(ordinal)s") % {"ordinal": roman(congress.ordinal)}),
            body,
            "*",
        )
        right: tuple[str, ...] = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    else:
        left = (org, body)
        right = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    return Header(left, right, date_line(congress, when))


def at_time(when: datetime | None) -> str:
    d = timezone.localtime(when) if when else timezone.localtime()
    return _("%(hour)02d giờ %(minute)02d phút, ngày %(day)02d/%(month)02d/%(year)s") % {
        "hour": d.hour,
        "minute": d.minute,
        "day": d.day,
        "month": d.month,
        "year": d.year,
    }


RESULT_WORDS = {
    "elected": gettext_lazy("Trúng cử"),
    "elected_alternate": gettext_lazy("Trúng cử dự khuyết"),
    "not_elected": gettext_lazy("Không trúng cử"),
    "tied": gettext_lazy("Bằng phiếu — bầu tiếp"),
}


def _result_label(code: str) -> str:
    return str(RESULT_WORDS.get(code, code))


def counting_members(election: Election) -> list[CountingMember]:
    return list(
        CountingMember.objects.filter(election=election)
        .select_related("delegate")
        .order_by("-is_head", "delegate__number")
    )


def _listed(election: Election, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The result's candidates in ballot order (the result keeps the list's order)."""
    return list(result.get("candidates", []))


def _seats_motion(election: Election) -> Motion | None:
    root = election
    while root.previous_round_id is not None and root.previous_round is not None:
        root = root.previous_round
    return (
        Motion.objects.filter(
            election=root, kind=Motion.Kind.SEATS, status=Motion.Status.CLOSED, is_passed=True
        )
        .order_by("-closed_at", "-pk")
        .first()
    )


def _next_round_text(result: dict[str, Any], names: dict[str, str]) -> str | None:
    nr = result.get("next_round")
    if not nr:
        return None
    who = ", ".join(names.get(c, c) for c in nr["candidates"]) or _("không có")
    if nr["reason"] == "tie":
        return _("Còn %(seats)s chỗ do bằng phiếu ở vị trí cuối; đề nghị Đại hội bầu tiếp giữa: %(who)s.") % {
            "seats": nr["seats"],
            "who": who,
        }
    return _("Còn %(seats)s chỗ do không đủ người đạt quá nửa; có thể ứng cử lại: %(who)s.") % {
        "seats": nr["seats"],
        "who": who,
    }


def _electronic_statement(election: Election) -> str | None:
    """P20: the minutes say so when ballots were cast electronically."""
    cast = ElectronicBallot.objects.filter(election=election).count()
    if not cast:
        return None
    congress = election.congress
    if congress.rules == "party":
        return _(
            "Đại hội sử dụng hình thức bỏ phiếu điện tử theo quyết định của cấp ủy triệu tập đại hội "
            "(Ban Tổ chức đại hội bật chức năng bỏ phiếu điện tử cho đại hội); %(cast)s phiếu được bỏ "
            "bằng điện tử, các phiếu còn lại là phiếu giấy."
        ) % {"cast": cast}
    return _("Đại hội sử dụng hình thức bỏ phiếu điện tử; %(cast)s phiếu được bỏ bằng điện tử.") % {
        "cast": cast
    }


def convened(congress: Congress) -> int:
    """Official delegates whose credentials were not rejected (the congress's attendance figures)."""
    from daihoi.congress.attendance import attendance

    return attendance(congress).convened


def _require_result(election: Election) -> dict[str, Any]:
    if election.status != Election.Status.CERTIFIED or not election.result:
        from daihoi.congress.errors import ActionError

        raise ActionError("not_certified", _("Kết quả chưa được Ban Kiểm phiếu xác nhận."))
    return election.result


def _signers(members: Sequence[CountingMember]) -> tuple[tuple[str, str], ...]:
    return tuple((_("TRƯỞNG BAN") if m.is_head else _("THÀNH VIÊN"), m.delegate.full_name) for m in members)


# --- producers --------------------------------------------------------------------------------------


@producer("minutes")
def minutes(election: Election) -> Document:
    """P16: the counting minutes, every figure from the certified result."""
    r = _require_result(election)
    congress = election.congress
    b = r["ballots"]
    names = {c["id"]: c["name"] for c in r["candidates"]}
    members = counting_members(election)
    alternates_round = bool(getattr(election, "elects_alternates", False))
    blocks: list[Block] = [
        header(congress, _("BAN KIỂM PHIẾU"), election.certified_at),
        Title(
            _("BIÊN BẢN KIỂM PHIẾU"),
            (
                election.title
                + (_(" (lần bầu %(round)s)") % {"round": election.round} if election.round > 1 else ""),
                f"{congress.name}, " + _("nhiệm kỳ %(term)s") % {"term": congress.term},
            ),
        ),
        Para(
            _(
                "Vào lúc %(at)s, tại %(venue)s, Ban Kiểm phiếu %(congress)s đã tiến hành kiểm phiếu %(election)s."
            )
            % {
                "at": at_time(election.closed_at or election.certified_at),
                "venue": congress.venue or place_of(congress),
                "congress": _("đại hội lần thứ %(ordinal)s") % {"ordinal": roman(congress.ordinal)},
                "election": election.title,
            }
        ),
        Para(_("I. BAN KIỂM PHIẾU"), bold=True, indent=False),
        Table(
            (_("STT"), _("Họ và tên"), _("Chức danh")),
            tuple(
                (str(i), m.delegate.full_name, _("Trưởng ban") if m.is_head else _("Thành viên"))
                for i, m in enumerate(members, start=1)
            ),
            frozenset({0}),
            (1, 6, 3),
        ),
        Para(_("II. SỐ LƯỢNG CẦN BẦU VÀ DANH SÁCH BẦU CỬ"), bold=True, indent=False),
    ]
    seats_text = _("Số lượng cần bầu: %(seats)s.") % {"seats": r["seats"]}
    motion = _seats_motion(election)
    if motion is not None and election.round == 1:
        seats_text += " " + _("Theo biểu quyết của Đại hội “%(title)s”: tán thành %(yes)s/%(base)s.") % {
            "title": motion.title,
            "yes": motion.yes,
            "base": motion.base,
        }
    elif election.round > 1:
        seats_text += " " + _("Số chỗ còn trống sau lần bầu trước, theo quyết định của Đại hội.")
    blocks.append(Para(seats_text))
    if r.get("alternates"):
        blocks.append(Para(_("Số đại biểu dự khuyết cần bầu (cùng phiếu): %(n)s.") % {"n": r["alternates"]}))
    blocks.append(
        Para(_("Danh sách bầu cử (theo thứ tự trên phiếu bầu) gồm %(n)s người:") % {"n": len(names)})
    )
    blocks.append(
        Table(
            (_("STT"), _("Họ và tên")),
            tuple((str(i), c["name"]) for i, c in enumerate(_listed(election, r), start=1)),
            frozenset({0}),
            (1, 9),
        )
    )
    convened_count = convened(congress)
    present = election.present_at_vote
    blocks += [
        Para(_("III. SỐ ĐẠI BIỂU VÀ SỐ PHIẾU"), bold=True, indent=False),
        Para(_("Số đại biểu được triệu tập: %(n)s.") % {"n": convened_count}),
        Para(
            _("Số đại biểu làm cơ sở tính kết quả (N): %(n)s. %(how)s")
            % {"n": r["base"], "how": election.base_explanation}
        ),
    ]
    if present is not None:
        blocks.append(Para(_("Số đại biểu có mặt khi bỏ phiếu: %(n)s.") % {"n": present}))
        blocks.append(Para(_("Số đại biểu vắng mặt: %(n)s.") % {"n": max(0, convened_count - present)}))
    blocks += [
        Table(
            (_("Số phiếu"), _("Số lượng")),
            (
                (_("Phát ra"), str(b["issued"])),
                (_("Thu vào"), str(b["received"])),
                (_("Hợp lệ"), str(b["valid"])),
                (_("Không hợp lệ"), str(b["invalid"])),
                *(
                    ("    " + _("trong đó: %(reason)s") % {"reason": REASON_LABELS.get(code, code)}, str(n))
                    for code, n in b["invalid_by_reason"].items()
                ),
            ),
            frozenset({1}),
            (7, 3),
        ),
    ]
    electronic = _electronic_statement(election)
    if electronic:
        blocks.append(Para(electronic))
    blocks += [
        Para(_("IV. KẾT QUẢ KIỂM PHIẾU (theo thứ tự trong danh sách bầu cử)"), bold=True, indent=False),
        Table(
            (_("STT"), _("Họ và tên"), _("Số phiếu bầu"), _("Tỷ lệ % so với N"), _("Kết quả")),
            tuple(
                (
                    str(i),
                    c["name"],
                    str(c["votes"]),
                    c["percent"],
                    _result_label(
                        "elected_alternate" if alternates_round and c["result"] == "elected" else c["result"]
                    ),
                )
                for i, c in enumerate(_listed(election, r), start=1)
            ),
            frozenset({0, 2, 3}),
            (1, 5, 2, 2, 3),
        ),
        Para(
            _(
                "Tỷ lệ phần trăm tính trên N = %(base)s, làm tròn hai chữ số thập phân (làm tròn lên từ 5). "
                "Người trúng cử phải có số phiếu bầu quá một nửa so với N."
            )
            % {"base": r["base"]}
        ),
        Para(
            _("V. NHỮNG NGƯỜI TRÚNG CỬ DỰ KHUYẾT (theo thứ tự thay thế)")
            if alternates_round
            else _("V. NHỮNG NGƯỜI TRÚNG CỬ (theo số phiếu từ cao xuống)"),
            bold=True,
            indent=False,
        ),
    ]
    by_id = {c["id"]: c for c in r["candidates"]}
    elected = [
        (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), by_id[cid]["percent"])
        for i, cid in enumerate(r["elected"], start=1)
    ]
    blocks.append(
        Table(
            (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ %")),
            tuple(elected),
            frozenset({0, 2, 3}),
            (1, 6, 2, 2),
        )
        if elected
        else Para(_("Không có người trúng cử."))
    )
    if r.get("alternates"):
        alternates = [
            (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), by_id[cid]["percent"])
            for i, cid in enumerate(r["elected_alternates"], start=1)
        ]
        blocks.append(Para(_("Những người trúng cử dự khuyết (theo thứ tự thay thế):"), indent=False))
        blocks.append(
            Table(
                (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ %")),
                tuple(alternates),
                frozenset({0, 2, 3}),
                (1, 6, 2, 2),
            )
            if alternates
            else Para(_("Không có người trúng cử dự khuyết."))
        )
    blocks.append(Para(_("Số chỗ còn trống: %(n)s.") % {"n": r["unfilled_seats"]}))
    next_round = _next_round_text(r, names)
    if next_round:
        blocks.append(Para(next_round, bold=True))
    blocks += [
        Para(
            _(
                "Biên bản lập xong vào lúc %(at)s, đã đọc lại cho Ban Kiểm phiếu cùng nghe, nhất trí và ký tên."
            )
            % {"at": at_time(election.certified_at)}
        ),
        Signatures(_signers(members)),
    ]
    return Document(
        filename=f"bien-ban-kiem-phieu-{election.pk}",
        title=_("Biên bản kiểm phiếu"),
        blocks=tuple(blocks),
        meta={"election": election.pk},
    )


@producer("announcement")
def announcement(election: Election) -> Document:
    """The result the head of the counting committee reads to the congress."""
    r = _require_result(election)
    congress = election.congress
    b = r["ballots"]
    names = {c["id"]: c["name"] for c in r["candidates"]}
    by_id = {c["id"]: c for c in r["candidates"]}
    members = counting_members(election)
    head = next((m for m in members if m.is_head), None)
    blocks: list[Block] = [
        header(congress, _("BAN KIỂM PHIẾU"), election.certified_at),
        Title(_("THÔNG BÁO KẾT QUẢ BẦU CỬ"), (election.title, congress_line(congress))),
        Para(
            _(
                "Số phiếu phát ra: %(issued)s; thu vào: %(received)s; hợp lệ: %(valid)s; không hợp lệ: %(invalid)s. "
                "Cơ sở tính N = %(base)s."
            )
            % {**b, "base": r["base"]}
        ),
        Para(_("Những người trúng cử (theo số phiếu từ cao xuống):"), bold=True, indent=False),
        Table(
            (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ % so với N")),
            tuple(
                (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), by_id[cid]["percent"])
                for i, cid in enumerate(r["elected"], start=1)
            ),
            frozenset({0, 2, 3}),
            (1, 6, 2, 3),
        ),
    ]
    if r.get("elected_alternates"):
        blocks.append(
            Para(_("Những người trúng cử dự khuyết (theo thứ tự thay thế):"), bold=True, indent=False)
        )
        blocks.append(
            Table(
                (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ % so với N")),
                tuple(
                    (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), by_id[cid]["percent"])
                    for i, cid in enumerate(r["elected_alternates"], start=1)
                ),
                frozenset({0, 2, 3}),
                (1, 6, 2, 3),
            )
        )
    next_round = _next_round_text(r, names)
    if next_round:
        blocks.append(Para(next_round, bold=True))
    electronic = _electronic_statement(election)
    if electronic:
        blocks.append(Para(electronic))
    signer = (("T/M BAN KIỂM PHIẾU\nTRƯỞNG BAN", head.delegate.full_name),) if head else ()
    blocks.append(Signatures(signer))
    return Document(
        filename=f"thong-bao-ket-qua-{election.pk}",
        title=_("Thông báo kết quả bầu cử"),
        blocks=tuple(blocks),
        meta={"election": election.pk},
    )


def _motion_facts(motion: Motion) -> dict[str, Any]:
    """Part A's `motion_minutes` when available, else the Motion's own fields."""
    try:
        from daihoi.voting.actions.motions import motion_minutes
    except ImportError:  # pragma: no cover - until part A's module lands
        motion_minutes = None
    if motion_minutes is not None:
        return motion_minutes(motion)
    return {"motion": {"title": motion.title}, "figures": {}, "roll": []}


@producer("motion_minutes")
def motion_document(motion: Motion) -> Document:
    """The minutes of one motion: counts with percents of N and the test applied (P4), by the core."""
    congress = motion.congress
    if motion.status != Motion.Status.CLOSED:
        from daihoi.congress.errors import ActionError

        raise ActionError("motion_not_closed", _("Nội dung này chưa biểu quyết xong."))
    facts = _motion_facts(motion)
    f = facts.get("figures") or {}
    outcome = decide_motion(
        yes=motion.yes or 0,
        no=motion.no or 0,
        abstain=motion.abstain or 0,
        base=motion.base or 0,
        ruleset=congress.rules,
        special=motion.is_special,
    )
    present = motion.present
    blocks: list[Block] = [
        header(congress, _("ĐOÀN CHỦ TỊCH"), motion.closed_at),
        Title(_("BIÊN BẢN BIỂU QUYẾT"), (motion.title, congress_line(congress))),
        Para(
            _("Vào lúc %(at)s, Đại hội biểu quyết nội dung: “%(title)s”, hình thức: %(method)s.")
            % {"at": at_time(motion.closed_at), "title": motion.title, "method": motion.get_method_display()}
        ),
        Para(
            _("Số đại biểu làm cơ sở tính (N): %(base)s. %(how)s")
            % {"base": motion.base, "how": f.get("base_explanation") or ""}
        ),
    ]
    if present is not None:
        blocks.append(Para(_("Số đại biểu có mặt khi biểu quyết: %(n)s.") % {"n": present}))
    blocks.append(
        Table(
            (_("Ý kiến"), _("Số đại biểu"), _("Tỷ lệ % so với N")),
            (
                (_("Tán thành"), str(outcome.yes), outcome.yes_percent),
                (_("Không tán thành"), str(outcome.no), outcome.no_percent),
                (_("Không biểu quyết"), str(outcome.abstain), outcome.abstain_percent),
            ),
            frozenset({1, 2}),
            (5, 2, 3),
        )
    )
    verdict = _("THÔNG QUA") if outcome.passed else _("KHÔNG THÔNG QUA")
    blocks.append(
        Para(
            _("Kết quả: %(verdict)s (%(test)s).") % {"verdict": verdict, "test": outcome.threshold}, bold=True
        )
    )
    roll = facts.get("roll") or []
    if roll:
        blocks.append(Para(_("Danh sách biểu quyết công khai:"), bold=True, indent=False))
        blocks.append(
            Table(
                (_("Số"), _("Họ và tên"), _("Ý kiến")),
                tuple((str(v["number"]), v["full_name"], v["choice_label"]) for v in roll),
                frozenset({0}),
                (1, 6, 3),
            )
        )
    blocks.append(Signatures(((_("T/M ĐOÀN CHỦ TỊCH"), ""), (_("THƯ KÝ ĐẠI HỘI"), ""))))
    return Document(
        filename=f"bien-ban-bieu-quyet-{motion.pk}",
        title=_("Biên bản biểu quyết"),
        blocks=tuple(blocks),
        meta={"motion": motion.pk},
    )


def produce(name: str, obj: Any) -> Document:
    return PRODUCERS[name](obj)


# --- renderers --------------------------------------------------------------------------------------


def render_pdf(doc: Document) -> bytes:
    """The document as PDF (WeasyPrint; fonts embedded)."""
    from weasyprint import HTML

    html = render_to_string(
        "voting/pdf/document.html", {"doc": doc, "blocks": _tagged(doc.blocks), "font": FONT_CSS}
    )
    return HTML(string=html).write_pdf()


def _tagged(blocks: Sequence[Block]) -> list[tuple[str, Block]]:
    return [(type(b).__name__.lower(), b) for b in blocks]


def render_docx(doc: Document) -> bytes:
    """The document as DOCX (python-docx), Times New Roman 13, A4, official margins."""
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = Docx()
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = d.styles["Normal"]
    style.font.name = FONT_DOCX
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_DOCX)
    style.paragraph_format.space_after = Pt(3)

    def para(container: Any, text: str, *, bold: bool = False, center: bool = False, size: int = 13,
             italic: bool = False, underline: bool = False) -> Any:  # fmt: skip
        p = container.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(text.split("\n")):
            if i:
                p.add_run().add_break()
            run = p.add_run(line)
            run.bold, run.italic, run.underline = bold, italic, underline
            run.font.size = Pt(size)
            run.font.name = FONT_DOCX
        return p

    for block in doc.blocks:
        if isinstance(block, Header):
            t = d.add_table(rows=1, cols=2)
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            left, right = t.rows[0].cells
            left.paragraphs[0].text = ""
            for i, line in enumerate(block.left):
                para(left, line, bold=i > 0, center=True, size=13)
            for i, line in enumerate(block.right):
                para(
                    right,
                    line,
                    bold=True,
                    center=True,
                    size=13 if i == 0 else 14,
                    underline=i == len(block.right) - 1,
                )
            para(right, block.place_date, italic=True, center=True, size=13)
        elif isinstance(block, Title):
            para(d, block.text, bold=True, center=True, size=14)
            for line in block.subtitle:
                para(d, line, bold=True, center=True, size=13)
        elif isinstance(block, Para):
            p = para(d, block.text, bold=block.bold)
            if block.indent:
                p.paragraph_format.first_line_indent = Cm(1)
        elif isinstance(block, Table):
            t = d.add_table(rows=1, cols=len(block.header))
            t.style = "Table Grid"
            for i, h in enumerate(block.header):
                cell = t.rows[0].cells[i]
                cell.paragraphs[0].text = ""
                run = cell.paragraphs[0].add_run(h)
                run.bold = True
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for row in block.rows:
                cells = t.add_row().cells
                for i, value in enumerate(row):
                    cells[i].paragraphs[0].text = value
                    if i in block.numeric:
                        cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.widths:
                total = sum(block.widths)
                for row in t.rows:
                    for i, w in enumerate(block.widths):
                        row.cells[i].width = Cm(16.5 * w / total)
            d.add_paragraph()
        elif isinstance(block, Signatures):
            signers = list(block.signers)
            rows = (len(signers) + 1) // 2
            t = d.add_table(rows=rows, cols=2)
            for n, (role, name) in enumerate(signers):
                cell = t.rows[n // 2].cells[n % 2]
                cell.paragraphs[0].text = ""
                para(cell, role, bold=True, center=True)
                para(cell, _("(Ký, ghi rõ họ tên)"), italic=True, center=True, size=12)
                para(cell, "\n\n")
                para(cell, name, bold=True, center=True)
    out = io.BytesIO()
    d.core_properties.title = doc.title
    d.save(out)
    return out.getvalue()


RENDERERS: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


# --- the printable paper ballot (P10) ----------------------------------------------------------------


def ballot_context(election: Election, *, page: str = "A5") -> dict[str, Any]:
    from daihoi.voting.actions.counting import ballot_list

    congress = election.congress
    listed: list[Candidate] = ballot_list(election)
    places = (election.seats or 0) + election.alternates
    no_surplus = len(listed) <= places
    root_title = election.title
    if root_title.lower().startswith("bầu "):  # "Bầu Ban Chấp hành..." → "PHIẾU BẦU CỬ / Ban Chấp hành..."
        root_title = root_title[4:5].upper() + root_title[5:]
    return {
        "election": election,
        "congress": congress,
        "page": "A4" if page.upper() == "A4" else "A5",
        "font": FONT_CSS,
        "committee": upper(congress.organization.name),
        "congress_line": upper(congress_line(congress)),
        "is_party": congress.rules == "party",
        "title": root_title,
        "term": _("nhiệm kỳ %(term)s") % {"term": congress.term},
        "candidates": [(i, c.full_name) for i, c in enumerate(listed, start=1)],
        "places": places,
        "no_surplus": no_surplus,
        "round": election.round,
        "long": page.upper() != "A4" and len(listed) > 10,
    }


def render_ballot_pdf(election: Election, *, page: str = "A5") -> bytes:
    from weasyprint import HTML

    html = render_to_string("voting/pdf/ballot.html", ballot_context(election, page=page))
    return HTML(string=html).write_pdf()


# --- ballots for anyone to re-count (shared/rules/tally-format.md) -------------------------------------
# Paper ballots keep their paper numbers. Electronic ballots are written in random-key order and numbered
# E1, E2... for this export only: no voter, no database id, nothing in casting order.


@dataclass(frozen=True)
class Export:
    candidates_csv: str
    ballots_csv: str
    command: list[str]  # the `daihoi tally` arguments that re-count it (file names relative)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[safe_cell(v) for v in row] for row in rows])  # names are data, never formulas
    return out.getvalue()


def _cell(mark: int | None) -> str:
    return "" if mark is None else str(mark)


def export_election(election: Election) -> Export:
    g = gather(election)
    ids = [c.id for c in g.election.candidates]
    candidates = _csv([["id", "name"], *([c.id, c.name] for c in g.election.candidates)])
    ballots = _csv(
        [
            ["ballot", "invalid_reason", *ids],
            *([b.id, b.invalid_reason or "", *map(_cell, b.marks)] for b in g.ballots),
        ]
    )
    command = ["daihoi", "tally", "--rules", g.election.ruleset.name, "--seats", str(g.election.seats)]
    if g.election.base is not None:
        command += ["--base", str(g.election.base)]
    if g.election.alternates:
        command += ["--alternates", str(g.election.alternates)]
    if g.issued is not None:
        command += ["--issued", str(g.issued)]
    command += ["--candidates", "candidates.csv", "--ballots", "ballots.csv"]
    return Export(candidates, ballots, command)


README = """Election {pk}: {title}
Re-count with (from this folder):

    {command}

The result must equal result.json (the certified result), except where a tie round was decided
without the majority test (see the minutes).
"""


def write_dir(election: Election, directory: Path) -> Export:
    exp = export_election(election)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "candidates.csv").write_text(exp.candidates_csv, encoding="utf-8")
    (directory / "ballots.csv").write_text(exp.ballots_csv, encoding="utf-8")
    (directory / "README.txt").write_text(
        README.format(pk=election.pk, title=election.title, command=shlex.join(exp.command)), encoding="utf-8"
    )
    if election.result:
        (directory / "result.json").write_text(
            json.dumps(election.result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return exp


def zip_bytes(election: Election) -> bytes:
    exp = export_election(election)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("candidates.csv", exp.candidates_csv)
        z.writestr("ballots.csv", exp.ballots_csv)
        z.writestr(
            "README.txt", README.format(pk=election.pk, title=election.title, command=shlex.join(exp.command))
        )
        if election.result:
            z.writestr("result.json", json.dumps(election.result, ensure_ascii=False, indent=2) + "\n")
    return out.getvalue()
