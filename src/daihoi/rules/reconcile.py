"""P17 reconciliation: a count is certified only when its figures agree with each other."""

from __future__ import annotations

from collections.abc import Sequence

from daihoi.rules.errors import ReconciliationError, RuleError


def reconcile(
    *,
    issued: int,
    received: int,
    valid: int,
    invalid: int,
    votes: Sequence[int],
    candidate_cap: int,
    total_cap: int,
    present: int | None = None,
    labels: Sequence[str] | None = None,
) -> None:
    """Raise ReconciliationError (with the numbers) unless received ≤ issued ≤ present,
    valid + invalid = received, each candidate's votes ≤ candidate_cap and their sum ≤ total_cap.

    For one-vote ballots the caps are valid and valid × seats; for cumulative voting both are the
    allowance of the valid ballots (their shares × seats).
    """
    for name, value in (("issued", issued), ("received", received), ("valid", valid), ("invalid", invalid)):
        if value < 0:
            raise RuleError("negative_count", field=name, value=value)
    if received > issued:
        raise ReconciliationError("received_exceeds_issued", received=received, issued=issued)
    if present is not None and issued > present:
        raise ReconciliationError("issued_exceeds_present", issued=issued, present=present)
    if valid + invalid != received:
        raise ReconciliationError("valid_invalid_mismatch", valid=valid, invalid=invalid, received=received)
    names = labels if labels is not None else [str(i + 1) for i in range(len(votes))]
    for name, count in zip(names, votes, strict=True):
        if count < 0:
            raise RuleError("negative_count", field=name, value=count)
        if count > candidate_cap:
            raise ReconciliationError(
                "candidate_votes_exceed_valid", candidate=name, votes=count, cap=candidate_cap
            )
    total = sum(votes)
    if total > total_cap:
        raise ReconciliationError("votes_exceed_total", total=total, cap=total_cap)
