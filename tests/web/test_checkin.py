"""Check-in actions: a scanned card or a typed code, retries, refusals, check-out and excused (P2)."""

from __future__ import annotations

import itertools

import pytest

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import Actor, Role
from daihoi.congress.actions import checkin
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import CheckIn, Congress, Delegate, Guest, StaffRole
from tests.factories import make_congress, make_staff

pytestmark = pytest.mark.django_db
_nonces = itertools.count(1)


def nonce() -> str:
    return f"test-nonce-{next(_nonces):06d}"


def clerk(congress: Congress) -> Actor:
    """The desk clerk (an organizer of `congress`), made once per congress."""
    role = StaffRole.objects.filter(congress=congress, role=Role.ORGANIZER, user__username="clerk").first()
    user = role.user if role else make_staff(congress, Role.ORGANIZER, "clerk")
    return Actor(roles=frozenset({Role.ORGANIZER}), user=user)


def refused(code: str, call, *args, **kwargs) -> ActionError:
    with pytest.raises(ActionError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_scanned_card_url_checks_the_delegate_in_and_confirms_name_unit_and_seat():
    congress = make_congress(delegates=5)
    d = congress.delegates.get(number=2)
    result = checkin.check_in(
        congress, f"http://192.168.1.10:8000/d/{d.code}/", nonce=nonce(), actor=clerk(congress)
    )
    assert (result.full_name, result.unit, result.seat_number) == (d.full_name, d.unit.name, "A002")
    assert result.action == CheckIn.Action.CHECK_IN and not result.is_repeat
    d.refresh_from_db()
    assert d.attendance == Delegate.Attendance.PRESENT and d.checked_in_at == result.at
    assert CheckIn.objects.filter(delegate=d, action="in").count() == 1


def test_bare_code_is_accepted_in_lower_case_with_spaces_and_dashes():
    congress = make_congress(delegates=2)
    d = congress.delegates.get(number=1)
    typed = f" {d.code[:4].lower()}-{d.code[4:7]} {d.code[7:].lower()} "
    assert checkin.check_in(congress, typed, nonce=nonce(), actor=clerk(congress)).delegate_id == d.pk


def test_same_nonce_retry_returns_the_original_result_and_counts_once():
    congress = make_congress(delegates=3)
    d = congress.delegates.get(number=1)
    actor, key = clerk(congress), nonce()
    first = checkin.check_in(congress, d.code, nonce=key, actor=actor)
    again = checkin.check_in(congress, d.code, nonce=key, actor=actor)
    assert again.is_repeat and (again.delegate_id, again.at) == (first.delegate_id, first.at)
    assert CheckIn.objects.filter(delegate=d).count() == 1
    assert attendance(congress).present == 1


def test_second_scan_with_a_new_nonce_is_refused_already_checked_in_with_the_time():
    congress = make_congress(delegates=3)
    d = congress.delegates.get(number=1)
    first = checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    error = refused(
        "already_checked_in", checkin.check_in, congress, d.code, nonce=nonce(), actor=clerk(congress)
    )
    assert error.params["time"] == checkin.hhmm(first.at)
    assert f"lúc {checkin.hhmm(first.at)}" in error.message
    assert CheckIn.objects.filter(delegate=d).count() == 1


def test_the_same_nonce_for_another_card_is_refused_not_guessed():
    congress = make_congress(delegates=3)
    one, two = congress.delegates.get(number=1), congress.delegates.get(number=2)
    key = nonce()
    checkin.check_in(congress, one.code, nonce=key, actor=clerk(congress))
    refused("bad_nonce", checkin.check_in, congress, two.code, nonce=key, actor=clerk(congress))
    assert not Delegate.objects.get(pk=two.pk).is_present


def test_unknown_code_is_refused_and_names_the_code():
    congress = make_congress(delegates=2)
    error = refused(
        "unknown_code", checkin.check_in, congress, "zzzz-9999", nonce=nonce(), actor=clerk(congress)
    )
    assert "ZZZZ9999" in error.message and "Mã không tồn tại" in error.message


def test_a_card_of_another_congress_is_unknown_here():
    here, other = make_congress(delegates=1), make_congress(delegates=1)
    code = other.delegates.get().code
    refused("unknown_code", checkin.check_in, here, code, nonce=nonce(), actor=clerk(here))


def test_empty_scan_and_a_malformed_nonce_are_refused():
    congress = make_congress(delegates=1)
    refused("empty_code", checkin.check_in, congress, "  - ", nonce=nonce(), actor=clerk(congress))
    code = congress.delegates.get().code
    refused("bad_nonce", checkin.check_in, congress, code, nonce="x", actor=clerk(congress))
    refused("bad_nonce", checkin.check_in, congress, code, nonce="a b c d e f g h", actor=clerk(congress))


def test_guest_code_records_the_arrival_but_is_not_counted():
    congress = make_congress(delegates=3, guests=1)
    guest = congress.guests.get()
    error = refused(
        "not_a_delegate", checkin.check_in, congress, guest.code, nonce=nonce(), actor=clerk(congress)
    )
    assert "Khách mời – không tính vào số lượng" in error.message
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    figures = attendance(congress)
    assert (figures.present, figures.guests_present, figures.guests_invited) == (0, 1, 1)
    # A second scan keeps the first arrival time.
    refused("not_a_delegate", checkin.check_in, congress, guest.code, nonce=nonce(), actor=clerk(congress))
    assert Guest.objects.get(pk=guest.pk).checked_in_at == guest.checked_in_at


def test_rejected_credentials_are_refused_with_the_reason():
    congress = make_congress(delegates=2)
    d = congress.delegates.get(number=1)
    Delegate.objects.filter(pk=d.pk).update(
        credential=Delegate.Credential.REJECTED, credential_reason="chuyển sinh hoạt"
    )
    error = refused(
        "credential_rejected", checkin.check_in, congress, d.code, nonce=nonce(), actor=clerk(congress)
    )
    assert "chuyển sinh hoạt" in error.message
    assert not CheckIn.objects.exists()


def test_closed_congress_refuses_every_desk_action():
    congress = make_congress(delegates=2, state=Congress.State.CLOSED)
    d = congress.delegates.get(number=1)
    refused("congress_closed", checkin.check_in, congress, d.code, nonce=nonce(), actor=clerk(congress))
    refused("congress_closed", checkin.check_in_delegate, d, nonce=nonce(), actor=clerk(congress))
    refused("congress_closed", checkin.mark_excused, d, "ốm", nonce=nonce(), actor=clerk(congress))
    refused("congress_closed", checkin.check_out, d, nonce=nonce(), actor=clerk(congress))


def test_check_in_writes_an_audit_entry_with_before_and_after_and_the_chain_verifies():
    congress = make_congress(delegates=2)
    d = congress.delegates.get(number=1)
    checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    entry = AuditEntry.objects.get(action="delegate.check_in")
    assert entry.actor == "user:clerk" and entry.congress_id == congress.pk
    assert entry.before["attendance"] == "not_arrived" and entry.after["attendance"] == "present"
    assert audit.verify() == []


def test_check_out_keeps_the_delegate_in_n_but_not_present():
    congress = make_congress(delegates=6)
    d = congress.delegates.get(number=1)
    checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    out = checkin.check_out(d, nonce=nonce(), actor=clerk(congress))
    assert out.action == CheckIn.Action.CHECK_OUT
    figures = attendance(congress)
    assert (figures.present, figures.left, figures.base.value, figures.convened) == (0, 1, 6, 6)


def test_check_out_of_a_delegate_not_in_the_hall_is_refused():
    congress = make_congress(delegates=2)
    refused(
        "not_present",
        checkin.check_out,
        congress.delegates.get(number=1),
        nonce=nonce(),
        actor=clerk(congress),
    )


def test_a_delegate_who_left_may_check_in_again():
    congress = make_congress(delegates=2)
    d = congress.delegates.get(number=1)
    checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    checkin.check_out(d, nonce=nonce(), actor=clerk(congress))
    checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    assert attendance(congress).present == 1
    assert list(CheckIn.objects.filter(delegate=d).values_list("action", flat=True)) == ["in", "out", "in"]


def test_P2_an_official_delegate_excused_for_the_whole_congress_leaves_n():
    congress = make_congress(delegates=10)
    d = congress.delegates.get(number=3)
    result = checkin.mark_excused(d, "  đi công tác  ", nonce=nonce(), actor=clerk(congress))
    assert result.action == CheckIn.Action.EXCUSE
    d.refresh_from_db()
    assert (d.attendance, d.absence_reason) == (Delegate.Attendance.EXCUSED, "đi công tác")
    figures = attendance(congress)
    assert (figures.convened, figures.base.value, figures.excused, figures.absent) == (10, 9, 1, 10)
    assert "vắng mặt suốt thời gian đại hội, không có dự khuyết thay" in figures.base.explain()


def test_P2_a_convening_committee_member_absent_is_its_own_exclusion():
    congress = make_congress(delegates=10)
    d = congress.delegates.get(number=1)
    Delegate.objects.filter(pk=d.pk).update(is_convening_committee=True)
    checkin.mark_excused(d, "ốm", nonce=nonce(), actor=clerk(congress))
    figures = attendance(congress)
    assert figures.base.value == 9
    assert figures.base.exclusions == (("convening_member_absent", 1), ("absent_not_replaced", 0))


def test_excused_needs_a_reason_and_only_fits_someone_who_never_came():
    congress = make_congress(delegates=3)
    one, two = congress.delegates.get(number=1), congress.delegates.get(number=2)
    refused("reason_required", checkin.mark_excused, one, "   ", nonce=nonce(), actor=clerk(congress))
    checkin.check_in(congress, one.code, nonce=nonce(), actor=clerk(congress))
    refused("already_present", checkin.mark_excused, one, "ốm", nonce=nonce(), actor=clerk(congress))
    checkin.check_out(one, nonce=nonce(), actor=clerk(congress))
    refused("was_present", checkin.mark_excused, one, "ốm", nonce=nonce(), actor=clerk(congress))
    checkin.mark_excused(two, "ốm", nonce=nonce(), actor=clerk(congress))
    refused("already_excused", checkin.mark_excused, two, "ốm", nonce=nonce(), actor=clerk(congress))


def test_an_excused_delegate_who_comes_after_all_is_present_and_back_in_n():
    congress = make_congress(delegates=4)
    d = congress.delegates.get(number=1)
    checkin.mark_excused(d, "ốm", nonce=nonce(), actor=clerk(congress))
    assert attendance(congress).base.value == 3
    checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    figures = attendance(congress)
    assert (figures.present, figures.base.value, figures.excused) == (1, 4, 0)
    assert Delegate.objects.get(pk=d.pk).absence_reason == ""


def test_an_alternate_checks_in_but_is_counted_apart_from_the_convened():
    congress = make_congress(delegates=4)
    d = congress.delegates.get(number=4)
    Delegate.objects.filter(pk=d.pk).update(standing=Delegate.Standing.ALTERNATE)
    checkin.check_in(congress, d.code, nonce=nonce(), actor=clerk(congress))
    figures = attendance(congress)
    assert (figures.convened, figures.present, figures.alternates_convened, figures.alternates_present) == (
        3,
        0,
        1,
        1,
    )


def test_a_retried_check_out_and_excuse_count_once():
    congress = make_congress(delegates=3)
    one, two = congress.delegates.get(number=1), congress.delegates.get(number=2)
    checkin.check_in(congress, one.code, nonce=nonce(), actor=clerk(congress))
    out_key, excuse_key = nonce(), nonce()
    checkin.check_out(one, nonce=out_key, actor=clerk(congress))
    assert checkin.check_out(one, nonce=out_key, actor=clerk(congress)).is_repeat
    checkin.mark_excused(two, "ốm", nonce=excuse_key, actor=clerk(congress))
    assert checkin.mark_excused(two, "ốm", nonce=excuse_key, actor=clerk(congress)).is_repeat
    assert CheckIn.objects.filter(action="out").count() == 1
    assert CheckIn.objects.filter(action="excused").count() == 1
