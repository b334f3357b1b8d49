"""The denial matrix: every gated view, every persona.

The URL resolver is walked for every view carrying `daihoi_roles` (set by `congress_view`), so views
other features add are covered without touching this file. For each (view, persona):

- a persona the view does not allow is refused on GET and POST: a redirect to the (delegate) login
  for anonymous HTML, else 401/403/405, never 200;
- a persona the view allows gets 2xx/3xx on GET (a POST-only view: on POST, where the view's own coded
  400/409 for an empty form also counts, but never a gate code), except the few routes named in ALLOWED_BUT_NOT_2XX, whose status is
  asserted exactly.

And a view limited to some congress states refuses, in any other state, with code `congress_state`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from daihoi.congress.access import SYSTEM, Role, congress_view
from daihoi.congress.models import AgendaItem, CheckIn, Congress, SpeakerRequest
from daihoi.drafts.actions.comments import delegate_comment
from daihoi.drafts.actions.synthesis import make_first_draft
from daihoi.voting.models import Election, Motion, PaperBatch
from tests.drafts.helpers import make_draft
from tests.factories import delegate_client, login_as, make_congress, make_election, make_staff

# Allowed personas get 2xx/3xx (or, from a POST-only view given an empty form, the view's own coded
# 400/409, never one of the gate's codes).
# These routes answer otherwise for a reason of the World's state, named here; each is asserted exactly.
ALLOWED_BUT_NOT_2XX: dict[str, int] = {
    "election_receipts": 404,  # receipts are published after certification; the World's election is open
    "election_record": 404,  # so is the encrypted election's record (issue 10)
    "motion_record": 404,  # and an anonymous motion's, once decided; the World's motion is open
    # The World's congress has no last term under review, so no year of one exists.
    "term_review_year": 404,
    "term_review_year_save": 404,
}
GATE_CODES = ("not_signed_in", "role_denied", "congress_state")
# Congress URLs (with a `slug`) that are deliberately not behind `congress_view`. Keep this small.
UNGATED_CONGRESS_URLS: frozenset[str] = frozenset()
# Gated URLs the matrix cannot build (regex routes, odd converters). Keep this small.
SKIPPED: frozenset[str] = frozenset()

MISSING_ID = 999_999_999
WRONG_TOKEN = "not-the-screen-token"
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # e.g. "c/<slug:slug>/desk/"
    callback: Any

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.callback.daihoi_roles)

    @property
    def states(self) -> frozenset[str] | None:
        return getattr(self.callback, "daihoi_states", None)

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m["converter"] or "str", m["name"]) for m in _PARAM.finditer(self.route)]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any, bool]]:
    for p in patterns:
        is_route = isinstance(p.pattern, RoutePattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            for route, name, callback, ok in _walk(p.url_patterns, prefix + str(p.pattern), ns):
                yield route, name, callback, ok and is_route
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else prefix + str(p.pattern)
            yield prefix + str(p.pattern), name, p.callback, is_route


def collect() -> tuple[list[Route], list[str], list[str]]:
    """Gated routes; congress URLs without the gate; gated routes that are not plain `path()` routes."""
    gated, ungated, unbuildable = [], [], []
    for route, name, callback, is_route in _walk(get_resolver().url_patterns):
        if getattr(callback, "daihoi_roles", None):
            if not is_route:
                unbuildable.append(name)
            elif name not in SKIPPED:
                gated.append(Route(name, route, callback))
        elif "<slug:slug>" in route or "(?P<slug>" in route:
            ungated.append(name)
    return gated, ungated, unbuildable


ROUTES, UNGATED, UNBUILDABLE = collect()

PERSONAS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "outsider": frozenset(),  # organizer of ANOTHER congress
    "outsider_delegate": frozenset(),  # delegate of ANOTHER congress
    "guest": frozenset(),  # tried to sign in with a guest's card code
    "organizer": frozenset({Role.ORGANIZER}),
    "presidium": frozenset({Role.PRESIDIUM}),
    "secretariat": frozenset({Role.SECRETARIAT}),
    "credentials": frozenset({Role.CREDENTIALS}),
    "counting": frozenset({Role.COUNTING}),
    "delegate": frozenset({Role.DELEGATE}),
    "screen": frozenset({Role.SCREEN}),
}


class World:
    """A congress with one of each object a URL may name, and another congress for outsiders."""

    def __init__(self) -> None:
        self.congress = make_congress(delegates=3, guests=1)
        self.other = make_congress(delegates=1)
        self.delegate = self.congress.delegates.get(number=1)
        self.guest = self.congress.guests.get()
        self.item = AgendaItem.objects.create(congress=self.congress, order=1, title="Khai mạc")
        self.speaker_request = SpeakerRequest.objects.create(
            congress=self.congress,
            agenda_item=self.item,
            delegate=self.delegate,
            topic="Tham luận",
            requested_at=timezone.now(),
        )
        self.checkin = CheckIn.objects.create(
            congress=self.congress, delegate=self.delegate, action="in", nonce="matrix-1", at=timezone.now()
        )
        self.unit = self.congress.organization.children.first()
        self.election = make_election(
            self.congress,
            candidates=3,
            seats=2,
            counting=1,
            status=Election.Status.OPEN,
            allows_electronic=True,
        )
        self.candidate = self.election.candidates.first()
        self.batch = PaperBatch.objects.create(election=self.election, number=1)
        self.motion = Motion.objects.create(
            congress=self.congress,
            title="Thông qua chương trình đại hội",
            method=Motion.Method.ELECTRONIC,
            status=Motion.Status.OPEN,
            opened_at=timezone.now(),
        )
        # A draft with a delegate's comment and the synthesis's first draft, for the drafts' pages.
        self.draft = make_draft(self.congress)
        self.section = self.draft.sections.first()
        self.comment = delegate_comment(
            self.draft,
            self.delegate,
            SYSTEM,
            section=self.section.pk,
            kind="amend",
            text="Đề nghị bổ sung số liệu.",
        )
        make_first_draft(self.draft, SYSTEM)
        self.ids = {
            "delegate": self.delegate.pk,
            "guest": self.guest.pk,
            "item": self.item.pk,
            "agenda_item": self.item.pk,
            "agendaitem": self.item.pk,
            "speaker_request": self.speaker_request.pk,
            "speakerrequest": self.speaker_request.pk,
            "speaker": self.speaker_request.pk,
            "request": self.speaker_request.pk,
            "checkin": self.checkin.pk,
            "check_in": self.checkin.pk,
            "unit": self.unit.pk,
            "organization": self.unit.pk,
            "election": self.election.pk,
            "candidate": self.candidate.pk,
            "batch": self.batch.pk,
            "motion": self.motion.pk,
            "draft": self.draft.pk,
            "section": self.section.pk,
            "comment": self.comment.pk,
            "year": self.congress.term_start + 1,  # a year of the term, not an object's id
        }

    def set_state(self, state: str) -> None:
        Congress.objects.filter(pk=self.congress.pk).update(state=state)

    def int_id(self, route: Route, name: str) -> int:
        key = name.removesuffix("_id").removesuffix("_pk")
        if key in ("pk", "id"):  # the URL name says what it is: "guest_edit", "item_start", ...
            key = next((k for k in self.ids if k in route.name), "")
        if key in self.ids:
            return self.ids[key]
        return self._model_id(key)

    def _model_id(self, key: str) -> int:
        """An object of the model the kwarg names (`motion_id` → Motion), in this congress, if one exists."""
        wanted = key.replace("_", "")
        for model in apps.get_models():
            if model._meta.model_name != wanted:
                continue
            fields = {f.name: f for f in model._meta.get_fields()}
            if "congress" in fields:
                obj = model._default_manager.filter(congress=self.congress).first()
            else:
                via = next(
                    (
                        f.name
                        for f in fields.values()
                        if f.is_relation
                        and f.many_to_one
                        and f.related_model
                        and any(g.name == "congress" for g in f.related_model._meta.get_fields())
                    ),
                    None,
                )
                obj = (
                    model._default_manager.filter(**{f"{via}__congress": self.congress}).first()
                    if via
                    else None
                )
            if obj is not None:
                return obj.pk
        return MISSING_ID  # the gate answers before the view looks the object up

    def url(self, route: Route, persona: str) -> str:
        def value(match: re.Match[str]) -> str:
            converter, name = match["converter"] or "str", match["name"]
            if name == "slug":
                return self.congress.slug
            if name == "token":
                return self.congress.screen_token if persona == "screen" else WRONG_TOKEN
            if converter == "int":
                return str(self.int_id(route, name))
            if converter == "uuid":
                return "00000000-0000-0000-0000-000000000000"
            if name == "code":
                return self.delegate.code
            if name == "fmt":  # a document's format: the lightest one each view gives
                return "json" if "export" in route.name else "docx"
            return "x"

        path = "/" + _PARAM.sub(value, route.route)
        if persona == "screen" and "<token>" not in route.route and ":token>" not in route.route:
            path += f"?screen={self.congress.screen_token}"
        return path

    def client(self, persona: str) -> Client:
        client = Client()
        if persona in ("organizer", "presidium", "secretariat", "credentials", "counting"):
            return login_as(client, self.congress, persona)
        if persona == "outsider":
            return login_as(client, self.other, Role.ORGANIZER)
        if persona == "outsider_delegate":
            return delegate_client(client, self.other.delegates.get())
        if persona == "delegate":
            return delegate_client(client, self.delegate)
        if persona == "guest":
            refused = client.post(reverse("delegate_login"), {"code": self.guest.code})
            assert refused.status_code == 400
        return client


def _refusal_problem(response: HttpResponse) -> str | None:
    """None if the response refuses; else what is wrong with it."""
    status = response.status_code
    if status in (401, 403, 405):
        return None
    if status == 302:
        location = response["Location"]
        if location.startswith(reverse("login")) or location == reverse("delegate_login"):
            return None
        return f"redirected to {location}, not to a login"
    return f"answered {status}"


def _pick_state(route: Route) -> str:
    if route.states is None or Congress.State.IN_SESSION in route.states:
        return Congress.State.IN_SESSION
    return sorted(route.states)[0]


CASES = [
    pytest.param(route, persona, id=f"{route.name}-{persona}") for route in ROUTES for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "persona"), CASES)
def test_persona_is_refused_or_let_in_as_the_gate_says(route: Route, persona: str):
    world = World()
    world.set_state(_pick_state(route))
    client = world.client(persona)
    url = world.url(route, persona)
    allowed = bool(PERSONAS[persona] & route.roles)
    got = client.get(url)
    if allowed:
        answer, method = got, "GET"
        if got.status_code == 405:  # a POST-only view: an empty form is refused by the view, not the gate
            answer, method = client.post(url, {}), "POST"
        expected = ALLOWED_BUT_NOT_2XX.get(route.name)
        if expected is not None:
            assert answer.status_code == expected, f"{persona} {method} {url}: {answer.status_code}"
        elif method == "POST" and answer.status_code in (400, 409):  # the view's own coded refusal
            assert not any(code.encode() in answer.content for code in GATE_CODES), answer.content[:300]
        else:
            assert 200 <= answer.status_code < 400, f"{persona} {method} {url}: {answer.status_code}"
        if answer.status_code == 302:
            location = answer["Location"]
            assert not location.startswith(reverse("login")), f"{persona} {method} {url} → login"
            assert location != reverse("delegate_login"), f"{persona} {method} {url} → delegate login"
    else:
        problem = _refusal_problem(got)
        assert problem is None, f"{persona} GET {url} should be refused but {problem}"
        posted = client.post(url, {})
        problem = _refusal_problem(posted)
        assert problem is None, f"{persona} POST {url} should be refused but {problem}"


def congress_routes() -> list[str]:
    """Every route of the resolver that names a congress, gated or not."""
    return [
        name
        for route, name, _callback, _ok in _walk(get_resolver().url_patterns)
        if "<slug:slug>" in route or "(?P<slug>" in route
    ]


def test_the_matrix_covers_every_congress_route():
    names = {route.name for route in ROUTES}
    everything = congress_routes()
    assert len(ROUTES) == len(everything) - len(UNGATED_CONGRESS_URLS), sorted(set(everything) - names)
    assert len(ROUTES) > 50  # the hall, roll, agenda, check-in, elections, motions, counting...
    for known in (
        "dashboard", "setup", "roll", "credentials", "credentials_report", "cards_pdf", "guests", "desk",
        "board", "agenda_manage", "speakers_manage", "screen", "delegate_home", "election_detail",
        "motion_detail", "count_page",
    ):  # fmt: skip
        assert get_resolver().reverse_dict.getlist(known), f"{known} is not routed"
        assert known in names, f"{known} is routed but not behind congress_view"


def test_the_named_exceptions_are_routes():
    assert set(ALLOWED_BUT_NOT_2XX) <= {route.name for route in ROUTES}


def test_every_congress_url_goes_through_the_gate():
    assert sorted(set(UNGATED) - UNGATED_CONGRESS_URLS) == []


def test_every_gated_url_is_a_plain_route_the_matrix_can_build():
    assert sorted(set(UNBUILDABLE) - SKIPPED) == []


STATE_CASES = [
    pytest.param(route, id=route.name)
    for route in ROUTES
    if route.states is not None and set(Congress.State.values) - set(route.states)
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", STATE_CASES)
def test_view_refuses_outside_its_congress_states_with_code_congress_state(route: Route):
    world = World()
    outside = sorted(set(Congress.State.values) - set(route.states or ()))
    state = Congress.State.CLOSED if Congress.State.CLOSED in outside else outside[0]
    world.set_state(state)
    persona = next(p for p, roles in PERSONAS.items() if roles & route.roles)
    client = world.client(persona)
    url = world.url(route, persona)
    response = client.get(url)
    if response.status_code == 405:  # POST-only: the gate still answers first
        response = client.post(url, {})
    assert response.status_code == 409, f"{persona} {url}: {response.status_code}"
    assert b"congress_state" in response.content


@pytest.mark.django_db
def test_closed_congress_refuses_an_in_session_action_with_code_congress_state():
    @congress_view(Role.PRESIDIUM, states={Congress.State.IN_SESSION})
    def start_item(request: HttpRequest, slug: str) -> HttpResponse:
        return HttpResponse("started")

    congress = make_congress(state=Congress.State.CLOSED)
    request = RequestFactory().post(f"/c/{congress.slug}/start/", HTTP_ACCEPT="application/json")
    request.user = make_staff(congress, Role.PRESIDIUM)
    response = start_item(request, congress.slug)
    assert response.status_code == 409
    assert b'"code": "congress_state"' in response.content
    Congress.objects.filter(pk=congress.pk).update(state=Congress.State.IN_SESSION)
    assert start_item(request, congress.slug).content == b"started"
    request.user = AnonymousUser()
    assert start_item(request, congress.slug).status_code == 401


@pytest.mark.django_db
def test_preparation_congress_refuses_an_in_session_action_too():
    @congress_view(Role.ORGANIZER, states={Congress.State.IN_SESSION})
    def open_vote(request: HttpRequest, slug: str) -> HttpResponse:
        return HttpResponse("opened")

    congress = make_congress(state=Congress.State.PREPARATION)
    request = RequestFactory().get(f"/c/{congress.slug}/vote/")
    request.user = make_staff(congress, Role.ORGANIZER)
    response = open_vote(request, congress.slug)
    assert response.status_code == 409
    assert b'data-code="congress_state"' in response.content
