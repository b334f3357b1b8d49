"""The `motion` and `election` sections of the public congress state (what the projector shows).

Only public facts: while a vote is open, how many have answered out of those present, never what and
never who. A motion's counts appear once it is closed; an election shows no figure but the count of
electronic ballots cast until the `result` section (`voting.actions.counting`) shows the released result.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from daihoi.congress.live import register_event, register_section
from daihoi.congress.models import Congress
from daihoi.rules.figures import percent
from daihoi.voting.actions import counting  # noqa: F401  (registers the `result` section)
from daihoi.voting.actions.motions import present_voters, vote_count
from daihoi.voting.models import Candidate, Election, Motion


def motion_state(m: Motion, congress: Congress) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m.pk,
        "title": m.title,
        "kind": m.kind,
        "method": m.method,
        "method_label": str(m.get_method_display()),
        "status": m.status,
        "status_label": str(m.get_status_display()),
    }
    if m.status == Motion.Status.OPEN:
        electronic = m.method != Motion.Method.SHOW_OF_HANDS
        out["voted"] = vote_count(m) if electronic else None
        out["eligible"] = present_voters(congress)  # also in the attendance event (below)
    elif m.status == Motion.Status.COUNTING:
        # Closed, waiting for the key holders to decrypt: how many answered, never what.
        out["voted"] = vote_count(m)
        out["eligible"] = m.present
    elif m.status == Motion.Status.CLOSED:
        base = m.base or 0
        out.update(
            {
                "voted": (m.yes or 0) + (m.no or 0) + (m.abstain or 0),
                "eligible": m.present,
                "base": m.base,
                "present": m.present,
                "yes": m.yes,
                "no": m.no,
                "abstain": m.abstain,
                "yes_percent": percent(m.yes or 0, base),
                "no_percent": percent(m.no or 0, base),
                "abstain_percent": percent(m.abstain or 0, base),
                "is_passed": m.is_passed,
                "outcome": m.outcome,
            }
        )
    return out


@register_section("motion")
def motion_section(congress: Congress) -> dict[str, Any] | None:
    """The open motion; when none is open, the last one closed (its result stays up until the next)."""
    m = congress.motions.filter(status=Motion.Status.OPEN).order_by("-opened_at", "-pk").first()
    if m is not None:
        return motion_state(m, congress)
    m = (
        congress.motions.filter(status__in=[Motion.Status.CLOSED, Motion.Status.COUNTING])
        .order_by("-closed_at", "-pk")
        .first()
    )
    if m is None or m.closed_at is None:
        return None
    # An election opened or certified since then takes the screen.
    later = Q(opened_at__gt=m.closed_at) | Q(certified_at__gt=m.closed_at)
    if Election.objects.filter(later, congress=congress).exists():
        return None
    return motion_state(m, congress)


def voted_electronic(e: Election) -> int | None:
    """How many electronic ballots were cast: the count of participations (never who, never what)."""
    return e.participations.count() if e.allows_electronic else None


@register_section("election")
def election_section(congress: Congress) -> dict[str, Any] | None:
    """The election being voted on, or else the one being counted: its status and how many electronic
    ballots were cast (the count of participations: never who, never what)."""
    e = (
        Election.objects.filter(congress=congress, status=Election.Status.OPEN)
        .order_by("-opened_at", "-pk")
        .first()
        or Election.objects.filter(congress=congress, status=Election.Status.CLOSED)
        .order_by("-closed_at", "-pk")
        .first()
    )
    if e is None:
        return None
    return {
        "id": e.pk,
        "title": e.title,
        "round": e.round,
        "status": e.status,
        "status_label": str(e.get_status_display()),
        "seats": e.seats,
        "alternates": e.alternates,
        "candidates": e.candidates.filter(status=Candidate.Status.ON_LIST).count(),
        "allows_paper": e.allows_paper,
        "allows_electronic": e.allows_electronic,
        "voted_electronic": voted_electronic(e),
        "present_at_vote": e.present_at_vote,
        "base": e.base,
    }


@register_event("count")
def count_event(congress: Congress, election_id: int) -> dict[str, Any]:
    """A cast's event: the election's count of electronic ballots, as its section shows it."""
    e = Election.objects.only("pk", "allows_electronic").get(pk=election_id, congress=congress)
    return {"election": e.pk, "voted": voted_electronic(e)}


@register_event("motion_count")
def motion_count_event(congress: Congress, motion_id: int) -> dict[str, Any]:
    """An answer's event on an electronic (anonymous or named) motion: how many have answered, as its
    section shows it; never who or what."""
    m = Motion.objects.only("pk", "method").get(pk=motion_id, congress=congress)
    return {"motion": m.pk, "voted": vote_count(m)}


@register_event("attendance")
def eligible_event(congress: Congress, _arg: int) -> dict[str, Any]:
    """A check-in changes how many may vote on the open motion (the section's `eligible`)."""
    if not congress.motions.filter(status=Motion.Status.OPEN).exists():
        return {}
    return {"eligible": present_voters(congress)}
