"""Ristretto255 (RFC 9496) through libsodium: points as canonical 32-byte encodings, scalars as ints mod L.

Every hash into a scalar goes through `hash_to_scalar`: SHA-512 over a domain tag and length-framed parts,
read little-endian and reduced mod L. The JavaScript side (ballot_crypto.js) does exactly the same.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable

import rbcl  # type: ignore[import-untyped]

L = 2**252 + 27742317777372353535851937790883648493
"""The order of the group."""

Rng = Callable[[], int]
"""A source of scalars in [1, L): `random_scalar` in production, a seeded one for test vectors."""


class CryptoError(ValueError):
    """Bad cryptographic input, with a stable `code` and an English message naming what is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Point:
    """An element of the group, kept as its canonical encoding (so equality is byte equality)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    @classmethod
    def decode(cls, data: bytes, what: str = "point") -> Point:
        """A point from untrusted bytes: refused unless a canonical Ristretto255 encoding."""
        if len(data) != 32 or not bool(rbcl.crypto_core_ristretto255_is_valid_point(data)):
            raise CryptoError("bad_point", f"{what} is not a valid Ristretto255 point")
        return cls(bytes(data))

    @classmethod
    def from_hex(cls, text: object, what: str = "point") -> Point:
        if not isinstance(text, str) or len(text) != 64:
            raise CryptoError("bad_point", f"{what} must be 64 hex digits")
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise CryptoError("bad_point", f"{what} must be 64 hex digits") from None
        return cls.decode(raw, what)

    def hex(self) -> str:
        return self.data.hex()

    def __add__(self, other: Point) -> Point:
        return Point(bytes(rbcl.crypto_core_ristretto255_add(self.data, other.data)))

    def __sub__(self, other: Point) -> Point:
        return Point(bytes(rbcl.crypto_core_ristretto255_sub(self.data, other.data)))

    def __mul__(self, k: int) -> Point:
        return Point(bytes(rbcl.crypto_scalarmult_ristretto255_allow_scalar_zero(scalar_bytes(k), self.data)))

    __rmul__ = __mul__

    def __neg__(self) -> Point:
        return IDENTITY - self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and self.data == other.data

    def __hash__(self) -> int:
        return hash(self.data)

    def __repr__(self) -> str:
        return f"Point({self.data.hex()[:16]}…)"


IDENTITY = Point(bytes(32))
G = Point(bytes(rbcl.crypto_scalarmult_ristretto255_base((1).to_bytes(32, "little"))))


def base_mul(k: int) -> Point:
    """k·G (faster than G * k: libsodium's precomputed base)."""
    return Point(bytes(rbcl.crypto_scalarmult_ristretto255_base_allow_scalar_zero(scalar_bytes(k))))


@functools.lru_cache(maxsize=2048)
def small_multiple(v: int) -> Point:
    """v·G for the small counts proofs and encryption use (cached: they recur in every ballot)."""
    return base_mul(v)


def scalar_bytes(k: int) -> bytes:
    return (k % L).to_bytes(32, "little")


def scalar_from_hex(text: object, what: str = "scalar") -> int:
    """A scalar from untrusted hex: 32 bytes little-endian, canonical (< L)."""
    if not isinstance(text, str) or len(text) != 64:
        raise CryptoError("bad_scalar", f"{what} must be 64 hex digits")
    try:
        value = int.from_bytes(bytes.fromhex(text), "little")
    except ValueError:
        raise CryptoError("bad_scalar", f"{what} must be 64 hex digits") from None
    if value >= L:
        raise CryptoError("bad_scalar", f"{what} is not reduced modulo the group order")
    return value


def scalar_hex(k: int) -> str:
    return scalar_bytes(k).hex()


def random_scalar() -> int:
    """A uniform scalar in [1, L) from the operating system's generator."""
    return secrets.randbelow(L - 1) + 1


def frame(parts: tuple[bytes, ...] | list[bytes]) -> bytes:
    """Unambiguous concatenation: each part preceded by its length (4 bytes, big-endian)."""
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


def hash_to_scalar(domain: str, *parts: bytes) -> int:
    """SHA-512 of the framed domain tag and parts, little-endian, mod L."""
    digest = hashlib.sha512(frame([domain.encode(), *parts])).digest()
    return int.from_bytes(digest, "little") % L


def seeded_rng(seed: bytes) -> Rng:
    """Deterministic scalars for test vectors only: hash_to_scalar("daihoi/v1/test-rng", seed, counter)."""
    counter = 0

    def draw() -> int:
        nonlocal counter
        counter += 1
        return hash_to_scalar("daihoi/v1/test-rng", seed, counter.to_bytes(8, "big")) or 1

    return draw
