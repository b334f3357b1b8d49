"""The open elections and motions on the delegate's phone home, and the `open` live section.

`open` holds only which elections and motions are open (ids, public): the phone refetches its home when
that changes, not at every ballot another delegate casts.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from daihoi.congress.errors import ActionError
from daihoi.congress.live import register_section
from daihoi.congress.models import Congress, Delegate
from daihoi.congress.phone import OpenItem, register_provider
from daihoi.voting.actions import ballots
from daihoi.voting.actions.motions import delegate_motions
from daihoi.voting.models import Election, Motion


@register_section("open")
def open_section(congress: Congress) -> dict[str, Any]:
    """The ids of the elections and motions open now."""
    return {
        "elections": list(
            Election.objects.filter(congress=congress, status=Election.Status.OPEN)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "motions": list(
            congress.motions.filter(status=Motion.Status.OPEN).order_by("pk").values_list("pk", flat=True)
        ),
    }


@register_provider
def open_elections(congress: Congress, delegate: Delegate) -> list[OpenItem]:
    items = []
    elections = Election.objects.filter(congress=congress, status=Election.Status.OPEN).order_by(
        "opened_at", "pk"
    )
    for e in elections:
        url: str | None = None
        note: Any = ""
        recorded = ballots.has_voted(e, delegate)
        if not recorded:
            try:
                ballots.check_electronic_allowed(e, congress)
                ballots.check_may_cast(e, delegate)
                url = reverse("delegate_ballot", args=[congress.slug, e.pk])
            except ActionError as refusal:
                note = refusal.message
        items.append(OpenItem("election", e.pk, e.title, url, recorded, note))
    return items


@register_provider
def open_motions(congress: Congress, delegate: Delegate) -> list[OpenItem]:
    items = []
    mine = delegate_motions(congress, delegate)
    m = mine["open"]
    if m is not None:
        recorded = bool(mine["has_voted_open"])
        url = None if recorded else reverse("delegate_motions", args=[congress.slug])
        items.append(OpenItem("motion", m.pk, m.title, url, recorded))
    hands = congress.motions.filter(status=Motion.Status.OPEN, method=Motion.Method.SHOW_OF_HANDS)
    for h in hands.order_by("opened_at", "pk"):
        note = _("Biểu quyết bằng giơ thẻ tại hội trường.")
        items.append(OpenItem("motion", h.pk, h.title, None, False, note))
    return items
