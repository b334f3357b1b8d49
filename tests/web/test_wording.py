"""Words per kind of organization (congress/wording.py): the page says chi đoàn/đoàn viên for a youth union."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from daihoi.congress.models import Organization
from daihoi.congress.wording import default_rules, words_for
from tests.factories import make_congress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "unit", "member", "count"),
    [
        ("party", "chi bộ", "đảng viên", "số đảng viên"),
        ("youth_union", "chi đoàn", "đoàn viên", "số đoàn viên"),
        ("trade_union", "công đoàn bộ phận", "đoàn viên công đoàn", "số đoàn viên công đoàn"),
        ("shareholders", None, "cổ đông", "số cổ phần"),
        ("other", "đơn vị", "thành viên", "số thành viên"),
    ],
)
def test_words_per_kind(kind, unit, member, count):
    with translation.override("vi"):
        w = words_for(kind)
        assert (str(w.unit) if w.unit else None) == unit
        assert str(w.member) == member
        assert str(w.member_count) == count
        assert w.has_units is (unit is not None)


def test_english_words():
    with translation.override("en"):
        assert str(words_for("youth_union").unit) == "youth union branch"
        assert str(words_for("party").member) == "party member"


def test_existing_organizations_default_to_party_and_sub_units_follow_their_top():
    congress = make_congress(delegates=0, units=1)
    assert congress.organization.kind == Organization.Kind.PARTY
    assert words_for(congress).kind == "party"
    congress.organization.kind = Organization.Kind.YOUTH_UNION
    congress.organization.save()
    sub = congress.organization.children.get()
    assert sub.kind == "party"  # left at the default, yet it speaks as its top
    assert words_for(sub).kind == "youth_union"
    assert words_for(congress).kind == "youth_union"


def test_default_rule_set_follows_the_kind():
    assert [default_rules(k) for k in ("party", "youth_union", "trade_union", "shareholders", "other")] == [
        "party",
        "approval",
        "approval",
        "shareholders",
        "approval",
    ]


def test_template_filter():
    congress = make_congress(delegates=0, units=0)
    congress.organization.kind = "trade_union"
    congress.organization.save()
    with translation.override("vi"):
        out = Template(
            "{% load daihoi_wording %}{% with w=c|words %}{{ w.unit|capfirst }}{% endwith %}"
        ).render(Context({"c": congress}))
    assert out == "Công đoàn bộ phận"


def test_pages_of_a_youth_union_congress_speak_of_chi_doan_and_doan_vien():
    from django.test import Client
    from django.urls import reverse

    from tests.factories import login_as

    congress = make_congress(delegates=2, units=2, state="preparation")
    congress.organization.kind = "youth_union"
    congress.organization.save()
    client = login_as(Client(), congress, "organizer")
    with translation.override("vi"):
        setup = client.get(reverse("setup", args=[congress.slug])).content.decode()
        roll = client.get(reverse("roll", args=[congress.slug])).content.decode()
    assert "<th>Chi đoàn</th>" in setup and "Số đoàn viên" in setup
    assert "<th>Chi bộ</th>" not in setup and "Số đảng viên" not in setup
    assert "Chi đoàn" in roll and "<th>Chi bộ</th>" not in roll


def test_the_roll_import_reads_each_kinds_unit_header():
    from daihoi.congress.actions.roll.columns import COLUMNS_BY_KEY, header_key

    for header in ("Chi bộ", "Chi đoàn", "Công đoàn bộ phận", "Đơn vị", "chi doan"):
        assert header_key(header) in COLUMNS_BY_KEY["unit"].aliases, header
