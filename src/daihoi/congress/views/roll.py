"""The roll (list, import, export), guests, credentials (marking and the committee's report) and cards.

Views parse the request, call one action and render; the access gate is `congress_view`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congress import exports
from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.actions import credentials as credential_actions
from daihoi.congress.actions import roll as roll_actions
from daihoi.congress.actions.setup import rule_error, sub_units
from daihoi.congress.cards import (
    hall_address,
    is_loopback,
    render_cards_pdf,
    render_guest_cards_pdf,
    sign_in_url,
)
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.congress.names import search_key
from daihoi.congress.views.dashboard import Feature, feature_links
from daihoi.rules.numbers import NumberError, is_int, parse_int
from daihoi.voting.actions.voters import replace_absent_official

_O, _P, _S, _C = Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT, Role.CREDENTIALS
OPEN_STATES = {Congress.State.PREPARATION, Congress.State.IN_SESSION}
MAX_PROBLEMS_SHOWN = 500

# The links of the roll pages; each is shown to the roles its view's gate lets in.
ROLL_LINKS: tuple[Feature, ...] = (
    Feature("dashboard", gettext_lazy("Bảng điều khiển")),
    Feature("roll", gettext_lazy("Danh sách đại biểu")),
    Feature("roll_import", gettext_lazy("Nhập danh sách")),
    Feature("roll_export", gettext_lazy("Xuất Excel")),
    Feature("guests", gettext_lazy("Khách mời")),
    Feature("credentials", gettext_lazy("Thẩm tra tư cách")),
    Feature("credentials_report", gettext_lazy("Báo cáo thẩm tra")),
    Feature("cards_pdf", gettext_lazy("In thẻ")),
)


def _context(request: CongressRequest, **extra: Any) -> dict[str, Any]:
    congress: Congress = request.congress
    roles = request.actor.roles
    links = feature_links(congress, roles, ROLL_LINKS)
    return {"congress": congress, "links": links, "current": request.resolver_match.url_name, **extra}


# The roll ----------------------------------------------------------------------------------------------

FILTERS = {
    "kind": Delegate.Kind,
    "standing": Delegate.Standing,
    "credential": Delegate.Credential,
    "attendance": Delegate.Attendance,
}


@require_GET
@congress_view(_O, _S, _C, _P)
def roll(request: CongressRequest, slug: str) -> HttpResponse:
    """Every delegate, filtered by unit, kind, standing, credential, attendance; searched without diacritics."""
    congress: Congress = request.congress
    delegates = Delegate.objects.filter(congress=congress).select_related("unit").order_by("number")
    units = sub_units(congress)
    chosen: dict[str, str] = {}
    unit = request.GET.get("unit", "")
    if is_int(unit, minimum=1):  # anything else is no filter, as an unknown choice is
        delegates = delegates.filter(unit_id=parse_int(unit))
        chosen["unit"] = unit
    for name, choices in FILTERS.items():
        value = request.GET.get(name, "")
        if value in choices.values:
            delegates = delegates.filter(**{name: value})
            chosen[name] = value
    query = request.GET.get("q", "").strip()
    if query:
        key = search_key(query)
        if is_int(key, minimum=1):
            delegates = delegates.filter(number=parse_int(key))
        else:
            delegates = delegates.filter(search_name__contains=key)
    rows = list(delegates)
    context = _context(
        request,
        delegates=rows,
        unit_cards_url=(
            f"{reverse('cards_pdf', args=[congress.slug])}?unit={chosen['unit']}" if "unit" in chosen else ""
        ),
        total=Delegate.objects.filter(congress=congress).count(),
        units=units,
        filters={name: choices.choices for name, choices in FILTERS.items()},
        chosen=chosen,
        query=query,
    )
    return render(request, "congress/roll/roll.html", context)


@require_http_methods(["GET", "POST"])
@congress_view(_O, states=OPEN_STATES)
def roll_import(request: CongressRequest, slug: str) -> HttpResponse:
    """Upload an Excel or CSV roll; all rows are imported or none, with a row-by-row report."""
    congress: Congress = request.congress
    error: ActionError | None = None
    report: roll_actions.ImportReport | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = ActionError("no_file", _("Chưa chọn tệp danh sách để nhập."))
        elif upload.size is not None and upload.size > roll_actions.MAX_FILE_BYTES:
            # Refused before reading it into memory; the action would say the same.
            error = ActionError(
                "file_too_large",
                _("Tệp “%(name)s” nặng %(size)s MB, quá giới hạn %(limit)s MB.")
                % {
                    "name": upload.name,
                    "size": roll_actions.megabytes(upload.size),
                    "limit": roll_actions.MAX_FILE_BYTES // (1024 * 1024),
                },
            )
        else:
            try:
                report = roll_actions.import_roll(
                    congress,
                    upload.name or "",
                    upload.read(),
                    request.actor,
                )
            except ActionError as refused:
                error = refused
        if report is not None and report.is_ok:
            messages.success(request, _import_summary(report))
            return redirect("roll", congress.slug)
    context = _context(
        request,
        error=error,
        report=report,
        problems=report.problems[:MAX_PROBLEMS_SHOWN] if report else [],
        hidden_problems=max(0, len(report.problems) - MAX_PROBLEMS_SHOWN) if report else 0,
        columns=roll_actions.COLUMNS,
        required=set(roll_actions.REQUIRED_COLUMNS),
        max_rows=roll_actions.MAX_ROWS,
        max_megabytes=roll_actions.MAX_FILE_BYTES // (1024 * 1024),
    )
    status = 400 if error or (report and not report.is_ok) else 200
    return render(request, "congress/roll/import.html", context, status=status)


def _import_summary(report: roll_actions.ImportReport) -> str:
    if report.delegates_created:
        return _(
            "Đã nhập %(delegates)s đại biểu (số thứ tự %(first)s–%(last)s) và %(guests)s khách mời từ tệp “%(file)s”."
        ) % {
            "delegates": report.delegates_created,
            "first": report.first_number,
            "last": report.last_number,
            "guests": report.guests_created,
            "file": report.filename,
        }
    return _("Đã nhập %(guests)s khách mời từ tệp “%(file)s”.") % {
        "guests": report.guests_created,
        "file": report.filename,
    }


def _xlsx_response(identifier: str, congress: Congress) -> HttpResponse:
    filename, data = exports.export(identifier, congress, "xlsx")
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@congress_view(_O)
def roll_export(request: CongressRequest, slug: str) -> HttpResponse:
    """The roll as .xlsx, in the columns the import reads, with card codes (organizer only: codes sign in)."""
    return _xlsx_response("roll", request.congress)


# Guests ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@congress_view(_O)
def guests(request: CongressRequest, slug: str) -> HttpResponse:
    """The guests (never vote, never count) and a form to add one."""
    congress: Congress = request.congress
    error: ActionError | None = None
    values = {"full_name": "", "title": "", "organization_name": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            guest = roll_actions.add_guest(congress, request.actor, **values)
        except ActionError as refused:
            error = refused
        else:
            messages.success(request, _("Đã thêm khách mời %(name)s.") % {"name": guest.full_name})
            return redirect("guests", congress.slug)
    context = _context(
        request,
        guests=list(congress.guests.order_by("full_name", "pk")),
        error=error,
        values=values,
        is_closed=congress.state == Congress.State.CLOSED,
    )
    return render(request, "congress/roll/guests.html", context, status=400 if error else 200)


# Credentials -------------------------------------------------------------------------------------------


def _back(request: HttpRequest, congress: Congress, anchor: str = "") -> HttpResponse:
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("credentials", args=[congress.slug])
    return redirect(target + anchor)


@require_http_methods(["GET", "POST"])
@congress_view(_C, _O, states=OPEN_STATES)
def credentials(request: CongressRequest, slug: str) -> HttpResponse:
    """Mark each delegate's credentials accepted or rejected (with a reason), or accept all pending."""
    congress: Congress = request.congress
    actor = request.actor
    error: ActionError | None = None
    if request.method == "POST":
        try:
            if request.POST.get("accept_all_pending"):
                count = credential_actions.accept_all_pending(congress, actor)
                messages.success(
                    request,
                    ngettext(
                        "Đã xác nhận đủ tư cách cho %(count)s đại biểu.",
                        "Đã xác nhận đủ tư cách cho %(count)s đại biểu.",
                        count,
                    )
                    % {"count": count},
                )
                return _back(request, congress)
            if request.POST.get("replace"):
                return _record_replacement(request, congress)
            try:
                number = parse_int(request.POST.get("number"), field=_("Số thứ tự"), minimum=1)
            except NumberError as bad:
                raise rule_error(bad) from bad
            delegate = get_object_or_404(Delegate, congress=congress, number=number)
            delegate = credential_actions.set_credential(
                delegate, request.POST.get("credential", ""), request.POST.get("reason", ""), actor
            )
            messages.success(
                request,
                _("Đại biểu số %(number)s %(name)s: %(status)s.")
                % {
                    "number": delegate.number,
                    "name": delegate.full_name,
                    "status": delegate.get_credential_display(),
                },
            )
            return _back(request, congress, f"#d{delegate.number}")
        except ActionError as refused:
            error = refused
    delegates = Delegate.objects.filter(congress=congress).select_related("unit").order_by("number")
    status = request.GET.get("credential", "")
    if status in Delegate.Credential.values:
        delegates = delegates.filter(credential=status)
    query = request.GET.get("q", "").strip()
    if query:
        delegates = delegates.filter(search_name__contains=search_key(query))
    counts = {value: 0 for value in Delegate.Credential.values}
    for value in Delegate.objects.filter(congress=congress).values_list("credential", flat=True):
        counts[value] += 1
    context = _context(
        request,
        delegates=list(delegates),
        replacement=_replacement_choices(congress),
        error=error,
        chosen=status,
        query=query,
        choices=Delegate.Credential.choices,
        counts=[(value, label, counts[value]) for value, label in Delegate.Credential.choices],
        Credential=Delegate.Credential,
    )
    return render(request, "congress/roll/credentials.html", context, status=400 if error else 200)


