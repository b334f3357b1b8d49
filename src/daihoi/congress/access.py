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

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from daihoi.congress import raw_rows
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
class CongressRequest(HttpRequest):
    """What a view behind `congress_view` receives: the request, with the congress and who is asking."""

    congress: Congress
    actor: Actor


SYSTEM = Actor(roles=frozenset({Role.ORGANIZER}), name="system")


def tokens_match(given: object, expected: str) -> bool:
    """Compare a presented secret with the stored one in constant time (empty never matches)."""
    if not isinstance(given, str) or not given or not expected:
        return False
    return secrets.compare_digest(given.encode(), expected.encode())


_UNKNOWN: Any = object()  # not looked up yet (the gate's joined query may have found it already)


def _actor(
    user: Any,
    session: Any,
    congress: Congress,
    token: str | None,
    *,
    staff_roles: Collection[str] | None = None,
    delegate: Any = _UNKNOWN,
) -> Actor:
    """The one place that decides who is asking. `user` has passed Django's session checks.
    `staff_roles` and `delegate`, when given, are what the gate's joined read already found."""
    roles: set[str] = set()
    if user is None:
        user = AnonymousUser()
    if user.is_authenticated:
        if user.is_superuser:
            roles.add(Role.ORGANIZER)
        if staff_roles is None:
            staff_roles = StaffRole.objects.filter(user=user, congress=congress).values_list(
                "role", flat=True
            )
        roles.update(staff_roles)
    if delegate is _UNKNOWN:
        delegate = None
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


_DELEGATE_PREFIX = delegate_session_key(0)[:-1]


_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _staff_in_one_read(request: HttpRequest, session: Any, slug: str) -> list[StaffRole] | None:
    """The session's signed-in user's roles in this congress, each with the congress and the user, in one
    joined read; the user is then what `request.user` gives, without its own query. Only when Django's
    session checks pass on the row read (the model backend, an active user, the session's hash); else
    None and `request.user` decides as usual. [] when the user holds no role here (then `request.user`
    decides who it is, as usual)."""
    if session is None or SESSION_KEY not in session or hasattr(request, "_cached_user"):
        return None
    if (
        session.get(BACKEND_SESSION_KEY) != _MODEL_BACKEND
        or _MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
    ):
        return None
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
    except ValidationError:
        return None
    rows = _roles_here(user_id, slug)
    if not rows:
        return []  # no role here: `request.user` still decides who it is (a superuser, an outsider)
    user = rows[0].user
    stored = session.get(HASH_SESSION_KEY)
    if not user.is_active or not stored or not constant_time_compare(stored, user.get_session_auth_hash()):
        return None
    request._cached_user = user  # type: ignore[attr-defined]  # what AuthenticationMiddleware's lazy user loads
    return rows


_DELEGATE_FIELDS = raw_rows.all_fields(Delegate)
_CONGRESS_FIELDS = raw_rows.all_fields(Congress)


def _delegate_here(card_ids: list[int], slug: str) -> Delegate | None:
    """The session's card that is a delegate of the congress `slug`, with its congress: one raw joined
    read of the row `Delegate.objects.select_related("congress").filter(pk__in=card_ids,
    congress__slug=slug)` holds (building that query cost more than running it). A session holds one
    card per congress, so at most one row matches."""
    return raw_rows.one_with_congress(
        connections[DEFAULT_DB_ALIAS],
        Delegate,
        _DELEGATE_FIELDS,
        f"m.id IN ({', '.join(['%s'] * len(card_ids))}) AND c.slug = %s",
        [*card_ids, slug],
        " ORDER BY m.id LIMIT 1",
    )


_ROLE_FIELDS = raw_rows.all_fields(StaffRole)


def _roles_here(user_id: Any, slug: str) -> list[StaffRole]:
    """The user's roles in the congress `slug`, each with the congress and the user: one raw joined read
    of what `StaffRole.objects.select_related("congress", "user").filter(user_id=user_id,
    congress__slug=slug)` gives."""
    connection = connections[DEFAULT_DB_ALIAS]
    user_model = get_user_model()
    user_fields = raw_rows.all_fields(user_model)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {raw_rows.columns(StaffRole, _ROLE_FIELDS, 's', connection)}, "  # noqa: S608
            f"{raw_rows.columns(Congress, _CONGRESS_FIELDS, 'c', connection)}, "
            f"{raw_rows.columns(user_model, user_fields, 'u', connection)} "
            f"FROM {raw_rows.table(StaffRole, connection)} s "
            f"JOIN {raw_rows.table(Congress, connection)} c ON c.id = s.congress_id "
            f"JOIN {raw_rows.table(user_model, connection)} u ON u.id = s.user_id "
            f"WHERE s.user_id = %s AND c.slug = %s ORDER BY s.id",
            [user_id, slug],
        )
        found = cursor.fetchall()
    rows = []
    for row in found:
        role, role.congress, role.user = raw_rows.instances(
            connection,
            row,
            (StaffRole, _ROLE_FIELDS),
            (Congress, _CONGRESS_FIELDS),
            (user_model, user_fields),
        )
        rows.append(role)
    return rows


