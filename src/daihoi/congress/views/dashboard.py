"""Home (the congresses a staff user serves), a congress's dashboard, and the organizer's setup page."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congress.access import CongressRequest, Role, congress_view, delegate_session_key
from daihoi.congress.actions import setup as actions
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, SeatAllocation, StaffRole
from daihoi.rules.numbers import NumberError, parse_int
from daihoi.rules.rounding import round_half_up
from daihoi.web.numbers import format_number


def safe_url(name: str, *args: Any, **kwargs: Any) -> str | None:
    """The URL of `name`, or None while the feature behind it does not exist yet."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Feature:
    name: str
    label: Any
    # Who is shown the link when the view's own gate does not say it: the screen's view admits only
    # the screen token, and the staff who may hand that token to a projector are named here.
    shown_to: frozenset[str] | None = None
    needs_token: bool = False


# The dashboard's links, in order. Who sees each is read from the gate of the view it links to
# (`congress_view` marks the view with its roles), so access is stated once. Names another feature
# has not registered yet are omitted.
FEATURES: tuple[Feature, ...] = (
    Feature("prepare", gettext_lazy("Chuẩn bị: thông tin, đơn vị, tài khoản")),
    Feature("setup", gettext_lazy("Thiết lập đại hội, phân bổ đại biểu")),
    Feature("roll", gettext_lazy("Danh sách đại biểu")),
    Feature("guests", gettext_lazy("Khách mời")),
    Feature("hall_address", gettext_lazy("Địa chỉ hội trường, Wi-Fi")),
    Feature("hall_sheet", gettext_lazy("In tờ hướng dẫn hội trường")),
    Feature("cards_pdf", gettext_lazy("In thẻ đại biểu")),
    Feature("credentials", gettext_lazy("Thẩm tra tư cách đại biểu")),
    Feature("credentials_report", gettext_lazy("Báo cáo thẩm tra tư cách")),
    Feature("desk", gettext_lazy("Bàn điểm danh")),
    Feature("board", gettext_lazy("Bảng điểm danh")),
    Feature("agenda_manage", gettext_lazy("Điều hành chương trình")),
    Feature("speakers_manage", gettext_lazy("Đăng ký phát biểu")),
    Feature(
        "screen",
        gettext_lazy("Màn hình chiếu"),
        shown_to=frozenset({Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT}),
        needs_token=True,
    ),
    Feature("motion_list", gettext_lazy("Biểu quyết")),
    Feature("election_list", gettext_lazy("Bầu cử")),
    Feature("electronic_voting", gettext_lazy("Bỏ phiếu điện tử")),
    Feature("drafts", gettext_lazy("Dự thảo văn kiện, góp ý")),
    Feature("unit_links", gettext_lazy("Đường dẫn góp ý của các đơn vị")),
    Feature("term_home", gettext_lazy("Nghị quyết, nhiệm kỳ")),
)


