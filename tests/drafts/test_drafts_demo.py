"""The demo's drafts: the ward's political report and the district's draft with a few hundred comments
from its cells and delegates, and a district congress holding four wards' syntheses."""

from __future__ import annotations

import pytest

from daihoi.congress.demo import load_demo
from daihoi.congress.models import Congress
from daihoi.drafts.demo import DISTRICT_SLUG, OTHER_WARDS
from daihoi.drafts.models import Comment, DraftDocument, Placement

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_ten_section_report_an_upper_draft_and_a_few_hundred_comments():
    ward = load_demo()
    report, upper = DraftDocument.objects.filter(congress=ward).order_by("pk")
    assert (report.kind, upper.kind) == ("own_report", "upper_draft")
    assert report.current_sections().count() == 10
    comments = Comment.objects.filter(congress=ward)
    assert 250 <= comments.count() <= 400
    senders = {c.unit_name for c in comments if c.unit_name}
    assert len(senders) == 20  # every cell of the ward sent something
    assert comments.filter(source=Comment.Source.PHONE, delegate__isnull=False).count() >= 20
    assert comments.filter(section__isnull=True).count() >= 30  # the synthesis must place these


def test_the_district_imports_the_wards_synthesis_with_three_other_wards():
    ward = load_demo()
    upper = DraftDocument.objects.get(congress=ward, kind="upper_draft")
    placed = Placement.objects.filter(synthesis=upper.synthesis).count()
    assert placed == upper.comments.count()  # every comment placed exactly once
    district = Congress.objects.get(slug=DISTRICT_SLUG)
    incoming = Comment.objects.filter(congress=district, source=Comment.Source.UPPER)
    wards = set(incoming.values_list("unit_name", flat=True))
    assert wards == {ward.organization.name, *(f"Đảng bộ {name}" for name in OTHER_WARDS)}
    from_ward = incoming.filter(unit_name=ward.organization.name).exclude(kind="agree")
    assert sorted(from_ward.values_list("weight_subunits", flat=True)) == sorted(
        upper.synthesis.groups.values_list("units", flat=True)
    )


def test_reloading_the_demo_replaces_the_district_congress():
    load_demo()
    load_demo(reset=True)
    assert Congress.objects.filter(slug=DISTRICT_SLUG).count() == 1
