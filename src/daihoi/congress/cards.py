"""Printable delegate cards: A6 cards, four to an A4 page, each with a QR code of the sign-in link.

The QR code encodes `<hall address>/d/<code>/`, the link that signs the delegate in on a phone; the
hall address is the congress's setting (what phones in the hall open), never the address of the machine
that printed the cards, and cards are refused while it is a loopback address. The code is printed too,
in groups, for typing by hand. Fonts come from the system (fontconfig) and are
embedded by WeasyPrint, so Vietnamese prints the same on any printer.
"""

from __future__ import annotations

import ipaddress
import itertools
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from daihoi.congress.models import Congress, Delegate, Guest

CARDS_PER_PAGE = 4
# A4 is 297 mm tall; two A6 cards (148 mm) leave 1 mm, shared as a top margin.
_POSITIONS = (("0mm", "0.5mm"), ("105mm", "0.5mm"), ("0mm", "148.5mm"), ("105mm", "148.5mm"))


def hall_address(congress: Congress) -> str:
    """The address phones open: the congress's setting, else the site's DAIHOI_HALL_ADDRESS, else ''."""
    address = congress.hall_address or str(getattr(settings, "DAIHOI_HALL_ADDRESS", "") or "")
    return address.rstrip("/")


def is_loopback(address: str) -> bool:
    """True for an address no other device can open (127.x, ::1, localhost), or no address at all."""
    host = urlsplit(address).hostname or ""
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False  # a name (hoitruong.local): the hall's own DNS answers for it


def sign_in_url(congress: Congress, code: str) -> str:
    """What a card's QR code holds: the hall address and the sign-in path of `code`."""
    return hall_address(congress) + reverse("delegate_card", args=[code])


def lan_addresses() -> list[str]:
    """This server's IPv4 addresses on its local networks (not loopback), found without sending a packet:
    the host name's addresses, and the kernel's table of local addresses (/proc/net/fib_trie)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    try:
        lines = Path("/proc/net/fib_trie").read_text().splitlines()
    except OSError:
        lines = []
    for previous, line in itertools.pairwise(lines):
        if line.strip() == "/32 host LOCAL":
            found.add(previous.strip().removeprefix("|-- ").strip())
    usable = []
    for raw in found:
        try:
            ip = ipaddress.IPv4Address(raw)
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local or ip.is_multicast):
            usable.append(ip)
    # Private (LAN) addresses first: those are what a hall's Wi-Fi hands out.
    return [str(ip) for ip in sorted(usable, key=lambda ip: (not ip.is_private, ip))]


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


def guest_card_context(guest: Guest) -> dict[str, Any]:
    """A guest's card: the QR code holds only the code (a guest signs in nowhere; the desk scans it)."""
    return {
        "is_guest": True,
        "full_name": guest.full_name,
        "unit": ", ".join(part for part in (guest.title, guest.organization_name) if part),
        "code": group_code(guest.code),
        "url": guest.code,
        "qr": qr_data_uri(guest.code),
    }


def render_guest_cards_pdf(congress: Congress, guests: Sequence[Guest]) -> bytes:
    return _pdf(_render([guest_card_context(g) for g in guests], congress))


def render_cards_html(
    congress: Congress, delegates: Sequence[Delegate], sign_in_url: Callable[[str], str]
) -> str:
    return _render([card_context(d, sign_in_url(d.code)) for d in delegates], congress)


def _render(cards: list[dict[str, Any]], congress: Congress) -> str:
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
    return _pdf(render_cards_html(congress, delegates, sign_in_url))


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)
