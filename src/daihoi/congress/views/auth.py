"""Signing in: staff by password (Django's LoginView), delegates by the code on their card."""

from __future__ import annotations

import re

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congress.access import delegate_session_key
from daihoi.congress.actions.setup import record_delegate_sign_in
from daihoi.congress.models import Delegate, Guest
from daihoi.web.throttle import CARD_CODE, STAFF_LOGIN, client_address, minutes

# People type codes with spaces, dashes or in lower case; cards print them in groups.
_SEPARATORS = re.compile(r"[\s\-–—._]+")


def normalize_code(raw: str) -> str:
    """'abcd-efgh 23' -> 'ABCDEFGH23'."""
    return _SEPARATORS.sub("", raw or "").upper()


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for scripts and tests: no database, no session."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _delegate_home_url(delegate: Delegate) -> str:
    try:
        return reverse("delegate_home", args=[delegate.congress.slug])
    except NoReverseMatch:  # the delegate's pages are another feature; fall back to the sign-in page
        return reverse("delegate_login")


class CodeRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _throttled_message(wait: int) -> str:
    return _(
        "Đã nhập sai quá nhiều lần từ máy này. Xin đợi %(minutes)s phút rồi thử lại, "
        "hoặc nhờ bàn điểm danh giúp."
    ) % {"minutes": minutes(wait)}


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's staff login form, refused for a while after too many wrong passwords for one account
    from one address (daihoi.web.throttle)."""

    throttled_message = ""

    def _who(self) -> str:
        username = (self.cleaned_data.get("username") or "").strip().lower()
        return f"{client_address(self.request)}|{username}" if self.request else username

    def clean(self) -> dict[str, object]:
        wait = STAFF_LOGIN.wait(self._who())
        if wait:
            self.throttled_message = _throttled_message(wait)
            raise ValidationError(self.throttled_message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            STAFF_LOGIN.failed(self._who())
            raise
        STAFF_LOGIN.clear(self._who())
        return cleaned


class StaffLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "congress/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "throttled_message", ""):
            response.status_code = 429
        return response


def _find_delegate(request: HttpRequest, raw_code: str) -> Delegate:
    # Only wrong codes count, and a right one does not reset the count: one known card must not
    # open the way to guessing the others.
    wait = CARD_CODE.wait(client_address(request))
    if wait:
        raise CodeRefused("throttled", _throttled_message(wait))
    try:
        return _lookup_delegate(raw_code)
    except CodeRefused as refused:
        if refused.code != "code_missing":
            CARD_CODE.failed(client_address(request))
        raise


def _lookup_delegate(raw_code: str) -> Delegate:
    code = normalize_code(raw_code)
    if not code:
        raise CodeRefused("code_missing", _("Xin nhập mã in trên thẻ đại biểu."))
    delegate = Delegate.objects.select_related("congress").filter(code=code).first()
    if delegate is not None:
        return delegate
    if Guest.objects.filter(code=code).exists():
        raise CodeRefused(
            "guest_code",
            _("Mã %(code)s là mã của khách mời. Khách mời không có quyền biểu quyết.") % {"code": code},
        )
    raise CodeRefused(
        "unknown_code",
        _("Không tìm thấy đại biểu có mã %(code)s. Xin kiểm tra lại mã in trên thẻ.") % {"code": code},
    )


def _sign_in(request: HttpRequest, delegate: Delegate, via: str) -> HttpResponse:
    request.session.cycle_key()  # a new session id: a code typed on a shared phone cannot be ridden
    request.session[delegate_session_key(delegate.congress_id)] = delegate.pk
    record_delegate_sign_in(delegate, via=via)
    return redirect(_delegate_home_url(delegate))


@never_cache
@require_http_methods(["GET", "POST"])
def delegate_login(request: HttpRequest) -> HttpResponse:
    """A phone-friendly form: type the code printed on the card."""
    error: CodeRefused | None = None
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("code", "")
        try:
            return _sign_in(request, _find_delegate(request, typed), via="typed")
        except CodeRefused as refused:
            error = refused
    status = (429 if error.code == "throttled" else 400) if error else 200
    return render(request, "congress/delegate_login.html", {"error": error, "typed": typed}, status=status)


@never_cache
@require_GET
def delegate_card(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code on the card opens: signs the delegate in directly."""
    try:
        return _sign_in(request, _find_delegate(request, code), via="card")
    except CodeRefused as refused:
        status = 429 if refused.code == "throttled" else 404
        return render(
            request, "congress/delegate_login.html", {"error": refused, "typed": code}, status=status
        )
