"""Anchors: the chain's head recorded outside the log at the moments people rely on.

At each certification of a count, each motion's close and each result release, `record()` stores the
head (seq and hash) in an `Anchor` row, appends it as one JSON line to the append-only file
`audit-anchors.log` beside the database, and the documents print it. `daihoi audit verify` then proves
that the log still holds every anchored state: rows cut from the tail, a deleted log or a rewritten one
no longer contain the anchored hash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from daihoi.audit.models import Anchor, AuditHead

GENESIS = "0" * 64
FILE_NAME = "audit-anchors.log"
SHORT = 12  # hex digits of the short form printed beside the full hash
HEX = frozenset("0123456789abcdef")


def anchors_path() -> Path:
    configured = getattr(settings, "DAIHOI_AUDIT_ANCHORS_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / FILE_NAME


def short(digest: str) -> str:
    return digest[:SHORT]


@dataclass(frozen=True)
class Mark:
    """An anchored state: the hash of entry `seq` (seq None when only the hash is known)."""

    hash: str
    seq: int | None = None
    source: str = ""  # where it was read, for the message: "anchors file line 3", "--anchor"


def record(reason: str, ref: str, *, congress_id: int | None = None) -> Anchor:
    """Anchor the chain's current head. Call inside the transaction, after the audit entry of the step
    (so the anchored state includes it); the file line is appended once the transaction commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("anchor.record() must run inside transaction.atomic()")
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    seq, digest = (head.seq, head.hash) if head is not None else (0, GENESIS)
    anchor = Anchor.objects.create(
        at=timezone.now(), reason=reason, ref=ref, congress_id=congress_id, seq=seq, hash=digest
    )
    transaction.on_commit(lambda: append_line(anchor))
    return anchor


def append_line(anchor: Anchor) -> None:
    """One JSON line, opened in append mode and synced: the file only ever grows."""
    path = anchors_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "at": anchor.at.isoformat(timespec="seconds"),
            "seq": anchor.seq,
            "hash": anchor.hash,
            "reason": anchor.reason,
            "ref": anchor.ref,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def latest(ref: str, reasons: Iterable[str]) -> Anchor | None:
    """The last anchor recorded for `ref` with one of `reasons` (what a document prints)."""
    return Anchor.objects.filter(ref=ref, reason__in=list(reasons)).order_by("-seq", "-id").first()


class AnchorFileError(ValueError):
    pass


def normalize(text: str) -> str:
    """A hash as typed or read off paper: spaces and case do not matter."""
    return "".join(text.split()).lower()


def parse_hash(text: str, *, source: str) -> Mark:
    digest = normalize(text)
    if len(digest) < SHORT or len(digest) > 64 or not set(digest) <= HEX:
        raise AnchorFileError(
            f"{source}: “{text}” is not a chain hash (at least {SHORT} and at most 64 hex digits)"
        )
    return Mark(digest, None, source)


def read_file(path: Path) -> list[Mark]:
    """The anchors of an anchors file; a line that cannot be read is an error naming its number."""
    marks = []
    with path.open(encoding="utf-8") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            source = f"{path.name} line {number}"
            try:
                data = json.loads(raw)
                seq, digest = int(data["seq"]), str(data["hash"])
            except (ValueError, KeyError, TypeError):
                raise AnchorFileError(f"{source}: not an anchor line") from None
            mark = parse_hash(digest, source=source)
            marks.append(Mark(mark.hash, seq, source))
    return marks


def stored_marks() -> list[Mark]:
    return [Mark(a.hash, a.seq, f"anchor {a.reason} {a.ref}") for a in Anchor.objects.order_by("seq", "id")]


def shown(ref: str, reasons: Iterable[str]) -> dict[str, object] | None:
    """The last anchor of `ref` as screens show it: short form, full hash and entry number."""
    a = latest(ref, reasons)
    return None if a is None else {"short": a.short, "hash": a.hash, "seq": a.seq}
