"""P18: independent entries of the same ballots (two teams, or three) must agree ballot by ballot."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from daihoi.rules.errors import RuleError


@dataclass(frozen=True)
class Mismatch:
    """One ballot the entries disagree on; `values[k]` is entry k's reading, None when it lacks the ballot."""

    ballot: str
    values: tuple[Hashable | None, ...]


@dataclass(frozen=True)
class EntryComparison:
    """The comparison of the entries; certify only when `agree`."""

    entries: int
    ballots: int
    mismatches: tuple[Mismatch, ...]

    @property
    def agree(self) -> bool:
        return not self.mismatches

    @property
    def mismatched_ballots(self) -> tuple[str, ...]:
        return tuple(m.ballot for m in self.mismatches)

    def require_agreement(self) -> None:
        """Raise RuleError `entries_disagree`, listing the ballot numbers, unless all entries agree."""
        if self.mismatches:
            raise RuleError(
                "entries_disagree", count=len(self.mismatches), ballots=list(self.mismatched_ballots)
            )


def _natural(ballot: str) -> tuple[int, int | str]:
    # Ballot numbers sort as numbers when they are numbers ("2" before "10").
    return (0, int(ballot)) if ballot.isdigit() else (1, ballot)


def compare_entries(entries: Sequence[Mapping[str, Hashable]]) -> EntryComparison:
    """Compare ≥ 2 entries (ballot number → what was read: marks and reason); list every disagreement."""
    if len(entries) < 2:
        raise RuleError("too_few_entries", count=len(entries))
    numbers: set[str] = set()
    for entry in entries:
        numbers.update(entry)
    mismatches = []
    for number in sorted(numbers, key=_natural):
        values = tuple(entry.get(number) for entry in entries)
        if any(number not in entry for entry in entries) or len(set(values)) > 1:
            mismatches.append(Mismatch(number, values))
    return EntryComparison(len(entries), len(numbers), tuple(mismatches))
