"""Before any vote opens, motion or election alike: who may vote now (P1), the base N (P2) and the
quorum (P3), with the presidium's override where the rule set allows it, audited and printed in the
minutes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules.rulesets import get_ruleset
from daihoi.rules.voters import BaseN
from daihoi.voting.actions.voters import voters_not_in

# --- who votes and the base N ---------------------------------------------------------------------


def present_voters(congress: Congress) -> int:
    """P1: how many delegates may vote now, by the one predicate (`Delegate.may_vote`): an alternate
    replacing an absent official counts."""
    return len(voters_not_in(congress.pk, set()))


def congress_base(congress: Congress) -> BaseN:
    """P2: N with how it was computed, from the congress's attendance figures (the rules core computes it)."""
    return attendance(congress).base


# --- P3: quorum before any vote opens ----------------------------------------------------------------

QUORUM_OVERRIDE = "quorum.override"


def check_quorum(congress: Congress, *, override: bool = False) -> dict[str, Any] | None:
    """P3 before a motion or an election opens: refused with the numbers ("Chưa đủ số lượng: 4/165 đại biểu
    có mặt, cần 110") unless `override` and the rule set allows the presidium to proceed below quorum.
    Returns the figures of an override (to audit and print in the minutes), None when the quorum is met."""
    q = attendance(congress).quorum
    error = q.error()
    if error is None:
        return None
    if not override:
        raise rule_error(error)
    if not get_ruleset(congress.rules).quorum_override_allowed:
        raise ActionError(
            "quorum_override_not_allowed",
            _("%(why)s. Bộ quy tắc của đại hội không cho phép tiến hành khi chưa đủ số lượng.")
            % {"why": rule_error(error).message},
        )
    return {"present": q.present, "convened": q.convened, "required": q.required}


def record_quorum_override(actor: Actor, obj: Any, congress_id: int, figures: dict[str, Any]) -> None:
    """The override goes into the audit chain; the minutes print it (`quorum_override_note`)."""
    audit.record(actor=actor.label, action=QUORUM_OVERRIDE, congress_id=congress_id, obj=obj, after=figures)


def quorum_override_note(obj: Any) -> str | None:
    """The minutes' line for a vote opened below quorum by the presidium's decision, else None."""
    from daihoi.audit.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            action=QUORUM_OVERRIDE, object_type=type(obj).__name__, object_id=str(obj.pk)
        )
        .order_by("seq")
        .last()
    )
    if entry is None:
        return None
    f = entry.after or {}
    return _(
        "Đoàn Chủ tịch quyết định tiến hành khi chưa đủ số lượng: %(present)s/%(convened)s đại biểu có mặt, "
        "cần %(required)s."
    ) % {"present": f.get("present"), "convened": f.get("convened"), "required": f.get("required")}
