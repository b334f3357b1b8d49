"""`daihoi audit verify`: an untouched chain passes; editing, deleting, reordering and truncating are caught."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry, AuditHead


def write_entries(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit.record(
                actor="user:btc", action="test.step", congress_id=1, before={"i": i}, after={"i": i + 1}
            )


def run_verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as failed:
        return failed.returncode, out.getvalue(), err.getvalue() + str(failed)
    return 0, out.getvalue(), err.getvalue()


def problem_codes(err: str) -> set[str]:
    return {line.split()[1] for line in err.splitlines() if line.startswith("#")}


@pytest.mark.django_db
def test_untouched_chain_passes_and_counts_its_entries():
    write_entries(5)
    code, out, _err = run_verify()
    assert code == 0
    assert "Nhật ký toàn vẹn: 5 mục" in out


@pytest.mark.django_db
def test_empty_chain_passes():
    code, out, _err = run_verify()
    assert code == 0
    assert "Nhật ký toàn vẹn: 0 mục" in out


@pytest.mark.django_db
def test_editing_a_rows_after_is_detected():
    write_entries(4)
    AuditEntry.objects.filter(seq=2).update(after={"i": 999})
    code, _out, err = run_verify()
    assert code == 1
    assert "#2  edited" in err
    assert "Nhật ký KHÔNG toàn vẹn" in err


@pytest.mark.django_db
def test_editing_the_actor_is_detected():
    write_entries(3)
    AuditEntry.objects.filter(seq=3).update(actor="user:someone-else")
    code, _out, err = run_verify()
    assert code == 1
    assert "#3  edited" in err


@pytest.mark.django_db
def test_deleting_a_row_is_detected():
    write_entries(4)
    AuditEntry.objects.filter(seq=2).delete()
    code, _out, err = run_verify()
    assert code == 1
    assert {"gap", "broken_link"} <= problem_codes(err)
    assert "#3  gap" in err


@pytest.mark.django_db
def test_swapping_two_rows_order_is_detected():
    write_entries(4)
    # seq is unique: move through a free number, as someone editing the table would.
    AuditEntry.objects.filter(seq=2).update(seq=1000)
    AuditEntry.objects.filter(seq=3).update(seq=2)
    AuditEntry.objects.filter(seq=1000).update(seq=3)
    code, _out, err = run_verify()
    assert code == 1
    assert "broken_link" in problem_codes(err)


@pytest.mark.django_db
def test_truncating_the_tail_is_detected():
    write_entries(4)
    AuditEntry.objects.filter(seq=4).delete()
    code, _out, err = run_verify()
    assert code == 1
    assert problem_codes(err) == {"truncated"}


@pytest.mark.django_db(transaction=True)  # the plain django_db mark wraps every test in a transaction
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record(actor="user:btc", action="test.step")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_one_unbroken_order_from_the_head_lock():
    writers, each = 4, 8
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write() -> None:
        try:
            start.wait()
            write_entries(each)
        except BaseException as error:  # reported to the test thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, writers * each + 1))
    assert AuditHead.objects.get(id=1).seq == writers * each
    assert audit.verify() == []
