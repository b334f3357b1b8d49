"""The count over HTTP: the clerk's live tally, certification refused with numbers, release, documents."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as Docx

from daihoi.congress.access import Role
from daihoi.congress.live import congress_state
from daihoi.voting.models import Election, Motion
from tests.factories import delegate_client, login_as
from tests.support.counting import worked_example

pytestmark = pytest.mark.django_db


def url(name: str, election, **extra) -> str:
    return reverse(name, kwargs={"slug": election.congress.slug, "election_id": election.pk, **extra})


@pytest.fixture
def election():
    return worked_example()


@pytest.fixture
def clerk(election):
    return login_as(Client(), election.congress, Role.COUNTING)


def test_the_clerk_sees_the_running_tally(election, clerk):
    page = clerk.get(url("count_page", election)).content.decode()
    assert "Kết quả tạm tính" in page and "Nguyễn Văn An" in page and "80,00" in page and "80.00" not in page
    figures = clerk.get(url("count_json", election)).json()
    assert figures["ballots"]["valid"] == 25


def test_the_presidium_cannot_see_the_running_tally(election):
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    assert chair.get(url("count_json", election)).status_code == 403


def test_certification_is_refused_with_the_figures_when_they_disagree(election, clerk):
    clerk.post(url("count_issued", election), {"issued": "27"})
    r = clerk.post(url("count_certify", election), {"confirm": "1"}, follow=True)
    page = r.content.decode()
    assert "thu vào (28) lớn hơn số phát ra (27)" in page
    assert Election.objects.get(pk=election.pk).status == "closed"


def test_certify_release_and_the_screen_shows_the_result(election, clerk):
    clerk.post(url("count_issued", election), {"issued": "28"})
    clerk.post(url("count_certify", election), {"confirm": "1"})
    assert congress_state(election.congress)["result"] is None
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    chair.post(url("count_release", election), {"confirm": "1"})
    assert congress_state(election.congress)["result"]["elected"][0] == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("minutes_docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("minutes_pdf", "application/pdf"),
        ("announcement_pdf", "application/pdf"),
        ("ballots_zip", "application/zip"),
    ],
)
def test_documents_download_after_certification(election, clerk, name, content_type):
    assert clerk.get(url(name, election)).status_code == 302  # not yet certified
    clerk.post(url("count_certify", election), {"confirm": "1"})
    r = clerk.get(url(name, election))
    assert r.status_code == 200 and r["Content-Type"] == content_type


def test_the_downloaded_minutes_carry_the_figures(election, clerk):
    clerk.post(url("count_certify", election), {"confirm": "1"})
    text = "\n".join(
        p.text for p in Docx(io.BytesIO(clerk.get(url("minutes_docx", election)).content)).paragraphs
    )
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Cơ sở tính tỷ lệ: N = 30." in text


def test_a_delegate_cannot_download_the_minutes(election, clerk):
    clerk.post(url("count_certify", election), {"confirm": "1"})
    c = delegate_client(Client(), election.congress.delegates.first())
    assert c.get(url("minutes_pdf", election)).status_code == 403


def test_motion_minutes_download(election):
    motion = Motion.objects.create(
        congress=election.congress, title="Thông qua chương trình đại hội", status="closed",
        yes=29, no=0, abstain=1, base=30, present=30, is_passed=True,
    )  # fmt: skip
    secretary = login_as(Client(), election.congress, Role.SECRETARIAT)
    r = secretary.get(
        reverse("motion_minutes_pdf", kwargs={"slug": election.congress.slug, "motion_id": motion.pk})
    )
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