def _congress(slug: str) -> Congress | None:
    """The congress `slug` (unique), as `Congress.objects.filter(slug=slug).first()`, in one raw read."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {raw_rows.columns(Congress, _CONGRESS_FIELDS, 'c', connection)} "  # noqa: S608
            f"FROM {raw_rows.table(Congress, connection)} c WHERE c.slug = %s ORDER BY c.id LIMIT 1",
            [slug],
        )
        row = cursor.fetchone()
    return None if row is None else raw_rows.instance(connection, Congress, _CONGRESS_FIELDS, row)


def _gate(request: HttpRequest, slug: str, token: str | None) -> tuple[Congress | None, Actor]:
    """The congress and who is asking, in one joined read for a delegate or for staff with a role here.

    `request.user` is touched only when the session holds a signed-in user (a phone never pays for the
    user lookup); a delegate's card comes with its congress; a staff member's roles with theirs."""
    session = getattr(request, "session", None)
    user: Any = AnonymousUser()
    congress: Congress | None = None
    staff_roles: list[str] | None = None
    delegate: Any = _UNKNOWN
    rows = _staff_in_one_read(request, session, slug)
    if rows:  # the signed-in user came with their roles here and the congress
        user = rows[0].user
    elif session is None or SESSION_KEY in session:  # no session: a user set by other means (a test)
        user = getattr(request, "user", user)
    if user.is_authenticated:
        if rows is None:
            rows = list(StaffRole.objects.select_related("congress").filter(user=user, congress__slug=slug))
        if rows:
            congress, staff_roles = rows[0].congress, [row.role for row in rows]
        else:
            staff_roles = []
    if session is not None:
        cards = {
            value: int(key[len(_DELEGATE_PREFIX) :])
            for key, value in session.items()
            if key.startswith(_DELEGATE_PREFIX) and key[len(_DELEGATE_PREFIX) :].isdigit()
        }
        if cards:
            found = _delegate_here(sorted(cards), slug)
            delegate = found if found is not None and cards.get(found.pk) == found.congress_id else None
            if delegate is not None:
                congress = congress or delegate.congress
                delegate.congress = congress
        else:
            delegate = None
    if congress is None:
        congress = _congress(slug)
        if congress is None:
            return None, Actor()
    actor = _actor(
        user,
        session,
        congress,
        token or request.GET.get("screen"),
        staff_roles=staff_roles,
        delegate=delegate,
    )
    return congress, actor


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


# --- the live token ---------------------------------------------------------------------------------
# A page the gate let through carries a signed token (`<meta name="daihoi-live">`) that opens the live
# socket without a database round trip: a hall's phones reconnecting after a Wi-Fi drop must not each
# cost a session read, a user read and a congress read. It names the congress and the roles the gate
# found, is signed with the secret key (django.core.signing) and expires after LIVE_TOKEN_MAX_AGE. The
# socket only ever carries the public state, so a role withdrawn meanwhile lets that page keep watching
# what the projector shows until the token expires, nothing more.
LIVE_TOKEN_SALT = "daihoi.live-socket"  # noqa: S105 - a signing salt, not a secret
LIVE_TOKEN_MAX_AGE = 12 * 3600


def live_token(congress: Congress, actor: Actor) -> str:
    """The signed token that lets this page's live socket in (empty for an anonymous actor)."""
    if actor.is_anonymous:
        return ""
    return signing.dumps(
        {"c": congress.pk, "s": congress.slug, "r": sorted(actor.roles)}, salt=LIVE_TOKEN_SALT, compress=False
    )


def live_grant(token: object) -> dict[str, Any] | None:
    """The payload of a valid, unexpired live token, else None (no database)."""
    if not isinstance(token, str) or not token or len(token) > 1000:
        return None
    try:
        payload = signing.loads(token, salt=LIVE_TOKEN_SALT, max_age=LIVE_TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        return None
    return payload


def actor_for_live_token(token: object, slug: str) -> tuple[int, Actor] | None:
    """Who a socket is, from its signed live token for the congress `slug`: (congress id, actor) or None."""
    payload = live_grant(token)
    if payload is None or payload.get("s") != slug:
        return None
    roles = frozenset(r for r in payload.get("r", ()) if r in Role.ALL)
    if not roles:
        return None
    return payload["c"], Actor(roles=roles)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def deny(request: HttpRequest, code: str, message: str, status: int = 403) -> HttpResponse:
    if _wants_json(request) or request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return render(
        request, "congress/denied.html", {"code": code, "message": message, "status": status}, status=status
    )


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
            congress, actor = _gate(request, slug, kwargs.get("token"))
            if congress is None:
                raise Http404
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
            request.live_token = functools.partial(live_token, congress, actor)  # type: ignore[attr-defined]
            return view(request, slug, *args, **kwargs)

        wrapper.daihoi_roles = allowed  # type: ignore[attr-defined]
        wrapper.daihoi_states = None if states is None else frozenset(states)  # type: ignore[attr-defined]
        return wrapper

    return decorate
