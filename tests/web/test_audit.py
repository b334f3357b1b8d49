"""`daihoi audit verify`: an untouched chain passes; every tamper fails it: edit, delete a middle row,
truncate the tail (head rewritten too), delete everything, reorder, insert, a full rewrite with
recomputed (unkeyed or wrong-key) hashes, and a missing head row."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import TestCase

from daihoi.audit import anchor
from daihoi.audit import key as audit_key
from daihoi.audit import log as audit
from daihoi.audit.models import Anchor, AuditEntry, AuditHead


@pytest.fixture(autouse=True)
def anchors_file(settings, tmp_path: Path) -> Path:
    """Each test has its own anchors file (the default one lives in the shared data directory)."""
    path = tmp_path / "audit-anchors.log"
    settings.DAIHOI_AUDIT_ANCHORS_FILE = str(path)
    return path


def write_entries(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit.record(
                actor="user:btc", action="test.step", congress_id=1, before={"i": i}, after={"i": i + 1}
            )


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
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


# --- the key, the head row and anchors -------------------------------------------------------------


def anchor_now(reason: str = "election.certify", ref: str = "election:1") -> Anchor:
    # The test's own transaction never commits: run the after-commit file append as a commit would.
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        return anchor.record(reason, ref, congress_id=1)


def rows() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("seq"))


def rewrite(entries: list[dict], *, key: bytes | None) -> None:
    """What someone holding only the database can do: replace every row and the head with a chain whose
    hashes they recompute (plain SHA-256, or HMAC with a key of their own)."""
    AuditEntry.objects.all().delete()
    prev = audit.GENESIS
    for seq, fields in enumerate(entries, start=1):
        fields = {**fields, "seq": seq, "prev_hash": prev}
        if key is None:
            payload = json.dumps(
                {**fields, "at": fields["at"].isoformat(timespec="microseconds")},
                sort_keys=True,
                ensure_ascii=False,
                separators=(",", ":"),
            )
            prev = hashlib.sha256(payload.encode()).hexdigest()
        else:
            prev = audit.entry_hash(**fields, key=key)
        AuditEntry.objects.create(**fields, hash=prev)
    AuditHead.objects.filter(id=1).update(seq=len(entries), hash=prev)


def fields_of(e: AuditEntry) -> dict:
    return {
        "at": e.at,
        "actor": e.actor,
        "congress_id": e.congress_id,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "before": e.before,
        "after": {"i": 1000} if e.seq == 2 else e.after,  # the rewrite changes entry 2
    }


def test_the_key_file_is_created_once_with_mode_0600(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(audit_key.ENV, raising=False)
    settings.DAIHOI_AUDIT_KEY_FILE = str(tmp_path / "audit.key")
    first = audit_key.audit_key()
    assert stat.S_IMODE(os.stat(tmp_path / "audit.key").st_mode) == 0o600
    assert len(first) == 64 and audit_key.audit_key() == first
    assert (tmp_path / "audit.key").read_text().strip().encode() == first
    assert [p.name for p in tmp_path.iterdir()] == ["audit.key"]


def test_the_environment_key_takes_precedence(monkeypatch):
    monkeypatch.setenv(audit_key.ENV, "a hall secret")
    assert audit_key.audit_key() == b"a hall secret"


@pytest.mark.django_db
def test_a_chain_written_with_another_key_fails(monkeypatch):
    write_entries(3)
    monkeypatch.setenv(audit_key.ENV, "not the key the chain was written with")
    code, _out, err = run_verify()
    assert code == 1
    assert {"edited"} == problem_codes(err)
    assert "#1  edited" in err and "#3  edited" in err


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, b"a key of the attacker's own"], ids=["unkeyed", "wrong-key"])
def test_a_full_rewrite_with_recomputed_hashes_is_detected(key):
    write_entries(4)
    rewrite([fields_of(e) for e in rows()], key=key)
    code, _out, err = run_verify()
    assert code == 1
    assert problem_codes(err) == {"edited"}
    assert all(f"#{seq}  edited" in err for seq in range(1, 5))


@pytest.mark.django_db
def test_a_missing_head_row_is_detected():
    write_entries(3)
    AuditHead.objects.all().delete()
    code, _out, err = run_verify()
    assert code == 1
    assert problem_codes(err) == {"head_missing"}


@pytest.mark.django_db
def test_deleting_a_middle_row_is_detected():
    write_entries(5)
    AuditEntry.objects.filter(seq=3).delete()
    code, _out, err = run_verify()
    assert code == 1
    assert "#4  gap" in err and "#4  broken_link" in err


@pytest.mark.django_db
def test_inserting_a_row_is_detected():
    write_entries(3)
    e = AuditEntry.objects.get(seq=3)
    AuditEntry.objects.filter(seq=3).update(seq=4)
    AuditEntry.objects.create(
        seq=3,
        at=e.at,
        actor="user:intruder",
        congress_id=1,
        action="test.step",
        before=None,
        after={"i": "slipped in"},
        prev_hash=AuditEntry.objects.get(seq=2).hash,
        hash="f" * 64,
    )
    code, _out, err = run_verify()
    assert code == 1
    assert "#3  edited" in err and "#4  broken_link" in err


@pytest.mark.django_db
def test_truncating_the_tail_and_rewriting_the_head_is_caught_by_the_anchor(anchors_file):
    write_entries(3)
    anchor_now()
    write_entries(1)
    anchored = AuditEntry.objects.get(seq=3).hash
    assert run_verify()[0] == 0
    # Cut entries 3 and 4 and make the head agree: the chain itself looks whole again.
    AuditEntry.objects.filter(seq__gte=3).delete()
    AuditHead.objects.filter(id=1).update(seq=2, hash=AuditEntry.objects.get(seq=2).hash)
    Anchor.objects.all().delete()  # the database's copy of the anchor goes too
    code, _out, err = run_verify()
    assert code == 1
    assert problem_codes(err) == {"anchor_missing"}
    assert f"audit-anchors.log line 1: the anchored state {anchored[:12]} ({anchored})" in err


@pytest.mark.django_db
def test_deleting_everything_is_caught_by_the_anchors_file(anchors_file):
    write_entries(2)
    anchor_now()
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    Anchor.objects.all().delete()
    code, _out, err = run_verify()
    assert code == 1
    assert problem_codes(err) == {"anchor_missing"}


@pytest.mark.django_db
def test_deleting_everything_but_the_anchor_rows_is_caught_without_the_file(anchors_file):
    write_entries(2)
    anchor_now()
    anchors_file.unlink()
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    code, _out, err = run_verify()
    assert code == 1
    assert problem_codes(err) == {"anchor_missing"}


@pytest.mark.django_db
def test_an_anchor_records_the_head_in_the_database_and_the_file_after_commit(anchors_file):
    write_entries(2)
    head = AuditHead.objects.get(id=1)
    a = anchor_now("motion.close", "motion:7")
    assert (a.seq, a.hash, a.short) == (2, head.hash, head.hash[:12])
    line = json.loads(anchors_file.read_text().splitlines()[0])
    assert (line["seq"], line["hash"], line["reason"], line["ref"]) == (
        2,
        head.hash,
        "motion.close",
        "motion:7",
    )


@pytest.mark.django_db(transaction=True)
def test_an_anchor_rolled_back_with_its_step_leaves_no_line(anchors_file):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor="user:btc", action="test.step")
        anchor.record("election.certify", "election:1")
        1 / 0  # noqa: B018
    assert not anchors_file.exists() and not Anchor.objects.exists()


@pytest.mark.django_db
def test_verify_anchor_proves_a_printed_hash_is_still_in_the_log():
    write_entries(3)
    printed = AuditEntry.objects.get(seq=2).hash
    assert run_verify("--anchor", printed)[0] == 0
    assert run_verify("--anchor", printed[:12].upper())[0] == 0  # the short form, as typed
    code, _out, err = run_verify("--anchor", "ab" * 32)
    assert code == 1
    assert "--anchor: the anchored state abababababab" in err


@pytest.mark.django_db
def test_verify_anchor_fails_after_a_rewrite_of_that_state():
    write_entries(3)
    printed = AuditEntry.objects.get(seq=3).hash
    rewrite([fields_of(e) for e in rows()], key=None)
    code, _out, err = run_verify("--anchor", printed)
    assert code == 1
    assert "anchor_missing" in problem_codes(err)


@pytest.mark.django_db
def test_a_hash_too_short_or_not_hex_is_refused_with_a_clear_message():
    code, _out, err = run_verify("--anchor", "abc")
    assert code == 2 and "--anchor: “abc” is not a chain hash" in err
    code, _out, err = run_verify("--anchor", "z" * 64)
    assert code == 2


@pytest.mark.django_db
def test_verify_anchors_file_names_a_bad_line_and_a_missing_file(tmp_path):
    write_entries(1)
    bad = tmp_path / "copy.log"
    bad.write_text('{"seq": 1, "hash": "' + AuditEntry.objects.get(seq=1).hash + '"}\nnot json\n')
    code, _out, err = run_verify("--anchors", str(bad))
    assert code == 2 and "copy.log line 2: not an anchor line" in err
    code, _out, err = run_verify("--anchors", str(tmp_path / "absent.log"))
    assert code == 2 and "absent.log" in err


@pytest.mark.django_db
def test_verify_anchors_file_copy_checks_every_line(tmp_path, anchors_file):
    write_entries(2)
    anchor_now()
    write_entries(2)
    anchor_now(ref="election:2")
    copy = tmp_path / "copy.log"
    copy.write_text(anchors_file.read_text())
    assert run_verify("--anchors", str(copy))[0] == 0
    AuditEntry.objects.filter(seq=2).update(seq=99)  # the first anchored state moves
    code, _out, err = run_verify("--anchors", str(copy))
    assert code == 1 and "copy.log line 1" in err


def test_a_key_file_already_there_is_kept(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(audit_key.ENV, raising=False)
    (tmp_path / "audit.key").write_text("the hall's key\n")
    settings.DAIHOI_AUDIT_KEY_FILE = str(tmp_path / "audit.key")
    assert audit_key.audit_key() == b"the hall's key"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.key"]  # no temporary left behind
