"""Shared wording of the official documents: the P16 header, date lines, roman ordinals, result words,
numbers in the reader's format and the audit chain's anchor line."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daihoi.audit.models import Anchor
from daihoi.congress.models import Congress
from daihoi.congress.wording import kind_of
from daihoi.voting.documents.blocks import Header, Para
from daihoi.voting.models import CountingMember
from daihoi.web.numbers import format_number, localize_figures


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


PARTY = "party"
LOCALITY_WORDS = (
    "phường",
    "xã",
    "thị trấn",
    "đặc khu",
    "quận",
    "huyện",
    "thị xã",
    "thành phố",
    "tỉnh",
    "tp.",
)
PARTY_PREFIXES = ("Đảng bộ ", "Chi bộ ", "Đảng ủy ")


def organization_kind(congress: Congress) -> str:
    """The holding organization's kind (party, youth_union, trade_union, shareholders, other), from its
    one home, `congress.wording.kind_of`."""
    return kind_of(congress)


def is_party(congress: Congress) -> bool:
    return organization_kind(congress) == PARTY


def _locality(text: str) -> str | None:
    """The part of a name that is a place ("Đoàn TNCS Hồ Chí Minh phường Bến Nghé" → "Phường Bến Nghé")."""
    low = text.lower()
    best: int | None = None
    for word in LOCALITY_WORDS:
        at = low.find(word + " ")
        while at > 0 and low[at - 1] not in " ,(":
            at = low.find(word + " ", at + 1)
        if at == 0 or at > 0:
            best = at if best is None else min(best, at)
    if best is None:
        return None
    place = text[best:].split(",")[0].split("(")[0].strip()
    return place[:1].upper() + place[1:] if place else None


def place_of(congress: Congress) -> str:
    """The locality named in the date line. A Party body's name without "Đảng bộ"/"Chi bộ" is its locality;
    any other body (a youth union, a trade union, a company) is not a place: the locality is found in its
    name, its venue or its parent's name, and is left out when none says one."""
    org = congress.organization
    explicit = getattr(org, "place", "") or ""
    if explicit.strip():
        return explicit.strip()
    name = org.name.strip()
    if is_party(congress):
        for prefix in PARTY_PREFIXES:
            if name.lower().startswith(prefix.lower()):
                name = name[len(prefix) :]
                break
        return name[:1].upper() + name[1:]
    parent = org.parent.name if org.parent_id and org.parent else ""
    for text in (name, congress.venue or "", parent):
        place = _locality(text) if text else None
        if place:
            return place
    return ""


def date_line(congress: Congress, when: datetime | None) -> str:
    d = timezone.localtime(when) if when else timezone.localtime()
    place = place_of(congress)
    if not place:
        return _("Ngày %(day)02d tháng %(month)02d năm %(year)s") % {
            "day": d.day,
            "month": d.month,
            "year": d.year,
        }
    return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)s") % {
        "place": place,
        "day": d.day,
        "month": d.month,
        "year": d.year,
    }


def _plain(text: str) -> str:
    return " ".join(text.replace("–", "-").replace("—", "-").replace(" - ", "-").lower().split())


def names_term(congress: Congress) -> bool:
    """Whether the congress's name already says its term ("…, nhiệm kỳ 2025–2030")."""
    return f"{congress.term_start}-{congress.term_end}" in _plain(congress.name)


def congress_line(congress: Congress) -> str:
    return _("Đại hội lần thứ %(ordinal)s, nhiệm kỳ %(term)s") % {
        "ordinal": roman(congress.ordinal),
        "term": congress.term,
    }


def congress_title(congress: Congress) -> str:
    """The congress's name with its term, said once: a name that already carries the term is left as is."""
    if names_term(congress):
        return congress.name
    return _("%(name)s, nhiệm kỳ %(term)s") % {"name": congress.name, "term": congress.term}


def header(congress: Congress, body: str, when: datetime | None) -> Header:
    """P16 format: the Party's form for a Party body, the national form for any other organization."""
    org = upper(congress.organization.name)
    if is_party(congress):
        left = (
            org,
            upper(_("Đại hội lần thứ %(ordinal)s") % {"ordinal": roman(congress.ordinal)}),
            body,
            "*",
        )
        right: tuple[str, ...] = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    else:
        left = (org, body)
        right = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc")
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


def result_label(code: str) -> str:
    return str(RESULT_WORDS.get(code, code))


def signers(members: Sequence[CountingMember]) -> tuple[tuple[str, str], ...]:
    return tuple((_("TRƯỞNG BAN") if m.is_head else _("THÀNH VIÊN"), m.delegate.full_name) for m in members)


def number(value: Any) -> str:
    """A figure in the reader's number format (Vietnamese: "80,00"; English: "80.00")."""
    return format_number(value)


def outcome_line(is_passed: bool) -> str:
    """The motion's verdict as stored when the vote closed."""
    verdict = _("THÔNG QUA") if is_passed else _("KHÔNG THÔNG QUA")
    return _("Kết quả: %(verdict)s.") % {"verdict": verdict}


def basis_line(outcome: str) -> str:
    """The outcome text stored at the close: the counts and the test that was actually applied."""
    text = localize_figures(outcome.rstrip(". "))
    return _("Căn cứ (ghi nhận khi kết thúc biểu quyết): %(outcome)s.") % {"outcome": text}


def anchor_paras(anchor: Anchor | None) -> list[Para]:
    """The audit chain's head as anchored at that moment (never recomputed when printing): the short form
    to read out and the full hash to check with `daihoi audit verify --anchor`."""
    if anchor is None:
        return []
    return [
        Para(
            _("Mã nhật ký kiểm toán: %(short)s (mục số %(seq)s).")
            % {"short": anchor.short, "seq": anchor.seq},
            indent=False,
            keep_with_next=True,
        ),
        Para(_("Mã đầy đủ: %(hash)s") % {"hash": anchor.hash}, indent=False, keep_with_next=True),
    ]
