"""`{% load daihoi_labels %}` then `{{ congress.rules|ruleset_title }}`: the rule set's human name, translated,
where a page would otherwise print its key ("party", "approval")."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The rules core's titles (rules/rulesets/*.py, Vietnamese), marked here for translation.
RULESET_TITLES = {
    "party": _("Đại hội Đảng bộ (QĐ 190-QĐ/TW)"),
    "approval": _("Bầu cử đơn giản (quá nửa số phiếu hợp lệ)"),
    "shareholders": _("Đại hội đồng cổ đông (Luật Doanh nghiệp 2020)"),
}


def ruleset_title_of(key: str) -> str:
    if key in RULESET_TITLES:
        return str(RULESET_TITLES[key])
    from daihoi.rules.errors import RuleError
    from daihoi.rules.rulesets import get_ruleset

    try:
        return get_ruleset(key).title
    except RuleError:
        return str(_("Bộ quy tắc khác"))


@register.filter(name="ruleset_title")
def ruleset_title(value: Any) -> str:
    return ruleset_title_of(str(value or ""))
