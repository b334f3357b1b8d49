"""Organizations, organizers, the organizer's wizard, the preparation page and the sign-in sheet."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import Client
from django.urls import reverse

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM
from daihoi.congress.actions import setup as setup_actions
from daihoi.congress.models import Congress, Organization, Organizer, SeatAllocation, StaffRole

pytestmark = pytest.mark.django_db

WIZARD = {
    "kind": "youth_union",
    "rules": "",
    "congress_kind": "delegates",
    "ordinal": "5",
    "term_start": "2027",
    "term_end": "2032",
    "starts_on": "2027-05-10",
    "ends_on": "2027-05-11",
    "venue": "Hội trường phường",
    "theme": "Tuổi trẻ tiên phong",
    "name": "",
    "slug": "doan-hoa-binh",
    "units": "Chi đoàn khu phố 1; 40\nChi đoàn khu phố 2; 55\nChi đoàn khu phố 3; 25",
    "total_seats": "30",
    "ex_officio_seats": "3",
    "minimum_seats_per_unit": "1",
    "staff": "chutich1; Nguyễn Văn An; presidium\nthuky1; Trần Thị Bình; secretariat, counting",
}


def admin_client() -> Client:
    admin = get_user_model().objects.create_superuser("quantri", password="x-admin-pass-123")
    client = Client()
    client.force_login(admin)
    return client


def sheet_passwords(html: str) -> dict[str, str]:
    users = re.findall(r'class="username">([^<]+)<', html)
    passwords = re.findall(r'class="password">([^<]+)<', html)
    return dict(zip(users, passwords, strict=True))


def test_site_admin_creates_an_organization_and_an_organizer_whose_sheet_signs_in_once():
    client = admin_client()
    r = client.post(
        reverse("site_setup"),
        {
            "form": "organization",
            "name": "Đoàn TNCS Hồ Chí Minh phường Hoà Bình",
            "kind": "youth_union",
            "place": "Hà Nội",
        },
    )
    assert r.status_code == 302
    org = Organization.objects.get(parent=None, name="Đoàn TNCS Hồ Chí Minh phường Hoà Bình")
    assert (org.kind, org.place) == ("youth_union", "Hà Nội")
    r = client.post(
        reverse("site_setup"),
        {"form": "organizer", "organization": org.pk, "username": "btc1", "full_name": "Lê Văn Cường"},
    )
    assert r.status_code == 302 and r["Location"] == reverse("sign_in_sheet")
    sheet = client.get(reverse("sign_in_sheet"))
    assert sheet.status_code == 200
    passwords = sheet_passwords(sheet.content.decode())
    assert list(passwords) == ["btc1"]
    assert authenticate(username="btc1", password=passwords["btc1"]) is not None
    assert Organizer.objects.filter(user__username="btc1", organization=org).exists()
    # shown once
    assert client.get(reverse("sign_in_sheet")).status_code == 410
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["organization.create", "organization.add_organizer"]
    assert verify() == []


def test_only_the_site_administrator_creates_organizations():
    user = get_user_model().objects.create_user("someone", password="x-some-pass-123")
    client = Client()
    client.force_login(user)
    before = Organization.objects.count()  # (the suite's live-server tests may leave rows behind)
    r = client.post(reverse("site_setup"), {"form": "organization", "name": "X", "kind": "party"})
    assert r.status_code == 403
    assert Organization.objects.count() == before and not Organization.objects.filter(name="X").exists()


def organizer_client(kind: str = "party") -> tuple[Client, Organization]:
    org = setup_actions.Organization.objects.create(
        name="Đoàn TNCS Hồ Chí Minh phường Hoà Bình", code="hb", kind=kind
    )
    user = get_user_model().objects.create_user("btc1", password="x-btc-pass-123")
    Organizer.objects.create(user=user, organization=org)
    client = Client()
    client.force_login(user)
    return client, org


def test_the_wizard_creates_a_youth_union_congress_with_units_seats_and_staff_sheets():
    client, org = organizer_client(kind="party")
    r = client.post(reverse("congress_wizard", args=[org.pk]), WIZARD)
    assert r.status_code == 302, r.content.decode()[:2000]
    congress = Congress.objects.get(slug="doan-hoa-binh")
    org.refresh_from_db()
    assert org.kind == "youth_union"
    assert congress.rules == "approval"  # the default for a youth union
    assert congress.name == "Đại hội Đoàn TNCS Hồ Chí Minh phường Hoà Bình lần thứ V"
    assert (congress.term_start, congress.term_end, congress.total_seats, congress.ex_officio_seats) == (
        2027,
        2032,
        30,
        3,
    )
    units = list(org.children.order_by("order").values_list("name", "member_count", "kind"))
    assert units == [
        ("Chi đoàn khu phố 1", 40, "youth_union"),
        ("Chi đoàn khu phố 2", 55, "youth_union"),
        ("Chi đoàn khu phố 3", 25, "youth_union"),
    ]
    assert sum(SeatAllocation.objects.filter(congress=congress).values_list("seats", flat=True)) == 27
    roles = sorted(StaffRole.objects.filter(congress=congress).values_list("user__username", "role"))
    assert roles == [
        ("btc1", "organizer"),
        ("chutich1", "presidium"),
        ("thuky1", "counting"),
        ("thuky1", "secretariat"),
    ]
    sheet = client.get(r["Location"])
    passwords = sheet_passwords(sheet.content.decode())
    assert sorted(passwords) == ["chutich1", "thuky1"]
    for username, password in passwords.items():
        assert authenticate(username=username, password=password) is not None
    assert "Ban Kiểm phiếu" in sheet.content.decode()
    assert {
        "congress.create",
        "congress.set_units",
        "congress.configure_seats",
        "congress.create_staff_account",
    } <= set(AuditEntry.objects.values_list("action", flat=True))
    assert verify() == []


def test_the_wizard_lists_every_error_and_writes_nothing():
    client, org = organizer_client()
    bad = {
        **WIZARD,
        "ordinal": "0",
        "term_end": "2020",
        "units": "Chi đoàn 1; bốn mươi",
        "staff": "Bad Name; X; king",
    }
    r = client.post(reverse("congress_wizard", args=[org.pk]), bad)
    assert r.status_code == 400
    html = r.content.decode()
    for where in (
        "congress.ordinal",
        "congress.term",
        "units[1].members",
        "staff[1].username",
        "staff[1].roles",
    ):
        assert f"<code>{where}</code>" in html
    assert not Congress.objects.exists()
    assert not get_user_model().objects.filter(username__in=["chutich1", "thuky1"]).exists()
    assert not AuditEntry.objects.exists()


def test_a_stranger_may_not_use_an_organizations_wizard():
    _client, org = organizer_client()
    other = get_user_model().objects.create_user("other", password="x-other-pass-123")
    client = Client()
    client.force_login(other)
    assert client.post(reverse("congress_wizard", args=[org.pk]), WIZARD).status_code == 403
    assert not Congress.objects.exists()


def test_preparation_is_editable_until_the_congress_opens():
    client, org = organizer_client()
    client.post(reverse("congress_wizard", args=[org.pk]), {**WIZARD, "staff": ""})
    congress = Congress.objects.get()
    url = reverse("prepare", args=[congress.slug])
    assert client.get(url).status_code == 200
    r = client.post(url, {"form": "units", "units": "Chi đoàn khu phố 1; 41\nChi đoàn mới; 12"})
    assert r.status_code == 302
    assert list(org.children.order_by("order").values_list("name", "member_count")) == [
        ("Chi đoàn khu phố 1", 41),
        ("Chi đoàn mới", 12),
    ]
    r = client.post(
        url,
        {
            "form": "facts",
            **{k: WIZARD[k] for k in ("ordinal", "term_start", "starts_on", "ends_on", "venue", "theme")},
            "term_end": "2031",
            "name": "Đại hội X",
            "rules": "party",
        },
    )
    assert r.status_code == 302
    congress.refresh_from_db()
    assert (congress.name, congress.term_end, congress.rules) == ("Đại hội X", 2031, "party")
    r = client.post(
        url, {"form": "staff", "username": "kiemphieu2", "full_name": "Đỗ Văn Nam", "roles": ["counting"]}
    )
    assert r.status_code == 302 and r["Location"] == reverse("sign_in_sheet")
    setup_actions.set_congress_state(congress, Congress.State.IN_SESSION, SYSTEM)
    r = client.post(url, {"form": "units", "units": "Chi đoàn khu phố 1; 1"})
    assert r.status_code == 409
    assert org.children.get(name="Chi đoàn khu phố 1").member_count == 41
