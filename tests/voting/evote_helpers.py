"""The devices of issue 10, played in Python: now `daihoi.voting.devices` (the bench uses them too)."""

from __future__ import annotations

from daihoi.voting.devices import (
    DEVICES,
    ORGANIZER,
    Devices,
    decrypt_totals,
    encrypt_on_phone,
    ensure_committee,
    phone_cast,
    public_key,
    run_key_ceremony,
)

__all__ = [
    "DEVICES",
    "ORGANIZER",
    "Devices",
    "decrypt_totals",
    "encrypt_on_phone",
    "ensure_committee",
    "phone_cast",
    "public_key",
    "run_key_ceremony",
]
