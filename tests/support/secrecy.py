"""What the file-level secrecy tests (elections and motions) share: `cp` of the database and its WAL, as
an attacker with file access would, and the check that a stored ballot is ciphertext only."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

HEX64 = re.compile(r"[0-9a-f]{64}")
# The keys of an encrypted ballot's JSON (`EncryptedBallot.to_json`): group elements and proofs.
BALLOT_KEYS = {"marks", "a", "b", "proof", "invalid", "sum_proof"}


def leaves(data: object) -> list[object]:
    if isinstance(data, dict):
        return [x for v in data.values() for x in leaves(v)]
    if isinstance(data, list):
        return [x for v in data for x in leaves(v)]
    return [data]


def keys(data: object) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys(v)}
    return set()


def assert_only_ciphertext(ciphertext: object, where: str, *, never: Iterable[str] = ()) -> None:
    """A ballot's stored content: group elements and scalars (64 hex digits), under the crypto's keys,
    and none of the quoted words `never` (a motion's answers) anywhere in it."""
    parsed = json.loads(ciphertext) if isinstance(ciphertext, str | bytes) else ciphertext
    assert keys(parsed) <= BALLOT_KEYS, where
    assert all(v is None or (isinstance(v, str) and HEX64.fullmatch(v)) for v in leaves(parsed)), where
    text = json.dumps(parsed)
    assert not {word for word in never if f'"{word}"' in text}, where


def snapshot(db: Path, into: Path) -> tuple[Path, bytes]:
    """`cp` the database file and its WAL, as an attacker with file access would; returns the copy and
    the raw bytes of both files."""
    into.mkdir()
    raw = b""
    for suffix in ("", "-wal"):
        source = Path(str(db) + suffix)
        if source.exists():
            subprocess.run(["cp", str(source), str(into / (db.name + suffix))], check=True)
            raw += (into / (db.name + suffix)).read_bytes()
    return into / db.name, raw
