"""The links from an election's page and a motion's page to the counting pages and documents.

Who is shown a link is read from the gate of the view it points to (`congress_view` marks each view with
its roles and congress states), so access is stated once, there. When a link makes sense is said here,
from the election's or the motion's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from daihoi.congress.access import Actor
from daihoi.congress.models import Congress
from daihoi.voting.models import Election, Motion

S = Election.Status


@dataclass(frozen=True)
class PageLink:
    key: str  # stable, for tests and styling (one URL name may give two links)
    name: str  # the URL name
    label: Any
    makes_sense: Callable[[Any], bool]
    query: str = ""


def gate_allows(url: str, actor: Actor, congress: Congress) -> bool:
    """Whether the gate of the view at `url` lets `actor` in while `congress` is in its current state."""
    view = resolve(url).func
    roles = getattr(view, "daihoi_roles", None)
    if not roles or not actor.has(*roles):
        return False
    states = getattr(view, "daihoi_states", None)
    return states is None or congress.state in states


def _certified(e: Election) -> bool:
    return e.status == S.CERTIFIED


ELECTION_LINKS: tuple[PageLink, ...] = (
    # Ballots are printed once the list (and so its order, P10) is approved, until the vote ends.
    PageLink(
        "paper_ballot_pdf",
        "paper_ballot_pdf",
        _("In phiếu bầu (A5)"),
        lambda e: e.allows_paper and e.status in (S.LIST_APPROVED, S.OPEN),
    ),
    PageLink(
        "paper_ballot_pdf_a4",
        "paper_ballot_pdf",
        _("In phiếu bầu (A4)"),
        lambda e: e.allows_paper and e.status in (S.LIST_APPROVED, S.OPEN),
        "?page=a4",
    ),
    PageLink(
        "election_key",
        "election_key",
        _("Khóa mã hóa của Ban Kiểm phiếu"),
        lambda e: e.allows_electronic and e.status in (S.PREPARING, S.LIST_APPROVED, S.CLOSED),
    ),
    PageLink(
        "election_not_voted",
        "election_not_voted",
        _("Đại biểu chưa bỏ phiếu điện tử"),
        lambda e: e.allows_electronic and e.status in (S.OPEN, S.CLOSED),
    ),
    # Paper ballots are entered once the vote is closed; the agreed batches stay readable afterwards.
    PageLink(
        "paper_batches",
        "paper_batches",
        _("Nhập phiếu giấy"),
        lambda e: e.allows_paper and e.status in (S.CLOSED, S.CERTIFIED),
    ),
    PageLink("count_page", "count_page", _("Kiểm phiếu"), lambda e: e.status in (S.CLOSED, S.CERTIFIED)),
    PageLink("minutes_pdf", "minutes_pdf", _("Biên bản kiểm phiếu (PDF)"), _certified),
    PageLink("minutes_docx", "minutes_docx", _("Biên bản kiểm phiếu (DOCX)"), _certified),
    PageLink("announcement_pdf", "announcement_pdf", _("Thông báo kết quả (PDF)"), _certified),
    PageLink("announcement_docx", "announcement_docx", _("Thông báo kết quả (DOCX)"), _certified),
    PageLink("ballots_zip", "ballots_zip", _("Dữ liệu phiếu bầu (CSV, để kiểm lại)"), _certified),
    PageLink(
        "election_receipts",
        "election_receipts",
        _("Danh sách mã phiếu và hồ sơ cuộc bầu cử"),
        lambda e: e.allows_electronic and e.status == S.CERTIFIED,
    ),
)

MOTION_LINKS: tuple[PageLink, ...] = (
    PageLink(
        "motion_minutes_pdf",
        "motion_minutes_pdf",
        _("Biên bản biểu quyết (PDF)"),
        lambda m: m.status == Motion.Status.CLOSED,
    ),
    PageLink(
        "motion_minutes_docx",
        "motion_minutes_docx",
        _("Biên bản biểu quyết (DOCX)"),
        lambda m: m.status == Motion.Status.CLOSED,
    ),
    PageLink(
        "motion_minutes_json",
        "motion_minutes_json",
        _("Số liệu biên bản (JSON)"),
        lambda m: m.status == Motion.Status.CLOSED,
    ),
)


def _links(
    obj: Any, links: tuple[PageLink, ...], actor: Actor, congress: Congress, **kwargs: Any
) -> list[dict[str, Any]]:
    out = []
    for link in links:
        if not link.makes_sense(obj):
            continue
        url = reverse(link.name, kwargs={"slug": congress.slug, **kwargs})
        if gate_allows(url, actor, congress):
            out.append({"key": link.key, "label": link.label, "url": url + link.query})
    return out


def election_links(election: Election, actor: Actor, congress: Congress) -> list[dict[str, Any]]:
    """The counting pages and documents of `election` that make sense now and that `actor` may open."""
    return _links(election, ELECTION_LINKS, actor, congress, election_id=election.pk)


def motion_links(motion: Motion, actor: Actor, congress: Congress) -> list[dict[str, Any]]:
    """The minutes of `motion` (once closed), as far as `actor` may open them."""
    return _links(motion, MOTION_LINKS, actor, congress, motion_id=motion.pk)
