"""The site administrator's organizations and organizers, the organizer's wizard for a new congress,
the preparation page (facts, units, staff accounts) editable until the congress opens, and the
printable one-time sign-in sheet.

Access: the site pages need a superuser (the site administrator) or, for an organization's own
pages, one of its organizers (`Organizer`); a congress's preparation page is behind the one gate
(`congress_view(Role.ORGANIZER)`), open only while the congress is in preparation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from daihoi.congress.access import Actor, CongressRequest, Role, congress_view, deny
from daihoi.congress.actions import organizer as actions
from daihoi.congress.actions.organizer import Account, SpecErrors
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Organization, Organizer, StaffRole
from daihoi.congress.wording import DEFAULT_RULES, words_for
from daihoi.rules.rulesets import RULESETS
from daihoi.voting.documents.wording import roman

SHEET_SESSION_KEY = "daihoi:sign_in_sheet"
STAFF_ROLES = [
    (r.value, r.label)
    for r in StaffRole.Role
    if r.value in {"presidium", "secretariat", "credentials", "counting", "organizer"}
]


def _user_actor(request: HttpRequest) -> Actor:
    return Actor(roles=frozenset({Role.ORGANIZER}), user=request.user)


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _keep_sheet(
    request: HttpRequest, congress: Congress | None, org: Organization, accounts: list[Account]
) -> None:
    """The new passwords, kept in the session until the sheet is shown once."""
    request.session[SHEET_SESSION_KEY] = {
        "congress": congress.pk if congress else None,
        "organization": org.pk,
        "accounts": [[a.username, a.full_name, a.password, list(a.roles)] for a in accounts],
    }


@require_http_methods(["GET", "POST"])
def site(request: HttpRequest) -> HttpResponse:
    """Organizations and their organizers (site administrator); an organizer sees their organizations."""
    if (response := _signed_in(request)) is not None:
        return response
    user: Any = request.user
    errors: list[str] = []
    if request.method == "POST":
        if not user.is_superuser:
            return deny(request, "role_denied", _("Chỉ quản trị hệ thống được tạo tổ chức và ban tổ chức."))
        try:
            if request.POST.get("form") == "organization":
                parent_id = request.POST.get("parent") or None
                parent = get_object_or_404(Organization, pk=parent_id) if parent_id else None
                org = actions.create_organization(
                    _user_actor(request),
                    name=request.POST.get("name", ""),
                    kind=request.POST.get("kind", "") or (parent.kind if parent else "party"),
                    place=request.POST.get("place", ""),
                    parent=parent,
                )
                messages.success(request, _("Đã tạo tổ chức “%(name)s”.") % {"name": org.name})
                return redirect("site_setup")
            if request.POST.get("form") == "organizer":
                org = get_object_or_404(Organization, pk=request.POST.get("organization"))
                account = actions.create_organizer(
                    _user_actor(request),
                    org,
                    username=request.POST.get("username", ""),
                    full_name=request.POST.get("full_name", ""),
                )
                _keep_sheet(request, None, org, [account])
                return redirect("sign_in_sheet")
        except ActionError as error:
            errors.append(error.message)
    if user.is_superuser:
        orgs = Organization.objects.filter(parent=None)
    else:
        orgs = Organization.objects.filter(organizers__user=user)
    rows = [
        {
            "org": org,
            "organizers": [o.user for o in Organizer.objects.filter(organization=org).select_related("user")],
            "congresses": list(org.congresses.all()),
        }
        for org in orgs.order_by("name")
    ]
    return render(
        request,
        "setup/site.html",
        {
            "rows": rows,
            "errors": errors,
            "kinds": Organization.Kind.choices,
            "is_admin": user.is_superuser,
            "posted": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


def _lines(text: str) -> list[list[str]]:
    out = []
    for line in text.splitlines():
        if line.strip():
            sep = ";" if ";" in line else ("\t" if "\t" in line else ",")
            out.append([part.strip() for part in line.split(sep)])
    return out


def units_from_upload(upload: Any) -> list[dict[str, Any]]:
    """Units from an .xlsx: column A the unit's name, column B its member count; a header row is skipped."""
    from daihoi.congress.actions.roll.reading import read_sheet

    rows = read_sheet(upload.name, upload.read(), max_rows=actions.MAX_UNITS + 1)
    units = []
    for number, values in rows:
        cells = [*values, None, None]
        name, members = cells[0], cells[1]
        if number == rows[0][0] and not str(members or "").strip().isdigit() and not isinstance(members, int):
            continue  # the header
        units.append({"name": name, "members": members})
    return units


