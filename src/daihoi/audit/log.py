"""Append to and verify the audit chain.

`record()` must be called inside the transaction that makes the change, so the entry and the
change commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

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
) -> str:
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
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One entry to append: who did what to which object, with the facts before and after."""

    actor: str
    action: str
    congress_id: int | None = None
    obj: Any = None
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
    seq, prev_hash = head.seq, head.hash
    entries = []
    for change in changes:
        seq += 1
        obj = change.obj
        fields: dict[str, Any] = {
            "seq": seq,
            "at": timezone.now(),
            "actor": change.actor,
            "congress_id": change.congress_id,
            "action": change.action,
            "object_type": type(obj).__name__ if obj is not None else "",
            "object_id": str(getattr(obj, "pk", "") or "") if obj is not None else "",
            "before": _canonical(change.before),
            "after": _canonical(change.after),
            "prev_hash": prev_hash,
        }
        prev_hash = entry_hash(**fields)
        entries.append(AuditEntry(**fields, hash=prev_hash))
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        AuditEntry.objects.bulk_create(entries)
    AuditHead.objects.filter(id=1).update(seq=seq, hash=prev_hash)
    return entries


@dataclass(frozen=True)
class Problem:
    seq: int
    code: str
    message: str


def verify() -> list[Problem]:
    """Walk the chain in order; report edited, deleted, inserted or reordered rows."""
    problems: list[Problem] = []
    prev = GENESIS
    expected_seq = 1
    last_hash = GENESIS
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
        )
        if digest != e.hash:
            problems.append(Problem(e.seq, "edited", f"entry {e.seq} was changed after it was written"))
        prev = e.hash
        last_hash = e.hash
        expected_seq = e.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != last_hash):
        problems.append(
            Problem(
                head.seq,
                "truncated",
                f"the chain ends at entry {expected_seq - 1} but its head says {head.seq}",
            )
        )
    return problems