def feature_links(
    congress: Congress, roles: frozenset[str], features: tuple[Feature, ...] = FEATURES
) -> list[dict[str, Any]]:
    """The links among `features` that `roles` may open in the congress's state, as the linked views'
    gates say."""
    links = []
    for feature in features:
        if feature.needs_token:
            url = safe_url(feature.name, slug=congress.slug, token=congress.screen_token)
        else:
            url = safe_url(feature.name, congress.slug)
        if url is None:
            continue
        view = resolve(url).func
        allowed = feature.shown_to
        if allowed is None:
            allowed = getattr(view, "daihoi_roles", frozenset())
        states = getattr(view, "daihoi_states", None)
        if states is not None and congress.state not in states:
            continue
        if allowed & roles:
            links.append({"name": feature.name, "label": feature.label, "url": url})
    return links


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The congresses where the signed-in staff user has a role (a superuser sees all).

    A delegate signed in with a card (and not as staff) goes to the delegate's page; anyone else to login.
    """
    if not request.user.is_authenticated:
        delegate_url = _signed_in_delegate_url(request)
        return redirect(delegate_url) if delegate_url else redirect_to_login(request.get_full_path())
    return _staff_home(request)


def _signed_in_delegate_url(request: HttpRequest) -> str | None:
    prefix = delegate_session_key(0).removesuffix("0")
    for key in list(request.session.keys()):
        if key.startswith(prefix):
            congress = Congress.objects.filter(pk=key.removeprefix(prefix)).only("slug").first()
            if congress is not None:
                return safe_url("delegate_home", congress.slug)
    return None


def _staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    congresses = Congress.objects.select_related("organization").order_by("-starts_on", "name")
    roles_by_congress: dict[int, list[str]] = {}
    for congress_id, role in StaffRole.objects.filter(user=user).values_list("congress_id", "role"):
        roles_by_congress.setdefault(congress_id, []).append(str(StaffRole.Role(role).label))
    if not user.is_superuser:
        congresses = congresses.filter(pk__in=roles_by_congress)
    rows = [
        {
            "congress": c,
            "roles": sorted(roles_by_congress.get(c.pk, []))
            or ([_("Quản trị hệ thống")] if user.is_superuser else []),
        }
        for c in congresses
    ]
    return render(request, "congress/home.html", {"rows": rows})


def _allocation_rows(congress: Congress) -> tuple[list[dict[str, Any]], dict[str, int]]:
    rows = []
    totals = {"members": 0, "seats": 0}
    for a in SeatAllocation.objects.filter(congress=congress).select_related("unit"):
        quota = Fraction(a.quota)
        rows.append(
            {
                "unit": a.unit.name,
                "members": a.members,
                "seats": a.seats,
                "quota": a.quota,
                # Shown with two decimals, rounded half up once here at the edge; the stored value is exact.
                "quota_display": _decimal(quota, 2),
            }
        )
        totals["members"] += a.members
        totals["seats"] += a.seats
    return rows, totals


def _decimal(value: Fraction, places: int) -> str:
    return format_number(round_half_up(value, places))


@require_GET
@congress_view(*Role.STAFF)
def dashboard(request: CongressRequest, slug: str) -> HttpResponse:
    congress: Congress = request.congress
    roles = request.actor.roles
    rows, totals = _allocation_rows(congress)
    context = {
        "congress": congress,
        "links": feature_links(congress, roles),
        "roles": sorted(str(StaffRole.Role(r).label) for r in roles if r in Role.STAFF),
        "allocation": rows,
        "totals": totals,
        "delegate_count": congress.delegates.count(),
        "guest_count": congress.guests.count(),
    }
    return render(request, "congress/dashboard.html", context)


def _int_field(data: Any, name: str, label: str, errors: list[str]) -> int:
    try:
        return parse_int(data.get(name), field=str(label), minimum=0)
    except NumberError as bad:
        errors.append(rule_error(bad).message)
        return 0


@require_http_methods(["GET", "POST"])
@congress_view(Role.ORGANIZER)
def setup(request: CongressRequest, slug: str) -> HttpResponse:
    """Member counts per sub-unit and seat numbers → allocation; open and close the session."""
    congress: Congress = request.congress
    actor = request.actor
    units = actions.sub_units(congress)
    errors: list[str] = []
    error_code = ""
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            if "state" in request.POST:
                if request.POST["state"] == Congress.State.IN_SESSION and request.POST.get("confirm") != "1":
                    # Opening cannot be undone: the form's confirmation box must be ticked (no JS needed).
                    raise ActionError(
                        "confirmation_required",
                        _("Bước này không thể hoàn tác: hãy đánh dấu ô xác nhận rồi bấm lại."),
                    )
                actions.set_congress_state(congress, request.POST["state"], actor)
                messages.success(request, _("Đã chuyển trạng thái đại hội."))
                return redirect("setup", congress.slug)
            total = _int_field(request.POST, "total_seats", _("Tổng số đại biểu"), errors)
            ex_officio = _int_field(request.POST, "ex_officio_seats", _("Số đại biểu đương nhiên"), errors)
            minimum = _int_field(request.POST, "minimum_seats_per_unit", _("Tối thiểu mỗi chi bộ"), errors)
            counts = {
                unit.pk: _int_field(request.POST, f"members_{unit.pk}", unit.name, errors) for unit in units
            }
            if not errors:
                rows = actions.configure_seats(
                    congress,
                    actor,
                    total_seats=total,
                    ex_officio_seats=ex_officio,
                    minimum_seats_per_unit=minimum,
                    member_counts=counts,
                )
                messages.success(
                    request,
                    _("Đã phân bổ %(seats)s đại biểu cho %(units)s chi bộ.")
                    % {"seats": sum(r.seats for r in rows), "units": len(rows)},
                )
                return redirect("setup", congress.slug)
        except ActionError as error:
            errors.append(error.message)
            error_code = error.code
        congress.refresh_from_db()
    allocation, totals = _allocation_rows(congress)
    seats_by_unit = {a.unit_id: a for a in SeatAllocation.objects.filter(congress=congress)}
    unit_rows = [
        {
            "unit": unit,
            "members": posted.get(f"members_{unit.pk}", unit.member_count),
            "seats": seats_by_unit[unit.pk].seats if unit.pk in seats_by_unit else None,
        }
        for unit in units
    ]
    context = {
        "congress": congress,
        "units": unit_rows,
        "values": {
            "total_seats": posted.get("total_seats", congress.total_seats),
            "ex_officio_seats": posted.get("ex_officio_seats", congress.ex_officio_seats),
            "minimum_seats_per_unit": posted.get("minimum_seats_per_unit", congress.minimum_seats_per_unit),
        },
        "allocation": allocation,
        "totals": totals,
        "errors": errors,
        "error_code": error_code,
        "is_preparation": congress.state == Congress.State.PREPARATION,
        "State": Congress.State,
    }
    return render(request, "congress/setup.html", context, status=400 if errors else 200)