def spec_from_post(request: HttpRequest, org: Organization) -> dict[str, Any]:
    post = request.POST
    kind = post.get("kind") or org.kind
    ordinal = post.get("ordinal", "").strip()
    name = post.get("name", "").strip()
    if not name and ordinal.isdigit():
        words = words_for(kind)
        name = _("%(congress)s %(org)s lần thứ %(ordinal)s") % {
            "congress": str(words.congress).capitalize(),
            "org": org.name,
            "ordinal": roman(int(ordinal)),
        }
    upload = request.FILES.get("units_file")
    if upload is not None:
        units: list[dict[str, Any]] = units_from_upload(upload)
    else:
        units = [{"name": p[0], "members": p[1] if len(p) > 1 else ""} for p in _lines(post.get("units", ""))]
    # staff lines: username; full name; role, role
    staff = []
    for line in post.get("staff", "").splitlines():
        if line.strip():
            parts = [p.strip() for p in line.split(";")]
            roles = [r.strip() for r in ",".join(parts[2:]).split(",") if r.strip()]
            staff.append(
                {"username": parts[0], "full_name": parts[1] if len(parts) > 1 else "", "roles": roles}
            )
    return {
        "organization": {"name": org.name, "kind": kind, "place": org.place},
        "congress": {
            "slug": post.get("slug", "").strip(),
            "name": name,
            "ordinal": ordinal,
            "term_start": post.get("term_start", ""),
            "term_end": post.get("term_end", ""),
            "starts_on": post.get("starts_on", ""),
            "ends_on": post.get("ends_on", ""),
            "venue": post.get("venue", ""),
            "theme": post.get("theme", ""),
            "kind": post.get("congress_kind") or Congress.Kind.DELEGATES,
            "rules": post.get("rules") or DEFAULT_RULES.get(kind, "approval"),
        },
        "seats": {
            "total": post.get("total_seats") or 0,
            "ex_officio": post.get("ex_officio_seats") or 0,
            "minimum_per_unit": post.get("minimum_seats_per_unit") or 1,
        },
        "units": units,
        "staff": staff,
    }


