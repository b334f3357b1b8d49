"""The one gate for access: who is asking (staff role, delegate card, screen token) and whether
the congress is in a state that allows the view. Views never re-derive either.

    @congress_view(Role.PRESIDIUM, Role.ORGANIZER, states={Congress.State.IN_SESSION})
    def set_current_item(request, slug): ...

The decorated view gets `request.congress` and `request.actor`.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from daihoi.congress.models import Congress, Delegate, StaffRole


class Role:
    ORGANIZER = StaffRole.Role.ORGANIZER.value
    PRESIDIUM = StaffRole.Role.PRESIDIUM.value
    SECRETARIAT = StaffRole.Role.SECRETARIAT.value
    CREDENTIALS = StaffRole.Role.CREDENTIALS.value
    COUNTING = StaffRole.Role.COUNTING.value
    DELEGATE = "delegate"
    SCREEN = "screen"

    STAFF = frozenset({ORGANIZER, PRESIDIUM, SECRETARIAT, CREDENTIALS, COUNTING})
    ALL = STAFF | {DELEGATE, SCREEN}


def delegate_session_key(congress_id: int) -> str:
    return f"daihoi:delegate:{congress_id}"


def screen_session_key(congress_id: int) -> str:
    return f"daihoi:screen:{congress_id}"


@dataclass(frozen=True)
class Actor:
    """Who is asking, within one congress."""

    roles: frozenset[str] = field(default_factory=frozenset)
    user: Any = None
    delegate: Delegate | None = None
    name: str = ""  # a fixed audit label for actors that are not people (the system)

    @property
    def label(self) -> str:
        """How the audit log names this actor. A delegate is named by number, never by ballot."""
        if self.name:
            return self.name
        if self.user is not None and self.user.is_authenticated:
            return f"user:{self.user.get_username()}"
        if self.delegate is not None:
            return f"delegate:{self.delegate.number}"
        if Role.SCREEN in self.roles:
            return "screen"
        return "anonymous"

    @property
    def is_anonymous(self) -> bool:
        return not self.roles

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


# What the app itself does (demo data, scheduled steps): audited as "system", never as a person.
SYSTEM = Actor(roles=frozenset({Role.ORGANIZER}), name="system")


def tokens_match(given: object, expected: str) -> bool:
    """Compare a presented secret with the stored one in constant time (empty never matches)."""
    if not isinstance(given, str) or not given or not expected:
        return False
    return secrets.compare_digest(given.encode(), expected.encode())


def _actor(user: Any, session: Any, congress: Congress, token: str | None) -> Actor:
    """The one place that decides who is asking. `user` has passed Django's session checks."""
    roles: set[str] = set()
    if user is None:
        user = AnonymousUser()
    delegate: Delegate | None = None
    if user.is_authenticated:
        if user.is_superuser:
            roles.add(Role.ORGANIZER)
        roles.update(StaffRole.objects.filter(user=user, congress=congress).values_list("role", flat=True))
    delegate_id = session.get(delegate_session_key(congress.pk)) if session is not None else None
    if delegate_id is not None:
        delegate = Delegate.objects.filter(pk=delegate_id, congress=congress).first()
        if delegate is not None:
            roles.add(Role.DELEGATE)
    if tokens_match(token, congress.screen_token) or (
        session is not None
        and tokens_match(session.get(screen_session_key(congress.pk)), congress.screen_token)
    ):
        roles.add(Role.SCREEN)
    return Actor(roles=frozenset(roles), user=user if user.is_authenticated else None, delegate=delegate)


def actor_for(request: HttpRequest, congress: Congress, token: str | None = None) -> Actor:
    """Who is asking over HTTP: the request's user and session (Django's middleware), or a screen token."""
    return _actor(
        getattr(request, "user", None),
        getattr(request, "session", None),
        congress,
        token or request.GET.get("screen"),
    )


def actor_for_socket(scope: dict[str, Any], congress: Congress, token: str | None = None) -> Actor:
    """Who is asking over a WebSocket: `scope["user"]` as Channels' AuthMiddleware resolved it (with
    Django's session-hash check), the session, or a screen token. The same rules as `actor_for`."""
    return _actor(scope.get("user"), scope.get("session"), congress, token)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def deny(request: HttpRequest, code: str, message: str, status: int = 403) -> HttpResponse:
    if _wants_json(request) or request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return render(request, "congress/denied.html", {"code": code, "message": message, "status": status}, status=status)


def congress_view(
    *roles: str, states: Collection[str] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Allow the view to `roles` (any of them) while the congress is in one of `states` (any if None)."""
    unknown = set(roles) - Role.ALL
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}")
    allowed = frozenset(roles)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            congress = get_object_or_404(Congress, slug=slug)
            actor = actor_for(request, congress, kwargs.get("token"))
            if not actor.roles.intersection(allowed):
                if actor.is_anonymous and not _wants_json(request):
                    if allowed == {Role.DELEGATE}:
                        return redirect("delegate_login")
                    if allowed & Role.STAFF:
                        return redirect(f"/login/?next={request.path}")
                if actor.is_anonymous:
                    return deny(request, "not_signed_in", _("Bạn cần đăng nhập."), status=401)
                return deny(request, "role_denied", _("Bạn không có quyền thực hiện thao tác này."))
            if states is not None and congress.state not in states:
                return deny(
                    request,
                    "congress_state",
                    _("Không thể thực hiện khi đại hội ở trạng thái “%(state)s”.")
                    % {"state": congress.get_state_display()},
                    status=409,
                )
            request.congress = congress  # type: ignore[attr-defined]
            request.actor = actor  # type: ignore[attr-defined]
            return view(request, slug, *args, **kwargs)

        wrapper.daihoi_roles = allowed  # type: ignore[attr-defined]
        wrapper.daihoi_states = None if states is None else frozenset(states)  # type: ignore[attr-defined]
        return wrapper

    return decorate
