"""The one gate in few queries: a delegate's page costs one joined read (the card with its congress),
a staff page one too (the roles with their congress and the user; the session's checks made on that
row); the session comes from the cache, and `request.user` is not looked up when the session holds no
signed-in user."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.contrib.sessions.backends.cached_db import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from daihoi.congress.access import Role, congress_view
from tests.factories import delegate_client, make_congress, make_staff


@congress_view(*Role.ALL)
def seen(request, slug):
    return HttpResponse(",".join(sorted(request.actor.roles)))


def request_of(client: Client, slug: str, looked_up: list[str] | None = None):
    """A request as Django's session and authentication middleware hand it to a view."""
    request = RequestFactory().get(f"/c/{slug}/x")
    request.session = SessionStore(client.cookies["sessionid"].value)

    def user():  # as AuthenticationMiddleware's lazy user: read once, kept in `_cached_user`
        if not hasattr(request, "_cached_user"):
            if looked_up is not None:
                looked_up.append("user")
            request._cached_user = get_user(request)
        return request._cached_user

    request.user = SimpleLazyObject(user)
    return request


@pytest.mark.django_db
def test_a_delegate_page_passes_the_gate_in_one_query_without_a_user_lookup(django_assert_num_queries):
    congress = make_congress(delegates=2)
    delegate = congress.delegates.get(number=2)
    looked_up: list[str] = []
    request = request_of(delegate_client(Client(), delegate), congress.slug, looked_up)
    with django_assert_num_queries(1):
        answer = seen(request, congress.slug)
    assert answer.content == b"delegate" and request.actor.delegate == delegate
    assert request.congress == congress and looked_up == []


@pytest.mark.django_db
def test_a_delegate_of_another_congress_is_not_a_delegate_here(django_assert_num_queries):
    congress, other = make_congress(delegates=1), make_congress(delegates=1)
    client = delegate_client(Client(), other.delegates.get(number=1))
    with django_assert_num_queries(2):  # no card here, then the congress alone
        answer = seen(request_of(client, congress.slug), congress.slug)
    assert answer.status_code == 302  # anonymous here: sent to sign in


@pytest.mark.django_db
def test_a_staff_page_passes_the_gate_in_one_query(django_assert_num_queries):
    congress = make_congress(delegates=1)
    client = Client()
    user = make_staff(congress, Role.SECRETARIAT)
    client.force_login(user)
    looked_up: list[str] = []
    request = request_of(client, congress.slug, looked_up)
    with django_assert_num_queries(1):
        answer = seen(request, congress.slug)
        assert request.user == user  # what the middleware's lazy user gives, already read
    assert answer.content == b"secretariat" and request.congress == congress and looked_up == []


@pytest.mark.django_db
def test_a_staff_session_made_stale_by_a_new_password_is_signed_out_not_let_through():
    congress = make_congress(delegates=1)
    client = Client()
    user = make_staff(congress, Role.ORGANIZER)
    client.force_login(user)
    user.set_password("another-password-2")
    user.save()
    request = request_of(client, congress.slug)
    answer = seen(request, congress.slug)
    assert answer.status_code == 302 and not request.user.is_authenticated


@pytest.mark.django_db
def test_a_deactivated_staff_member_is_not_let_through():
    congress = make_congress(delegates=1)
    client = Client()
    user = make_staff(congress, Role.ORGANIZER)
    client.force_login(user)
    user.is_active = False
    user.save()
    answer = seen(request_of(client, congress.slug), congress.slug)
    assert answer.status_code == 302


@pytest.mark.django_db
def test_a_superuser_without_a_role_here_is_an_organizer_in_three_queries(django_assert_num_queries):
    from django.contrib.auth import get_user_model

    congress = make_congress(delegates=1)
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root-x", password="root-password-1"))
    with django_assert_num_queries(3):  # no role row; the user; the congress
        answer = seen(request_of(client, congress.slug), congress.slug)
    assert answer.content == b"organizer"


