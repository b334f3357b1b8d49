"""Exponential ElGamal: m is encrypted as (r·G, m·G + r·h), so ciphertexts add up to the sum of the m."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from daihoi.crypto.group import IDENTITY, CryptoError, G, Point, base_mul, small_multiple


@dataclass(frozen=True)
class Ciphertext:
    a: Point  # r·G
    b: Point  # m·G + r·h

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(self.a + other.a, self.b + other.b)

    def scale(self, k: int) -> Ciphertext:
        return Ciphertext(self.a * k, self.b * k)

    def to_json(self) -> dict[str, str]:
        return {"a": self.a.hex(), "b": self.b.hex()}

    @classmethod
    def from_json(cls, data: object, what: str = "ciphertext") -> Ciphertext:
        if not isinstance(data, dict):
            raise CryptoError("bad_ciphertext", f"{what} must be an object with a and b")
        return cls(Point.from_hex(data.get("a"), f"{what}.a"), Point.from_hex(data.get("b"), f"{what}.b"))

    def encode(self) -> bytes:
        return self.a.data + self.b.data


ZERO_CIPHERTEXT = Ciphertext(IDENTITY, IDENTITY)


def encrypt(public_key: Point, m: int, r: int) -> Ciphertext:
    return Ciphertext(base_mul(r), small_multiple(m) + public_key * r)


def add_all(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """The homomorphic sum (an encryption of the sum of the plaintexts)."""
    total = ZERO_CIPHERTEXT
    for c in ciphertexts:
        total = total + c
    return total


class DlogTable:
    """Recovers m from m·G for 0 ≤ m ≤ bound: a table built once and shared by every total."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._table: dict[bytes, int] = {}
        point = IDENTITY
        for m in range(bound + 1):
            self._table[point.data] = m
            point = point + G

    def lookup(self, point: Point) -> int:
        try:
            return self._table[point.data]
        except KeyError:
            raise CryptoError(
                "no_small_log", f"the decrypted value is not a count between 0 and {self.bound}"
            ) from None