@require_http_methods(["GET", "POST"])
def wizard(request: HttpRequest, org_id: int) -> HttpResponse:
    """The organizer's wizard: a new congress of the organization in one form of five steps."""
    if (response := _signed_in(request)) is not None:
        return response
    org = get_object_or_404(Organization, pk=org_id, parent=None)
    if not actions.may_organize(request.user, org):
        return deny(
            request, "role_denied", _("Đồng chí không thuộc ban tổ chức của “%(name)s”.") % {"name": org.name}
        )
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            spec = spec_from_post(request, org)
            actions.check_spec(spec)  # every field error first, before anything is written
            with transaction.atomic():
                kind = spec["organization"]["kind"]
                if kind != org.kind:
                    actions.set_organization_kind(_user_actor(request), org, kind)
                created = actions.new_congress_from_spec(_user_actor(request), spec, organization=org)
        except SpecErrors as failure:
            errors = failure.errors
        except ActionError as error:
            errors = [("", error.message)]
        else:
            messages.success(request, _("Đã tạo đại hội “%(name)s”.") % {"name": created.congress.name})
            if created.accounts:
                _keep_sheet(request, created.congress, org, created.accounts)
                return redirect("sign_in_sheet")
            return redirect("prepare", created.congress.slug)
    today = timezone.localdate()
    return render(
        request,
        "setup/wizard.html",
        {
            "org": org,
            "errors": errors,
            "posted": request.POST,
            "kinds": Organization.Kind.choices,
            "rulesets": sorted(RULESETS),
            "default_rules": DEFAULT_RULES,
            "staff_roles": STAFF_ROLES,
            "congress_kinds": Congress.Kind.choices,
            "kind": request.POST.get("kind") or org.kind,
            "words": words_for(request.POST.get("kind") or org.kind),
            "year": today.year,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET"])
def sign_in_sheet(request: HttpRequest) -> HttpResponse:
    """The printable sheet of the accounts just created: shown once, then the passwords are gone."""
    if (response := _signed_in(request)) is not None:
        return response
    kept = request.session.pop(SHEET_SESSION_KEY, None)
    if not kept:
        return deny(
            request,
            "sheet_shown",
            _("Phiếu đăng nhập chỉ in được một lần, ngay khi tạo tài khoản. Hãy cấp lại mật khẩu nếu cần."),
            status=410,
        )
    congress = Congress.objects.filter(pk=kept["congress"]).first() if kept["congress"] else None
    org = Organization.objects.get(pk=kept["organization"])
    labels = dict(StaffRole.Role.choices)
    accounts = [
        {
            "username": u,
            "full_name": n,
            "password": p,
            "role_labels": [labels.get(r, r) for r in roles],
            "roles": roles,
        }
        for u, n, p, roles in kept["accounts"]
    ]
    back = reverse("prepare", args=[congress.slug]) if congress else reverse("site_setup")
    response = render(
        request,
        "setup/sign_in_sheet.html",
        {
            "congress": congress,
            "organization": org,
            "accounts": accounts,
            "address": request.build_absolute_uri(reverse("login")),
            "back": back,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@congress_view(Role.ORGANIZER, states={Congress.State.PREPARATION})
def prepare(request: CongressRequest, slug: str) -> HttpResponse:
    """Edit the congress's facts, units and staff accounts until it opens."""
    congress: Congress = request.congress
    actor: Actor = request.actor
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = request.POST.get("form")
        try:
            if form == "facts":
                spec = spec_from_post(request, congress.organization)["congress"]
                spec["slug"] = congress.slug
                clean = _check_congress(spec, congress)
                actions.update_congress(actor, congress, **clean)
                messages.success(request, _("Đã lưu thông tin đại hội."))
            elif form == "units":
                upload = request.FILES.get("units_file")
                raw = (
                    units_from_upload(upload)
                    if upload
                    else [
                        {"name": p[0], "members": p[1] if len(p) > 1 else ""}
                        for p in _lines(request.POST.get("units", ""))
                    ]
                )
                units = _check_units(raw)
                actions.set_units(actor, congress, units)
                messages.success(
                    request, _("Đã lưu %(n)s đơn vị; hãy phân bổ lại đại biểu.") % {"n": len(units)}
                )
            elif form == "staff":
                roles = request.POST.getlist("roles")
                account = actions.create_staff_account(
                    actor,
                    congress,
                    username=request.POST.get("username", ""),
                    full_name=request.POST.get("full_name", ""),
                    roles=roles,
                )
                _keep_sheet(request, congress, congress.organization, [account])
                return redirect("sign_in_sheet")
            elif form == "reset":
                account = actions.reset_password(actor, congress, request.POST.get("username", ""))
                _keep_sheet(request, congress, congress.organization, [account])
                return redirect("sign_in_sheet")
            else:
                errors = [("", _("Không rõ biểu mẫu."))]
            if not errors:
                return redirect("prepare", congress.slug)
        except SpecErrors as failure:
            errors = failure.errors
        except ActionError as error:
            errors = [("", error.message)]
        congress.refresh_from_db()
    units = list(Organization.objects.filter(parent=congress.organization).order_by("order", "name"))
    staff: dict[Any, list[str]] = {}
    labels = dict(StaffRole.Role.choices)
    for role in StaffRole.objects.filter(congress=congress).select_related("user").order_by("user__username"):
        staff.setdefault(role.user, []).append(str(labels.get(role.role, role.role)))
    return render(
        request,
        "setup/prepare.html",
        {
            "congress": congress,
            "errors": errors,
            "units": units,
            "units_text": "\n".join(f"{u.name}; {u.member_count}" for u in units),
            "staff": sorted(staff.items(), key=lambda kv: kv[0].username),
            "staff_roles": STAFF_ROLES,
            "rulesets": sorted(RULESETS),
        },
        status=400 if errors else 200,
    )


def _check_congress(spec: dict[str, Any], congress: Congress) -> dict[str, Any]:
    """Validate the facts form through the same checks as a new congress's (slug aside)."""
    probe = {
        "organization": {"name": congress.organization.name, "kind": congress.organization.kind},
        "congress": {**spec, "slug": "x-probe-never-taken"},
    }
    clean = actions.check_spec(probe)["congress"]
    return {
        k: clean[k]
        for k in (
            "name",
            "ordinal",
            "term_start",
            "term_end",
            "starts_on",
            "ends_on",
            "venue",
            "theme",
            "rules",
        )
    }


def _check_units(raw: list[dict[str, Any]]) -> list[tuple[str, int]]:
    clean = actions.check_spec({"organization": {"name": "x"}, "congress": _DUMMY, "units": raw})
    return list(clean["units"])


_DUMMY = {
    "slug": "x-probe-never-taken",
    "name": "x",
    "ordinal": 1,
    "term_start": 2000,
    "term_end": 2001,
    "starts_on": "2000-01-01",
}
