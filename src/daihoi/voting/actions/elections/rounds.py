"""The next round (P13, P14): the open places of a certified result, the motion to hold another round, and
the round itself as a new election."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.voting.actions.counting import alternates_on_ballot, in_ballot_order
from daihoi.voting.actions.elections.candidates import _new_code, _order_and_code
from daihoi.voting.actions.elections.setup import (
    PENDING,
    M,
    _locked,
    _record,
    election_facts,
    electronic_allowed,
)
from daihoi.voting.actions.motions import create_motion
from daihoi.voting.models import Candidate, CountingMember, Election, Motion


def next_round_of(e: Election) -> dict[str, Any] | None:
    """The certified result's open places, with their tier, or None."""
    if e.status != Election.Status.CERTIFIED or not e.result:
        return None
    nr = e.result.get("next_round")
    if not nr:
        return None
    elected = e.result.get("elected") or []
    seats = e.result.get("seats") or e.seats or 0
    on_ballot = alternates_on_ballot(e)
    tier = "alternate" if e.elects_alternates or (on_ballot and len(elected) >= seats) else "official"
    return {**nr, "tier": tier}


def propose_next_round(
    election: Election, *, actor: Actor, tie_round_needs_majority: bool | None = None
) -> Motion:
    """P14: the congress decides by motion whether to hold another round for the open places."""
    with transaction.atomic():
        e = _locked(election)
        nr = next_round_of(e)
        if nr is None:
            raise ActionError("no_next_round", _("Kết quả đã xác nhận không còn chỗ trống cần bầu tiếp."))
        if e.next_rounds.exists():
            raise ActionError("next_round_exists", _("Đã tổ chức bầu lần tiếp theo."))
        if e.motions.filter(kind=M.NEXT_ROUND, status__in=PENDING).exists():
            raise ActionError("motion_pending", _("Đề nghị bầu tiếp đang chờ biểu quyết."))
        names = dict(e.candidates.values_list("code", "full_name"))
        who = ", ".join(names.get(code, code) for code in nr["candidates"])
        why = _("bằng phiếu") if nr["reason"] == "tie" else _("chưa đủ số trúng cử")
        return create_motion(
            e.congress,
            actor=actor,
            kind=M.NEXT_ROUND,
            election=e,
            payload={**nr, "tie_round_needs_majority": tie_round_needs_majority},
            title=(_("Bầu lần %(round)s cho %(seats)s chỗ còn trống (%(why)s) của %(title)s, trong số: %(who)s")
                   % {"round": e.round + 1, "seats": nr["seats"], "why": why, "title": _root(e).title, "who": who})[:500],
        )  # fmt: skip


def _root(e: Election) -> Election:
    while e.previous_round_id is not None:
        e = Election.objects.get(pk=e.previous_round_id)
    return e


def create_next_round(election: Election, *, actor: Actor, motion: Motion | None = None) -> Election:
    """The next round as a new election: the open places, the carried candidates (list approved, in P10
    order), the same counting committee. A tie round needs no majority unless the congress said so (P13)."""
    e = _locked(election)
    nr = next_round_of(e)
    if nr is None:
        raise ActionError("no_next_round", _("Kết quả đã xác nhận không còn chỗ trống cần bầu tiếp."))
    if e.next_rounds.exists():
        raise ActionError("next_round_exists", _("Đã tổ chức bầu lần tiếp theo."))
    payload = (motion.payload if motion else None) or {}
    carried = {c.code: c for c in e.candidates.all()}
    missing = [code for code in nr["candidates"] if code not in carried]
    if missing:
        raise ActionError(
            "unknown_candidates", _("Không tìm thấy ứng cử viên: %(codes)s") % {"codes": ", ".join(missing)}
        )
    is_alternate = nr["tier"] == "alternate"
    open_alternates = 0
    on_ballot = alternates_on_ballot(e)
    if not is_alternate and on_ballot:
        open_alternates = max(0, on_ballot - len(e.result.get("elected_alternates") or []))
    root = _root(e)
    n = e.round + 1
    new = Election.objects.create(
        congress=e.congress,
        agenda_item=e.agenda_item,
        title=_("%(title)s (lần %(round)s)") % {"title": root.title, "round": n},
        kind=e.kind,
        seats=int(nr["seats"]),
        alternates=open_alternates,
        delegation_mode=e.delegation_mode,
        round=n,
        previous_round=e,
        status=Election.Status.LIST_APPROVED,
        allows_paper=e.allows_paper,
        allows_electronic=e.allows_electronic and electronic_allowed(e.congress),
        is_verifiable=e.is_verifiable,
        is_tie_round=nr["reason"] == "tie",
        tie_round_needs_majority=payload.get("tie_round_needs_majority"),
        elects_alternates=is_alternate,
    )
    if not new.allows_electronic:
        new.allows_paper = True
        new.save(update_fields=["allows_paper"])
    made = [
        Candidate.objects.create(
            election=new,
            code=_new_code(),
            full_name=carried[code].full_name,
            delegate=carried[code].delegate,
            source=Candidate.Source.CARRIED,
            status=Candidate.Status.ON_LIST,
        )
        for code in nr["candidates"]
    ]
    _order_and_code(new, in_ballot_order(made))
    for m in CountingMember.objects.filter(election=e):
        CountingMember.objects.create(election=new, delegate_id=m.delegate_id, is_head=m.is_head)
    _record(
        actor,
        "election.next_round",
        new,
        e.congress_id,
        None,
        {**election_facts(new), "previous_round": e.pk, "reason": nr["reason"], "tier": nr["tier"],
         "candidates": [c.full_name for c in made], "motion": motion.pk if motion else None},
    )  # fmt: skip
    live.publish(e.congress)
    return new
