"""The secret that keys the audit chain (HMAC-SHA256). It lives outside the database, so that whoever
holds only the database cannot recompute the chain after rewriting it.

Where it comes from, first found: env `DAIHOI_AUDIT_KEY`; else the file `audit.key` in the data
directory (settings `DAIHOI_AUDIT_KEY_FILE` overrides the path), created on first use with mode 0600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.conf import settings

ENV = "DAIHOI_AUDIT_KEY"
_cache: dict[tuple[str | None, str], bytes] = {}


def key_path() -> Path:
    configured = getattr(settings, "DAIHOI_AUDIT_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit.key"


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private temporary file, then linked into place: a second process starting at
        # the same moment either wins the link or reads the complete key of the first, never half of it.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(32) + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise RuntimeError(f"the audit key file {path} is empty")
    return text.encode("utf-8")


def audit_key() -> bytes:
    """The HMAC key of the audit chain (read once per source and cached)."""
    env = os.environ.get(ENV) or None
    path = key_path()
    cached = _cache.get((env, str(path)))
    if cached is not None:
        return cached
    value = env.encode("utf-8") if env else _read_or_create(path)
    _cache[(env, str(path))] = value
    return value
