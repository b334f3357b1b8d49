"""The Django admin at /admin/, for the site administrator (a superuser).

Accounts (users) are edited here as Django makes them. Everything of a congress is changed only
through its actions, which validate, audit and publish: the wizard (/setup/), the preparation page,
the roll, the hall pages. So every congress, voting and audit model is shown here read-only: no
adding, no editing, no deleting (audited data is never deleted)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị daihoi")
admin.site.site_title = _("Quản trị daihoi")
admin.site.index_title = _("Dữ liệu (chỉ xem; thay đổi qua các trang của đại hội)")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, searchable, never changed here: the app's actions are the only writers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


# Columns worth seeing in the lists; other models show their __str__.
LIST_DISPLAY: dict[str, tuple[str, ...]] = {
    "congress.Organization": ("name", "kind", "place", "parent", "member_count"),
    "congress.Congress": ("name", "slug", "state", "rules", "starts_on"),
    "congress.Delegate": ("number", "full_name", "congress", "unit", "standing", "credential", "attendance"),
    "congress.StaffRole": ("user", "congress", "role"),
    "congress.Organizer": ("user", "organization"),
    "audit.AuditEntry": ("seq", "at", "actor", "action", "object_type", "object_id"),
}
SEARCH: dict[str, tuple[str, ...]] = {
    "congress.Organization": ("name",),
    "congress.Congress": ("name", "slug"),
    "congress.Delegate": ("full_name", "search_name"),
    "audit.AuditEntry": ("action", "actor"),
}

for app_label in ("congress", "voting", "audit", "term", "drafts"):
    if not apps.is_installed(f"daihoi.{app_label}"):
        continue
    for model in apps.get_app_config(app_label).get_models():
        key = f"{app_label}.{model.__name__}"
        if admin.site.is_registered(model):
            continue
        fields = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        attrs: dict[str, Any] = {}
        display = tuple(f for f in LIST_DISPLAY.get(key, ()) if f in fields)
        if display:
            attrs["list_display"] = display
        if key in SEARCH:
            attrs["search_fields"] = SEARCH[key]
        admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), attrs))
