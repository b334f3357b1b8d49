"""Append to and verify the audit chain.

`record()` must be called inside the transaction that makes the change, so the entry and the
change commit or roll back together. Each entry's hash is an HMAC-SHA256 keyed with a secret kept
outside the database (`daihoi.audit.key`): a rewritten chain cannot be recomputed from the database
alone. Anchors (`daihoi.audit.anchor`) keep the head outside the database, so cutting the tail or
deleting everything is caught too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from daihoi.audit.anchor import Mark, short, stored_marks
from daihoi.audit.key import audit_key
from daihoi.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    """JSON-round-trip so the hash is computed on exactly what the database stores."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False))


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    congress_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 of the entry's fields and the previous hash, keyed with the audit key."""
    payload = json.dumps(
        {
            "seq": seq,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "congress_id": congress_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "before": before,
            "after": after,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(audit_key() if key is None else key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Change:
    """One entry to append: who did what to which object, with the facts before and after."""

    actor: str
    action: str
    congress_id: int | None = None
    obj: Any = None
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class RowChange:
    """A `Change` that names its object by type and id, so a raw-SQL writer needs no model instance."""

    actor: str
    action: str
    congress_id: int | None
    object_type: str
    object_id: str
    before: Any = None
    after: Any = None


def record(
    *,
    actor: str,
    action: str,
    congress_id: int | None = None,
    obj: Any = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry to the chain. Call inside the transaction of the change it records."""
    return record_many([Change(actor, action, congress_id, obj, before, after)])[0]


def record_many(changes: Sequence[Change]) -> list[AuditEntry]:
    """Append entries in the given order, locking the head once (a burst of ballots is one write).

    Call inside the transaction of the changes they record."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside transaction.atomic()")
    if not changes:
        return []
    head = AuditHead.objects.select_for_update().filter(id=1).first()  # one query once the chain exists
    if head is None:
        AuditHead.objects.get_or_create(id=1)
        head = AuditHead.objects.select_for_update().get(id=1)
    fields = _chain(changes, head.seq, head.hash)
    entries = [AuditEntry(**f) for f in fields]
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        AuditEntry.objects.bulk_create(entries)
    AuditHead.objects.filter(id=1).update(seq=fields[-1]["seq"], hash=fields[-1]["hash"])
    return entries


def _object_of(change: Change | RowChange) -> tuple[str, str]:
    if isinstance(change, RowChange):
        return change.object_type, change.object_id
    obj = change.obj
    if obj is None:
        return "", ""
    return type(obj).__name__, str(getattr(obj, "pk", "") or "")


def _chain(changes: Sequence[Change | RowChange], seq: int, prev_hash: str) -> list[dict[str, Any]]:
    """The entries' fields (with `hash`) that follow the head (`seq`, `prev_hash`), in the given order."""
    key = audit_key()
    rows = []
    for change in changes:
        seq += 1
        object_type, object_id = _object_of(change)
        fields: dict[str, Any] = {
            "seq": seq,
            "at": timezone.now(),
            "actor": change.actor,
            "congress_id": change.congress_id,
            "action": change.action,
            "object_type": object_type,
            "object_id": object_id,
            "before": _canonical(change.before),
            "after": _canonical(change.after),
            "prev_hash": prev_hash,
        }
        prev_hash = fields["hash"] = entry_hash(**fields, key=key)
        rows.append(fields)
    return rows


# The columns `record_many_sql` writes, in order (every AuditEntry column but the serial id).
_ENTRY_COLUMNS = (
    "seq", "at", "actor", "congress_id", "action", "object_type", "object_id", "before", "after",
    "prev_hash", "hash",
)  # fmt: skip


def record_many_sql(changes: Sequence[Change | RowChange]) -> list[str]:
    """`record_many` in three statements of plain SQL (read and lock the head, insert the entries with
    executemany, move the head): the same chain, the same rows, without building models.

    For hot paths (a group of ballots or of check-ins); call inside the transaction of the changes they
    record. Returns the entries' hashes."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside transaction.atomic()")
    if not changes:
        return []
    quote = connection.ops.quote_name
    head_table = quote(AuditHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # Only table and column names from the models are formatted in; every value is a parameter.
    read_head = f"SELECT seq, hash FROM {head_table} WHERE id = 1{lock}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(read_head)
        head = cursor.fetchone()
        if head is None:  # the very first entry: as record_many does
            AuditHead.objects.get_or_create(id=1)
            cursor.execute(read_head)
            head = cursor.fetchone()
        rows = _chain(changes, int(head[0]), str(head[1]))
        fields = [AuditEntry._meta.get_field(name) for name in _ENTRY_COLUMNS]
        cursor.executemany(
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            [[f.get_db_prep_save(row[f.name], connection) for f in fields] for row in rows],
        )
        cursor.execute(
            f"UPDATE {head_table} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608
            [rows[-1]["seq"], rows[-1]["hash"]],
        )
    return [row["hash"] for row in rows]


@dataclass(frozen=True)
class Problem:
    seq: int
    code: str
    message: str


def verify(anchors: Iterable[Mark] = ()) -> list[Problem]:
    """Walk the chain in order; report edited, deleted, inserted or reordered rows, a head that disagrees
    with the last row (or is missing), and any anchored state (stored anchors and `anchors`, e.g. the
    anchors file or a hash read off a printed document) that the log no longer contains."""
    problems: list[Problem] = []
    key = audit_key()
    prev = GENESIS
    expected_seq = 1
    last_hash = GENESIS
    hashes: dict[int, str] = {0: GENESIS}
    for e in AuditEntry.objects.order_by("seq").iterator():
        if e.seq != expected_seq:
            problems.append(Problem(e.seq, "gap", f"entry {expected_seq} is missing before entry {e.seq}"))
        if e.prev_hash != prev:
            problems.append(
                Problem(e.seq, "broken_link", f"entry {e.seq} does not follow the entry before it")
            )
        digest = entry_hash(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            congress_id=e.congress_id,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            before=e.before,
            after=e.after,
            prev_hash=e.prev_hash,
            key=key,
        )
        if not hmac.compare_digest(digest, e.hash):
            problems.append(Problem(e.seq, "edited", f"entry {e.seq} was changed after it was written"))
        prev = e.hash
        last_hash = e.hash
        hashes[e.seq] = e.hash
        expected_seq = e.seq + 1
    last_seq = expected_seq - 1
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if last_seq > 0:
            problems.append(
                Problem(
                    last_seq, "head_missing", f"the chain has {last_seq} entries but its head row is gone"
                )
            )
    elif head.seq != last_seq or head.hash != last_hash:
        problems.append(
            Problem(
                head.seq,
                "truncated",
                f"the chain ends at entry {last_seq} but its head says {head.seq}",
            )
        )
    by_hash = {h: s for s, h in hashes.items()}
    for mark in [*stored_marks(), *anchors]:
        if mark.seq is not None:
            found = hashes.get(mark.seq) == mark.hash
        else:
            found = (
                any(h.startswith(mark.hash) for h in by_hash) if len(mark.hash) < 64 else mark.hash in by_hash
            )
        if not found:
            where = f" at entry {mark.seq}" if mark.seq is not None else ""
            problems.append(
                Problem(
                    mark.seq or 0,
                    "anchor_missing",
                    f"{mark.source}: the anchored state {short(mark.hash)} ({mark.hash}) is no longer in the log{where}",
                )
            )
    return problems
