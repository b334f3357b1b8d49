"""Credentials: the committee accepts or rejects each delegate (a reason to reject), and its report to
the congress, with exact counts and percentages on a known small roll."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress import exports
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions.credentials import (
    accept_all_pending,
    age_on,
    credentials_report,
    hundredths,
    percent_text,
    set_credential,
)
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.congress.names import search_key
from tests.factories import delegate_client, login_as, make_congress
from tests.support.roll import read_xlsx

pytestmark = pytest.mark.django_db

K, S, C, A = Delegate.Kind, Delegate.Standing, Delegate.Credential, Delegate.Attendance

# The congress opens on 20/06/2020. (kind, standing, unit, sex, born, credential, attendance)
KNOWN_ROLL = [
    (K.EX_OFFICIO, S.OFFICIAL, 0, "male", dt.date(1990, 6, 20), C.ACCEPTED, A.PRESENT),  # 30 that day
    (K.EX_OFFICIO, S.OFFICIAL, 0, "female", dt.date(1990, 6, 21), C.ACCEPTED, A.PRESENT),  # still 29
    (K.ELECTED, S.OFFICIAL, 1, "male", dt.date(1960, 6, 20), C.ACCEPTED, A.PRESENT),  # 60
    (K.ELECTED, S.OFFICIAL, 1, "female", dt.date(1970, 1, 1), C.REJECTED, A.NOT_ARRIVED),  # 50
    (K.ELECTED, S.ALTERNATE, 2, "male", dt.date(1975, 12, 31), C.PENDING, A.PRESENT),  # 44
    (K.APPOINTED, S.OFFICIAL, 2, "male", dt.date(1980, 6, 21), C.ACCEPTED, A.EXCUSED),  # 39
    (K.ELECTED, S.OFFICIAL, 0, "female", dt.date(1961, 6, 21), C.ACCEPTED, A.LEFT),  # 58
]


def known_congress() -> Congress:
    congress = make_congress(delegates=0, units=3)
    units = list(congress.organization.children.order_by("order"))
    for number, (kind, standing, unit, sex, born, credential, attendance) in enumerate(KNOWN_ROLL, start=1):
        name = f"Đại Biểu {number}"
        Delegate.objects.create(
            congress=congress,
            number=number,
            full_name=name,
            search_name=search_key(name),
            kind=kind,
            standing=standing,
            unit=units[unit],
            sex=sex,
            date_of_birth=born,
            credential=credential,
            credential_reason="Đang bị đình chỉ sinh hoạt" if credential == C.REJECTED else "",
            attendance=attendance,
        )
    return congress


# Arithmetic --------------------------------------------------------------------------------------------


def test_percentages_are_exact_with_two_decimals_rounded_half_up():
    assert hundredths(1, 3) == 3333
    assert hundredths(2, 3) == 6667
    assert hundredths(1, 32) == 313  # 3.125: half up, not to even
    assert hundredths(1, 8) == 1250
    assert hundredths(165, 165) == 10000
    assert percent_text(4, 7) == "57,14"
    assert percent_text(0, 5) == "0,00"
    assert percent_text(1, 0) == "—"


def test_age_counts_whole_years_at_the_congress_start():
    start = dt.date(2020, 6, 20)
    assert age_on(dt.date(1990, 6, 20), start) == 30
    assert age_on(dt.date(1990, 6, 21), start) == 29
    assert age_on(dt.date(1964, 2, 29), start) == 56


# The report --------------------------------------------------------------------------------------------


def test_report_numbers_on_a_known_small_roll():
    report = credentials_report(known_congress())
    assert (report.convened, report.present, report.present_percent) == (7, 4, "57,14")
    assert (report.not_arrived, report.excused, report.left) == (1, 1, 1)
    assert report.counts("kind") == {"ex_officio": (2, 2), "elected": (4, 2), "appointed": (1, 0)}
    assert report.counts("standing") == {"official": (6, 3), "alternate": (1, 1)}
    units = report.breakdown("unit").lines
    assert [(u.label, u.convened, u.present) for u in units] == [
        ("Chi bộ khu phố 1", 3, 2),
        ("Chi bộ khu phố 2", 2, 1),
        ("Chi bộ khu phố 3", 2, 1),
    ]
    assert report.counts("sex") == {"male": (4, 3), "female": (3, 1)}
    assert report.counts("age") == {"0": (1, 1), "1": (2, 1), "2": (1, 1), "3": (2, 0), "4": (1, 1)}
    assert [line.label for line in report.breakdown("age").lines] == [
        "Dưới 30 tuổi",
        "Từ 30 đến 39 tuổi",
        "Từ 40 đến 49 tuổi",
        "Từ 50 đến 59 tuổi",
        "Từ 60 tuổi trở lên",
    ]
    assert report.counts("credential") == {"pending": (1, 1), "accepted": (5, 3), "rejected": (1, 0)}
    kind = {line.key: line for line in report.breakdown("kind").lines}
    assert (kind["ex_officio"].convened_percent, kind["ex_officio"].present_percent) == ("28,57", "50,00")
    assert (kind["appointed"].convened_percent, kind["appointed"].present_percent) == ("14,29", "0,00")
    assert [(r.number, r.reason) for r in report.rejections] == [(4, "Đang bị đình chỉ sinh hoạt")]


def test_every_breakdown_adds_up_to_convened_and_present():
    report = credentials_report(known_congress())
    for breakdown in report.breakdowns:
        assert sum(line.convened for line in breakdown.lines) == report.convened, breakdown.key
        assert sum(line.present for line in breakdown.lines) == report.present, breakdown.key


def test_unknown_sex_and_birth_date_get_their_own_line_only_when_present():
    congress = known_congress()
    assert "" not in credentials_report(congress).counts("sex")
    Delegate.objects.filter(congress=congress, number=1).update(sex="", date_of_birth=None)
    report = credentials_report(congress)
    assert report.counts("sex")[""] == (1, 1)
    assert report.counts("age")["none"] == (1, 1)


def test_empty_roll_reports_zeros_without_dividing_by_zero():
    report = credentials_report(make_congress(delegates=0))
    assert (report.convened, report.present, report.present_percent) == (0, 0, "—")


@pytest.mark.parametrize("role", [Role.CREDENTIALS, Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT])
def test_report_page_shows_the_figures_to_the_committee_presidium_and_secretariat(role):
    congress = known_congress()
    response = login_as(Client(), congress, role).get(reverse("credentials_report", args=[congress.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-fact="convened"><div class="value">7<' in html
    assert "Có mặt (57,14%)" in html
    assert (
        '<tr data-line="ex_officio"><td>Đương nhiên</td><td class="num">2</td><td class="num">28,57%</td>'
        in html
    )
    assert "Đang bị đình chỉ sinh hoạt" in html


def test_delegates_and_counting_committee_do_not_see_the_report():
    congress = known_congress()
    url = reverse("credentials_report", args=[congress.slug])
    assert login_as(Client(), congress, Role.COUNTING).get(url).status_code == 403
    assert delegate_client(Client(), congress.delegates.first()).get(url).status_code == 403


def test_report_exports_to_xlsx_with_exact_percentages():
    congress = known_congress()
    chair = login_as(Client(), congress, Role.PRESIDIUM)
    response = chair.get(reverse("credentials_report_export", args=[congress.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    rows = read_xlsx(response.content)
    assert rows[0] == [congress.name, None, None, None, None, None]
    assert rows[3][0] == "Tổng số đại biểu được triệu tập: 7; có mặt: 4 (57,14%)"
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Nhóm")
    # Excel keeps numbers as doubles; the file holds the exact decimal text "28.57", shown as 0.00.
    lines = {
        (r[0], r[1]): [r[2], Decimal(str(r[3])), r[4], Decimal(str(r[5]))] for r in rows[header_at + 1 :]
    }
    assert lines[("Loại đại biểu", "Đương nhiên")] == [2, Decimal("28.57"), 2, Decimal("50")]
    assert lines[("Giới tính", "Nữ")] == [3, Decimal("42.86"), 1, Decimal("25")]
    assert lines[("Tuổi đời (tính đến ngày khai mạc)", "Từ 60 tuổi trở lên")] == [
        1,
        Decimal("14.29"),
        1,
        Decimal("25"),
    ]
    assert len(lines) == 3 + 2 + 3 + 2 + 5 + 3


# Marking credentials -----------------------------------------------------------------------------------


def test_rejecting_needs_a_reason_and_changes_nothing_without_one():
    congress = make_congress(delegates=2)
    delegate = congress.delegates.get(number=1)
    with pytest.raises(ActionError) as refused:
        set_credential(delegate, C.REJECTED, "   ", SYSTEM)
    assert refused.value.code == "reason_required"
    delegate.refresh_from_db()
    assert delegate.credential == C.ACCEPTED
    assert not AuditEntry.objects.filter(action="delegate.set_credential").exists()


def test_rejecting_with_a_reason_is_audited_and_published(django_capture_on_commit_callbacks):
    congress = make_congress(delegates=2)
    delegate = congress.delegates.get(number=2)
    with django_capture_on_commit_callbacks() as published:
        set_credential(delegate, C.REJECTED, " Chưa đủ  thời gian sinh hoạt ", SYSTEM)
    assert len(published) == 1
    delegate.refresh_from_db()
    assert (delegate.credential, delegate.credential_reason) == (C.REJECTED, "Chưa đủ thời gian sinh hoạt")
    entry = AuditEntry.objects.get(action="delegate.set_credential")
    assert entry.before == {"number": 2, "credential": "accepted", "reason": ""}
    assert entry.after == {"number": 2, "credential": "rejected", "reason": "Chưa đủ thời gian sinh hoạt"}
    assert verify() == []


def test_accepting_again_clears_the_reason_and_a_repeat_is_a_no_op():
    congress = make_congress(delegates=1)
    delegate = congress.delegates.get()
    set_credential(delegate, C.REJECTED, "Sai lý lịch", SYSTEM)
    set_credential(delegate, C.ACCEPTED, "ghi chú bị bỏ", SYSTEM)
    set_credential(delegate, C.ACCEPTED, "", SYSTEM)
    delegate.refresh_from_db()
    assert (delegate.credential, delegate.credential_reason) == (C.ACCEPTED, "")
    assert AuditEntry.objects.filter(action="delegate.set_credential").count() == 2


def test_unknown_status_too_long_reason_and_closed_congress_are_refused():
    congress = make_congress(delegates=1)
    delegate = congress.delegates.get()
    with pytest.raises(ActionError) as refused:
        set_credential(delegate, "maybe", "", SYSTEM)
    assert refused.value.code == "bad_credential"
    with pytest.raises(ActionError) as refused:
        set_credential(delegate, C.REJECTED, "x" * 501, SYSTEM)
    assert refused.value.code == "reason_too_long"
    Congress.objects.filter(pk=congress.pk).update(state=Congress.State.CLOSED)
    with pytest.raises(ActionError) as refused:
        set_credential(delegate, C.REJECTED, "Muộn", SYSTEM)
    assert refused.value.code == "congress_closed"


def test_accept_all_pending_accepts_only_the_pending_in_one_audit_entry():
    congress = known_congress()
    Delegate.objects.filter(congress=congress, number=6).update(credential=C.PENDING)
    assert accept_all_pending(congress, SYSTEM) == 2
    assert credentials_report(congress).counts("credential") == {
        "pending": (0, 0),
        "accepted": (6, 4),
        "rejected": (1, 0),
    }
    entry = AuditEntry.objects.get(action="delegate.accept_all_pending")
    assert entry.before["numbers"] == [5, 6]
    assert accept_all_pending(congress, SYSTEM) == 0
    assert AuditEntry.objects.filter(action="delegate.accept_all_pending").count() == 1


# The committee's page ----------------------------------------------------------------------------------


def test_committee_member_accepts_and_rejects_on_the_page():
    congress = make_congress(delegates=3)
    Delegate.objects.filter(congress=congress).update(credential=C.PENDING)
    member = login_as(Client(), congress, Role.CREDENTIALS)
    url = reverse("credentials", args=[congress.slug])
    response = member.post(url, {"number": 1, "credential": "accepted", "next": url + "?credential=pending"})
    assert response.status_code == 302
    assert response["Location"] == url + "?credential=pending#d1"
    response = member.post(url, {"number": 2, "credential": "rejected", "reason": "Đã chuyển sinh hoạt"})
    assert response["Location"] == url + "#d2"
    assert dict(congress.delegates.values_list("number", "credential")) == {
        1: "accepted",
        2: "rejected",
        3: "pending",
    }
    page = member.get(url, {"credential": "pending"})
    assert [d.number for d in page.context["delegates"]] == [3]
    assert 'data-credential-count="rejected"><div class="value">1<' in page.content.decode()


def test_rejecting_without_a_reason_on_the_page_says_why():
    congress = make_congress(delegates=1)
    member = login_as(Client(), congress, Role.CREDENTIALS)
    response = member.post(
        reverse("credentials", args=[congress.slug]), {"number": 1, "credential": "rejected"}
    )
    assert response.status_code == 400
    delegate = congress.delegates.get()
    assert (
        f"Cần ghi lý do khi kết luận đại biểu {delegate.full_name} không đủ tư cách."
        in response.content.decode()
    )
    assert delegate.credential == C.ACCEPTED


def test_an_open_redirect_in_next_is_ignored():
    congress = make_congress(delegates=1)
    member = login_as(Client(), congress, Role.CREDENTIALS)
    url = reverse("credentials", args=[congress.slug])
    response = member.post(url, {"number": 1, "credential": "accepted", "next": "https://evil.example/"})
    assert response["Location"] == url + "#d1"


def test_a_delegate_of_another_congress_cannot_be_marked_here():
    congress = make_congress(delegates=1)
    other = make_congress(delegates=3)
    member = login_as(Client(), congress, Role.CREDENTIALS)
    response = member.post(
        reverse("credentials", args=[congress.slug]), {"number": 3, "credential": "rejected"}
    )
    assert response.status_code == 404
    assert other.delegates.get(number=3).credential == C.ACCEPTED


@pytest.mark.parametrize("role", [Role.PRESIDIUM, Role.SECRETARIAT, Role.COUNTING])
def test_only_the_committee_and_organizer_mark_credentials(role):
    congress = make_congress(delegates=1)
    client = login_as(Client(), congress, role)
    url = reverse("credentials", args=[congress.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"number": 1, "credential": "rejected", "reason": "x"}).status_code == 403
    assert congress.delegates.get().credential == C.ACCEPTED


def test_organizer_accepts_all_pending_from_the_page():
    congress = make_congress(delegates=4)
    Delegate.objects.filter(congress=congress, number__gt=2).update(credential=C.PENDING)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("credentials", args=[congress.slug])
    response = organizer.post(url, {"accept_all_pending": "1"}, follow=True)
    assert "Đã xác nhận đủ tư cách cho 2 đại biểu." in response.content.decode()
    assert set(congress.delegates.values_list("credential", flat=True)) == {"accepted"}


def test_the_committee_records_an_alternate_replacing_an_absent_official_who_then_votes():
    congress = known_congress()  # no 5 is a present alternate; no 6 an official excused for the congress
    alternate = congress.delegates.get(number=5)
    Delegate.objects.filter(pk=alternate.pk).update(credential=C.ACCEPTED)
    assert not Delegate.objects.get(pk=alternate.pk).may_vote
    member = login_as(Client(), congress, Role.CREDENTIALS)
    url = reverse("credentials", args=[congress.slug])
    page = member.get(url).context
    assert [d.number for d in page["replacement"]["alternates"]] == [5]
    assert [d.number for d in page["replacement"]["officials"]] == [6]

    response = member.post(url, {"replace": "1", "alternate": "5", "official": "6"}, follow=True)
    assert response.redirect_chain[-1][0] == url + "#replacements"
    assert "Đã ghi: đại biểu dự khuyết số 5 Đại Biểu 5 thay đại biểu chính thức số 6 Đại Biểu 6." in (
        response.content.decode()
    )
    assert 'data-alternate="5" data-official="6"' in response.content.decode()
    alternate = Delegate.objects.get(pk=alternate.pk)
    assert alternate.replaces.number == 6 and alternate.may_vote
    entry = AuditEntry.objects.filter(action="delegate.replaces").get()
    assert entry.after == {"alternate": 5, "official": 6}
    assert member.get(url).context["replacement"]["alternates"] == []


@pytest.mark.parametrize(
    ("alternate", "official", "code_text"),
    [
        ("5", "1", "Đại Biểu 1 chưa được ghi vắng mặt có lý do"),  # no 1 is present
        ("3", "6", "Chỉ đại biểu dự khuyết thay được đại biểu chính thức"),  # no 3 is an official
        ("5", "99", "Đại biểu chính thức vắng mặt: không có đại biểu số 99."),
        ("năm", "6", "Đại biểu dự khuyết: “năm” không phải là số nguyên."),
    ],
)
def test_a_replacement_that_p1_does_not_allow_is_refused_with_the_reason(alternate, official, code_text):
    congress = known_congress()
    member = login_as(Client(), congress, Role.CREDENTIALS)
    url = reverse("credentials", args=[congress.slug])
    response = member.post(url, {"replace": "1", "alternate": alternate, "official": official})
    assert response.status_code == 400
    assert code_text in response.content.decode()
    assert not Delegate.objects.filter(congress=congress, replaces__isnull=False).exists()


def test_a_congress_of_all_members_offers_no_replacement():
    congress = known_congress()
    Congress.objects.filter(pk=congress.pk).update(kind=Congress.Kind.GENERAL)
    member = login_as(Client(), congress, Role.CREDENTIALS)
    page = member.get(reverse("credentials", args=[congress.slug]))
    assert page.context["replacement"] is None
    assert 'id="replacements"' not in page.content.decode()
