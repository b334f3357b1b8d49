"""Signing in: staff by password (Django's LoginView), delegates by the code on their card."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congress.access import delegate_session_key
from daihoi.congress.actions.setup import record_delegate_sign_in
from daihoi.congress.models import Delegate, Guest

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


def _find_delegate(raw_code: str) -> Delegate:
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
            return _sign_in(request, _find_delegate(typed), via="typed")
        except CodeRefused as refused:
            error = refused
    status = 400 if error else 200
    return render(request, "congress/delegate_login.html", {"error": error, "typed": typed}, status=status)


@never_cache
@require_GET
def delegate_card(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code on the card opens: signs the delegate in directly."""
    try:
        return _sign_in(request, _find_delegate(code), via="card")
    except CodeRefused as refused:
        return render(request, "congress/delegate_login.html", {"error": refused, "typed": code}, status=404)