@pytest.mark.django_db
def test_staff_of_another_congress_gets_no_role_here():
    congress, other = make_congress(delegates=1), make_congress(delegates=1)
    client = Client()
    client.force_login(make_staff(other, Role.PRESIDIUM))
    answer = seen(request_of(client, congress.slug), congress.slug)
    assert answer.status_code == 302  # no role here: anonymous to this congress, sent to sign in


@pytest.mark.django_db
def test_an_unknown_congress_is_not_found():
    from django.http import Http404

    congress = make_congress(delegates=1)
    client = delegate_client(Client(), congress.delegates.get(number=1))
    with pytest.raises(Http404):
        seen(request_of(client, "no-such-congress"), "no-such-congress")


def fields_of(instance) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.django_db
def test_the_gates_raw_reads_give_the_orms_instances():
    """The gate reads a card and its congress with hand-written SQL (`raw_rows`); every field, dates and
    booleans and JSON included, holds what the ORM would have read, with the same Python types."""
    import datetime as dt

    from django.utils import timezone

    from daihoi.congress.access import _congress, _delegate_here
    from daihoi.congress.models import Congress, Delegate

    congress = make_congress(delegates=3)
    Congress.objects.filter(pk=congress.pk).update(
        is_electronic_voting_enabled=True, starts_on=dt.date(2025, 6, 20)
    )
    Delegate.objects.filter(congress=congress, number=2).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    orm = Delegate.objects.select_related("congress").get(congress=congress, number=2)
    raw = _delegate_here([orm.pk], congress.slug)
    assert raw is not None
    for ours, theirs in ((raw, orm), (raw.congress, orm.congress), (_congress(congress.slug), orm.congress)):
        assert fields_of(ours) == fields_of(theirs)
        assert {k: type(v) for k, v in fields_of(ours).items()} == {
            k: type(v) for k, v in fields_of(theirs).items()
        }
    assert raw.congress.is_electronic_voting_enabled is True and isinstance(raw.checked_in_at, dt.datetime)
    # A staff member's roles here, each with its congress and the user.
    from daihoi.congress.access import _roles_here
    from daihoi.congress.models import StaffRole

    user = make_staff(congress, StaffRole.Role.PRESIDIUM)
    StaffRole.objects.create(user=user, congress=congress, role=StaffRole.Role.COUNTING)
    make_staff(congress, StaffRole.Role.ORGANIZER)  # someone else's role: not theirs
    theirs_all = list(
        StaffRole.objects.select_related("congress", "user").filter(
            user_id=user.pk, congress__slug=congress.slug
        )
    )
    ours_all = _roles_here(user.pk, congress.slug)
    assert len(ours_all) == len(theirs_all) == 2
    for ours, theirs in zip(ours_all, sorted(theirs_all, key=lambda r: r.pk), strict=True):
        for a, b in ((ours, theirs), (ours.congress, theirs.congress), (ours.user, theirs.user)):
            assert fields_of(a) == fields_of(b)
            assert {k: type(v) for k, v in fields_of(a).items()} == {
                k: type(v) for k, v in fields_of(b).items()
            }
    assert _roles_here(user.pk, make_congress(delegates=1).slug) == []
    # Not a card of this congress: nothing, whatever the other ids.
    other = make_congress(delegates=1)
    assert _delegate_here([other.delegates.get().pk], congress.slug) is None
    assert _congress("no-such-congress") is None


@pytest.mark.django_db
def test_a_hall_of_phones_keeps_its_sessions_in_memory(django_assert_num_queries):
    """2,000 phones signed in: each one's next request reads its session from memory, not the database
    (at Django's default of 300 cached sessions the phones culled one another)."""
    keys = []
    for n in range(2000):
        store = SessionStore()
        store["n"] = n
        store.create()
        keys.append(store.session_key)
    with django_assert_num_queries(0):
        assert [SessionStore(key)["n"] for key in keys] == list(range(2000))
