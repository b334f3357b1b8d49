"""Printable delegate cards: A6 cards, four to an A4 page, each with a QR code of the sign-in link.

The QR code encodes `<scheme>://<host>/d/<code>/`, the link that signs the delegate in on a phone; the
code is printed too, in groups, for typing by hand. Fonts come from the system (fontconfig) and are
embedded by WeasyPrint, so Vietnamese prints the same on any printer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.template.loader import render_to_string

from daihoi.congress.models import Congress, Delegate

CARDS_PER_PAGE = 4
# A4 is 297 mm tall; two A6 cards (148 mm) leave 1 mm, shared as a top margin.
_POSITIONS = (("0mm", "0.5mm"), ("105mm", "0.5mm"), ("0mm", "148.5mm"), ("105mm", "148.5mm"))


def group_code(code: str) -> str:
    """'ABCDEFGHJK' -> 'ABCDE FGHJK': short groups are easier to read out and type."""
    size = 5 if len(code) % 5 == 0 else 4
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data URI (medium error correction: cards get bent and scratched)."""
    import segno

    return segno.make_qr(url, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")


def card_context(delegate: Delegate, sign_in_url: str) -> dict[str, Any]:
    return {
        "delegate": delegate,
        "number": delegate.number,
        "full_name": delegate.full_name,
        "unit": delegate.unit.name if delegate.unit else "",
        "seat": delegate.seat_number,
        "code": group_code(delegate.code),
        "url": sign_in_url,
        "qr": qr_data_uri(sign_in_url),
    }


def render_cards_html(
    congress: Congress, delegates: Sequence[Delegate], sign_in_url: Callable[[str], str]
) -> str:
    cards = [card_context(d, sign_in_url(d.code)) for d in delegates]
    pages = []
    for start in range(0, len(cards), CARDS_PER_PAGE):
        chunk = cards[start : start + CARDS_PER_PAGE]
        pages.append(
            [{**card, "left": _POSITIONS[i][0], "top": _POSITIONS[i][1]} for i, card in enumerate(chunk)]
        )
    return render_to_string("congress/roll/cards.html", {"congress": congress, "pages": pages})


def render_cards_pdf(
    congress: Congress, delegates: Sequence[Delegate], sign_in_url: Callable[[str], str]
) -> bytes:
    """One PDF: ceil(n/4) A4 pages of A6 cards with thin cut lines."""
    from weasyprint import HTML

    html = render_cards_html(congress, delegates, sign_in_url)
    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)
