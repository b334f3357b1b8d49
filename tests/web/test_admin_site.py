"""The Django admin for the site administrator: everything of a congress read-only, nothing deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry
from daihoi.congress.models import Delegate
from tests.factories import make_congress, make_staff

pytestmark = pytest.mark.django_db


def superuser_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-admin-pass-123"))
    return client


def test_the_site_administrator_sees_delegates_and_audit_entries_read_only():
    congress = make_congress(delegates=2, units=1)
    delegate = Delegate.objects.filter(congress=congress).first()
    client = superuser_client()
    assert client.get("/admin/").status_code == 200
    listing = client.get("/admin/congress/delegate/")
    assert listing.status_code == 200
    assert delegate.full_name in listing.content.decode()
    assert client.get("/admin/congress/delegate/add/").status_code == 403
    page = client.get(f"/admin/congress/delegate/{delegate.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    before = (delegate.full_name, delegate.number)
    r = client.post(f"/admin/congress/delegate/{delegate.pk}/change/", {"full_name": "Đã sửa", "number": 99})
    assert r.status_code == 403
    delegate.refresh_from_db()
    assert (delegate.full_name, delegate.number) == before
    assert client.post(f"/admin/congress/delegate/{delegate.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Delegate.objects.filter(pk=delegate.pk).exists()
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/voting/electronicballot/").status_code == 200
    with transaction.atomic():
        entry = audit.record(actor="system", action="test.entry", congress_id=congress.pk, obj=congress)
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_congress_staff_are_not_let_into_the_admin():
    congress = make_congress(delegates=0, units=0)
    client = Client()
    client.force_login(make_staff(congress, "organizer"))
    r = client.get("/admin/congress/delegate/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