@require_GET
@congress_view(_C, _O, _P, _S)
def credentials_report(request: CongressRequest, slug: str) -> HttpResponse:
    """The committee's report: convened and present, by kind, standing, sub-unit, sex, age and result."""
    congress: Congress = request.congress
    report = credential_actions.credentials_report(congress)
    return render(request, "congress/roll/credentials_report.html", _context(request, report=report))


@require_GET
@congress_view(_C, _O, _P, _S)
def credentials_report_export(request: CongressRequest, slug: str) -> HttpResponse:
    return _xlsx_response("credentials_report", request.congress)


# Cards -------------------------------------------------------------------------------------------------


@require_GET
@congress_view(_O)
def cards_pdf(request: CongressRequest, slug: str) -> HttpResponse:
    """Every delegate's card (or one sub-unit's, `?unit=<id>`), four A6 cards per A4 page."""
    congress: Congress = request.congress
    if request.GET.get("guests"):  # guests' cards carry only their code: no hall address needed
        guests = list(congress.guests.order_by("full_name", "pk"))
        if not guests:
            return _cards_refused(request, "no_guests", _("Chưa có khách mời nào để in thẻ."))
        response = HttpResponse(render_guest_cards_pdf(congress, guests), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="the-khach-moi-{congress.slug}.pdf"'
        return response
    address = hall_address(congress)
    if is_loopback(address):
        return _cards_refused(
            request,
            "hall_address_loopback",
            _(
                "Chưa in được thẻ: mã QR trên thẻ phải chứa địa chỉ mà điện thoại trong hội trường mở được, "
                "nhưng địa chỉ hội trường đang là “%(address)s”. Xin đặt địa chỉ hội trường (ví dụ "
                "https://192.168.1.10:8000) rồi in lại."
            )
            % {"address": address or "—"},
        )
    delegates = Delegate.objects.filter(congress=congress).select_related("unit").order_by("number")
    unit = request.GET.get("unit", "")
    if unit:
        unit_id = parse_int(unit) if is_int(unit, minimum=1) else None
        if unit_id is None or not congress.organization.children.filter(pk=unit_id).exists():
            return _cards_refused(
                request, "unknown_unit", _("Không có chi bộ mã số “%(unit)s” trong đảng bộ.") % {"unit": unit}
            )
        delegates = delegates.filter(unit_id=unit_id)
    chosen = list(delegates)
    if not chosen:
        return _cards_refused(request, "no_delegates", _("Chưa có đại biểu nào để in thẻ."))

    pdf = render_cards_pdf(congress, chosen, lambda code: sign_in_url(congress, code))
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{unit}" if unit else ""
    response["Content-Disposition"] = f'inline; filename="the-dai-bieu-{congress.slug}{suffix}.pdf"'
    return response


def _cards_refused(request: CongressRequest, code: str, message: str) -> HttpResponse:
    context = _context(request, error=ActionError(code, message), units=sub_units(request.congress))
    return render(request, "congress/roll/cards_refused.html", context, status=400)


def _delegate_numbered(congress: Congress, field: str, label: str) -> Delegate:
    try:
        number = parse_int(field, field=label, minimum=1)
    except NumberError as bad:
        raise rule_error(bad) from bad
    delegate = Delegate.objects.filter(congress=congress, number=number).first()
    if delegate is None:
        raise ActionError(
            "no_such_delegate",
            _("%(field)s: không có đại biểu số %(number)s.") % {"field": label, "number": number},
        )
    return delegate


def _record_replacement(request: CongressRequest, congress: Congress) -> HttpResponse:
    """P1: the credentials committee records that an alternate replaces an official absent for the
    whole congress (the action `replace_absent_official` decides whether the pair may be recorded)."""
    alternate = _delegate_numbered(congress, request.POST.get("alternate", ""), _("Đại biểu dự khuyết"))
    official = _delegate_numbered(
        congress, request.POST.get("official", ""), _("Đại biểu chính thức vắng mặt")
    )
    replace_absent_official(alternate, official, actor=request.actor)
    messages.success(
        request,
        _(
            "Đã ghi: đại biểu dự khuyết số %(alternate)s %(a_name)s thay đại biểu chính thức số %(official)s %(o_name)s."
        )
        % {
            "alternate": alternate.number,
            "a_name": alternate.full_name,
            "official": official.number,
            "o_name": official.full_name,
        },
    )
    return redirect(reverse("credentials", args=[congress.slug]) + "#replacements")


def _replacement_choices(congress: Congress) -> dict[str, Any] | None:
    """What the replacement form offers: the recorded pairs, the alternates not yet replacing anyone,
    and the officials absent (excused) for the congress and not yet replaced. None at a congress of all
    members, which has no alternates."""
    if congress.kind != Congress.Kind.DELEGATES:
        return None
    rows = list(
        Delegate.objects.filter(congress=congress)
        .filter(standing__in=[Delegate.Standing.ALTERNATE, Delegate.Standing.OFFICIAL])
        .select_related("replaces")
        .order_by("number")
    )
    replaced = {d.replaces_id for d in rows if d.replaces_id is not None}
    return {
        "pairs": [d for d in rows if d.replaces_id is not None],
        "alternates": [
            d for d in rows if d.standing == Delegate.Standing.ALTERNATE and d.replaces_id is None
        ],
        "officials": [
            d
            for d in rows
            if d.standing == Delegate.Standing.OFFICIAL
            and d.attendance == Delegate.Attendance.EXCUSED
            and not d.is_convening_committee
            and d.pk not in replaced
        ],
    }
