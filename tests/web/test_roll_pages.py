"""The roll page (filters, search without diacritics), the export and its round trip, and guests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.congress import exports
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions.roll import add_guest
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Guest
from tests.factories import delegate_client, login_as, make_congress
from tests.support.roll import read_xlsx, row, run_import, xlsx

pytestmark = pytest.mark.django_db


def numbers(response) -> list[int]:
    return [d.number for d in response.context["delegates"]]


# The roll page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.SECRETARIAT, Role.CREDENTIALS, Role.PRESIDIUM])
def test_staff_who_work_with_the_roll_see_every_delegate(role):
    congress = make_congress(delegates=6)
    response = login_as(Client(), congress, role).get(reverse("roll", args=[congress.slug]))
    assert response.status_code == 200
    assert numbers(response) == [1, 2, 3, 4, 5, 6]
    assert "Hiển thị 6 / 6 đại biểu." in response.content.decode()


def test_counting_committee_and_delegates_do_not_see_the_roll():
    congress = make_congress(delegates=2)
    url = reverse("roll", args=[congress.slug])
    assert login_as(Client(), congress, Role.COUNTING).get(url).status_code == 403
    assert delegate_client(Client(), congress.delegates.first()).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_search_without_diacritics_finds_the_delegate():
    congress = make_congress(delegates=3)
    Delegate.objects.filter(congress=congress, number=2).update(
        full_name="Đặng Thị Ngọc Ánh", search_name="dang thi ngoc anh"
    )
    clerk = login_as(Client(), congress, Role.SECRETARIAT)
    url = reverse("roll", args=[congress.slug])
    assert numbers(clerk.get(url, {"q": "ngoc anh"})) == [2]
    assert numbers(clerk.get(url, {"q": "ĐẶNG thị"})) == [2]
    assert numbers(clerk.get(url, {"q": "3"})) == [3]
    assert numbers(clerk.get(url, {"q": "không ai"})) == []


def test_filters_by_unit_kind_credential_and_attendance_combine():
    congress = make_congress(delegates=9, units=3)
    Delegate.objects.filter(congress=congress, number__in=[4, 7]).update(
        credential=Delegate.Credential.REJECTED, credential_reason="Đang bị kỷ luật"
    )
    Delegate.objects.filter(congress=congress, number__in=[1, 4]).update(
        attendance=Delegate.Attendance.PRESENT
    )
    clerk = login_as(Client(), congress, Role.CREDENTIALS)
    url = reverse("roll", args=[congress.slug])
    unit1 = congress.delegates.get(number=1).unit_id
    assert numbers(clerk.get(url, {"unit": unit1})) == [1, 4, 7]
    assert numbers(clerk.get(url, {"unit": unit1, "credential": "rejected"})) == [4, 7]
    assert numbers(clerk.get(url, {"unit": unit1, "credential": "rejected", "attendance": "present"})) == [4]
    assert numbers(clerk.get(url, {"kind": "ex_officio"})) == [1, 2]
    assert numbers(clerk.get(url, {"kind": "nonsense", "attendance": "?"})) == list(range(1, 10))


# Export ------------------------------------------------------------------------------------------------


def test_export_has_the_import_columns_then_code_credential_and_attendance():
    congress = make_congress(delegates=2, guests=1)
    Delegate.objects.filter(congress=congress, number=1).update(attendance=Delegate.Attendance.PRESENT)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = organizer.get(reverse("roll_export", args=[congress.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert f'filename="danh-sach-dai-bieu-{congress.slug}.xlsx"' in response["Content-Disposition"]
    header, first, second, guest = read_xlsx(response.content)
    assert header == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Chi bộ",
        "Loại đại biểu",
        "Chính thức/dự khuyết",
        "Chức vụ",
        "Điện thoại",
        "Số ghế",
        "Cấp ủy triệu tập",
        "Mã thẻ",
        "Thẩm tra tư cách",
        "Lý do",
        "Điểm danh",
    ]
    d1 = congress.delegates.get(number=1)
    assert first[:3] == [1, d1.full_name, dt.datetime.combine(d1.date_of_birth, dt.time())]
    assert first[4:7] == [d1.unit.name, "Đương nhiên", "Chính thức"]
    assert first[11:] == [d1.code, "Đủ tư cách", None, "Có mặt"]
    assert second[14] == "Chưa đến"
    assert guest[1] == "Khách Mời 1"
    assert guest[5] == "Khách mời"


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.CREDENTIALS, Role.PRESIDIUM])
def test_only_the_organizer_exports_the_roll_because_it_holds_the_card_codes(role):
    congress = make_congress(delegates=2)
    response = login_as(Client(), congress, role).get(reverse("roll_export", args=[congress.slug]))
    assert response.status_code == 403


def roll_facts(congress: Congress) -> list[tuple]:
    return [
        (
            d.number,
            d.full_name,
            d.date_of_birth,
            d.sex,
            d.unit.code if d.unit else None,
            d.kind,
            d.standing,
            d.position,
            d.phone,
            d.seat_number,
            d.is_convening_committee,
        )
        for d in congress.delegates.select_related("unit").order_by("number")
    ]


def test_export_then_import_into_a_fresh_congress_gives_the_same_roll():
    source = make_congress(delegates=0, units=3, state=Congress.State.PREPARATION)
    rows = [
        row(1, kind="Đương nhiên", position="Bí thư Đảng ủy", phone="0912000001"),
        row(2, name="Trần Thị Ánh", sex="Nữ", unit="cb-2", standing="Dự khuyết", seat=""),
        row(3, name="Lê Văn Đức", born="29/02/1964", unit="cb-3", kind="Chỉ định", phone=""),
        ["", "Khách Quận ủy", "", "", "Quận ủy", "Khách mời", "", "Phó Bí thư", "", ""],
    ]
    assert run_import(source, xlsx(rows)).is_ok
    Delegate.objects.filter(congress=source, number=1).update(is_convening_committee=False)
    _name, data = exports.export("roll", source)
    fresh = make_congress(delegates=0, units=3, state=Congress.State.PREPARATION)
    report = run_import(fresh, data, "xuat.xlsx")
    assert report.is_ok, report.problems
    assert report.ignored_columns == []
    assert roll_facts(fresh) == roll_facts(source)
    assert len(roll_facts(fresh)) == 3
    assert [(g.full_name, g.title, g.organization_name) for g in fresh.guests.all()] == [
        ("Khách Quận ủy", "Phó Bí thư", "Quận ủy")
    ]
    # New cards: a code signs a delegate in, so the copies never share one.
    assert not set(fresh.delegates.values_list("code", flat=True)) & set(
        source.delegates.values_list("code", flat=True)
    )


def test_exports_are_a_registry_and_report_progress():
    assert {"roll", "credentials_report"} <= set(exports.exporters())
    congress = make_congress(delegates=3, guests=1)
    seen: list[tuple[int, int]] = []
    tables = exports.exporters()["roll"].tables(congress, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)
    assert len(tables[0].rows) == 4


# Guests ------------------------------------------------------------------------------------------------


def test_organizer_adds_a_guest_who_is_kept_apart_from_the_roll():
    congress = make_congress(delegates=2)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("guests", args=[congress.slug])
    response = organizer.post(
        url, {"full_name": "  Nguyễn   Văn Khách ", "title": "Phó Chủ tịch", "organization_name": "UBND Quận"}
    )
    assert response.status_code == 302
    guest = Guest.objects.get(congress=congress)
    assert (guest.full_name, guest.title, guest.organization_name) == (
        "Nguyễn Văn Khách",
        "Phó Chủ tịch",
        "UBND Quận",
    )
    assert congress.delegates.count() == 2
    entry = AuditEntry.objects.get(congress_id=congress.pk, action="guest.add")
    assert entry.after["full_name"] == "Nguyễn Văn Khách"
    page = organizer.get(url).content.decode()
    assert "Nguyễn Văn Khách" in page
    assert "Đã thêm khách mời Nguyễn Văn Khách." in page


def test_a_guest_without_a_name_or_twice_is_refused_on_the_page():
    congress = make_congress(delegates=0)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("guests", args=[congress.slug])
    response = organizer.post(url, {"full_name": "  ", "title": "", "organization_name": ""})
    assert response.status_code == 400
    assert 'data-code="required"' in response.content.decode()
    organizer.post(url, {"full_name": "Bà Lan", "organization_name": "Hội Phụ nữ"})
    response = organizer.post(url, {"full_name": "BÀ LAN", "organization_name": "hội phụ nữ"})
    assert response.status_code == 400
    assert "Khách mời “BÀ LAN” đã có trong danh sách." in response.content.decode()
    assert congress.guests.count() == 1


def test_no_guest_is_added_after_the_congress_closes():
    congress = make_congress(delegates=0, state=Congress.State.CLOSED)
    with pytest.raises(ActionError) as refused:
        add_guest(congress, SYSTEM, full_name="Ông Muộn")
    assert refused.value.code == "congress_closed"


def test_guests_page_is_the_organizers():
    congress = make_congress(delegates=1)
    url = reverse("guests", args=[congress.slug])
    assert login_as(Client(), congress, Role.PRESIDIUM).get(url).status_code == 403
    assert login_as(Client(), congress, Role.ORGANIZER).get(url).status_code == 200


def test_organizer_filtering_by_unit_gets_a_link_to_print_that_units_cards():
    congress = make_congress(delegates=3)
    unit = congress.delegates.get(number=1).unit_id
    url = reverse("roll", args=[congress.slug])
    cards = f"{reverse('cards_pdf', args=[congress.slug])}?unit={unit}"
    assert cards in login_as(Client(), congress, Role.ORGANIZER).get(url, {"unit": unit}).content.decode()
    assert (
        cards not in login_as(Client(), congress, Role.SECRETARIAT).get(url, {"unit": unit}).content.decode()
    )
