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


# The election's steps (rules/procedure.py, P6), marked here for translation; the core's words are the msgids.
STEP_LABELS = {
    "report_standards": _("Báo cáo tiêu chuẩn, cơ cấu và số lượng đề nghị"),
    "vote_seats": _("Biểu quyết số lượng cần bầu"),
    "committee_list": _("Giới thiệu danh sách của cấp ủy"),
    "floor_nominations": _("Đề cử và ứng cử tại đại hội"),
    "decide_withdrawals": _("Tổng hợp danh sách; biểu quyết các trường hợp xin rút"),
    "adopt_list": _("Biểu quyết thông qua danh sách bầu cử"),
    "elect_counting_committee": _("Biểu quyết Ban Kiểm phiếu"),
    "vote_and_count": _("Bỏ phiếu, kiểm phiếu, công bố kết quả"),
}


def step_label(code: str, core_label: str) -> str:
    """A step's name in the reader's language (the core's words when the step is new to this list)."""
    return str(STEP_LABELS[code]) if code in STEP_LABELS else core_label


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


# The organizer's menu in groups (the dashboard's FEATURES by name); a feature not named here goes last.
MENU_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("Chuẩn bị"),
        (
            "setup",
            "roll",
            "guests",
            "cards_pdf",
            "hall_sheet",
            "hall_address",
            "credentials",
            "credentials_report",
        ),
    ),
    (_("Hội trường"), ("desk", "board", "agenda_manage", "speakers_manage", "screen")),
    (_("Biểu quyết và bầu cử"), ("motion_list", "election_list", "electronic_voting")),
    (_("Văn kiện"), ("drafts", "drafts_manage", "term", "term_manage")),
)


@register.filter(name="menu_groups")
def menu_groups(links: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    """The dashboard's links in the menu's groups, in their order; empty groups left out."""
    links = list(links or [])
    placed: set[str] = set()
    groups = []
    for label, names in MENU_GROUPS:
        items = [link for link in links if link.get("name") in names]
        placed.update(link.get("name", "") for link in items)
        if items:
            groups.append((str(label), items))
    rest = [link for link in links if link.get("name") not in placed]
    if rest:
        groups.append((str(_("Khác")), rest))
    return groups
