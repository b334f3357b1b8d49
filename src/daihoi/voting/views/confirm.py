"""Irreversible steps (closing a vote, certifying, releasing) need a ticked "confirm" box in their form:
it works without JavaScript, and the view refuses the step without it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from daihoi.congress.actions.setup import rule_error
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules.rulesets import get_ruleset

FIELD = "confirm"


def require_confirmation(request: HttpRequest) -> None:
    """ActionError `confirmation_required` unless the form's confirmation box was ticked."""
    if request.POST.get(FIELD) != "1":
        raise ActionError(
            "confirmation_required",
            _("Bước này không thể hoàn tác: hãy đánh dấu ô xác nhận rồi bấm lại."),
        )


def quorum_override_requested(request: HttpRequest) -> bool:
    """P3: the presidium ticked "proceed below quorum" (the action checks the rule set allows it)."""
    return request.POST.get("quorum_override") == "1"


def quorum_context(congress: Congress) -> dict[str, Any]:
    """What the opening forms show: the quorum line with its numbers when it is not met, and whether the
    rule set lets the presidium proceed below it."""
    q = attendance(congress).quorum
    error = q.error()
    return {
        "quorum_met": error is None,
        "quorum_text": rule_error(error).message if error is not None else "",
        "quorum_override_allowed": get_ruleset(congress.rules).quorum_override_allowed,
    }
