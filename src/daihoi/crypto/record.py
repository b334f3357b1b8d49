"""The published election record (JSON) and its verification from the file alone.

`build_record` writes it after the count; `verify_record` re-derives everything that can be derived
(public key, public shares, trackers, which ballots' proofs hold, the homomorphic totals, the decrypted
counts and the result under the rules core) and raises `VerifyError` naming the first thing that differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from daihoi.crypto.ballot import BallotSpec, EncryptedBallot, ballot_tracker, verify_ballot
from daihoi.crypto.elgamal import Ciphertext, DlogTable, add_all
from daihoi.crypto.group import CryptoError, Point
from daihoi.crypto.proofs import Proof
from daihoi.crypto.threshold import (
    PartialDecryption,
    check_dealer,
    combine_partials,
    public_key,
    public_share,
    verify_partial,
    verify_share,
)
from daihoi.crypto.totals import (
    ElectronicTotals,
    PaperTotals,
    count_election_totals,
    decide_motion_totals,
    motion_outcome_dict,
)
from daihoi.rules.counting import Candidate, Election
from daihoi.rules.errors import RuleError
from daihoi.rules.rulesets import get_ruleset

FORMAT = "daihoi-election-record/1"


class VerifyError(Exception):
    """The record fails a check; the message names what failed, in one line."""


@dataclass(frozen=True)
class Poll:
    """What was voted on: an election (candidates, seats) or a motion (yes / no / abstain)."""

    id: str
    kind: Literal["election", "motion"]
    title: str
    choices: tuple[tuple[str, str], ...]  # (id, name) in ballot order
    ruleset: str = "party"
    seats: int = 1
    alternates: int = 0
    base: int | None = None
    special: bool = False
    # An election's next round (P13–P15): a round among the tied, whether it still needs 2 × votes > N
    # (None: the rule set's default), and a round for alternate places only. A record without them is
    # of a normal round.
    is_tie_round: bool = False
    tie_round_needs_majority: bool | None = None
    elects_alternates: bool = False
    # The id the committee's key is bound to (its dealer and share proofs), when one key serves many
    # polls: a congress's motion key (`daihoi/<slug>/motions`). None: the poll's own id.
    key_id: str | None = None

    @property
    def committee_id(self) -> str:
        return self.key_id or self.id

    def election(self) -> Election:
        """The rules core's election, tie-round flags included: the count applies them (`needs_majority`)."""
        return Election(
            tuple(Candidate(i, n) for i, n in self.choices),
            self.seats,
            alternates=self.alternates,
            base=self.base,
            ruleset=get_ruleset(self.ruleset),
            is_tie_round=self.is_tie_round,
            tie_round_needs_majority=self.tie_round_needs_majority,
        )

    def spec(self) -> BallotSpec:
        if self.kind == "motion":
            return BallotSpec.for_motion(len(self.choices))
        election = self.election()
        return BallotSpec.for_election(
            len(self.choices),
            election.places,
            all_struck_invalid=election.ruleset.all_struck_invalid and election.layout == "strike",
        )

    def labels(self) -> list[str]:
        """One label per homomorphic total: each choice, then the invalid indicator if carried."""
        labels = [f"mark:{i}" for i in range(len(self.choices))]
        return [*labels, "invalid"] if self.spec().allow_invalid else labels

    def to_json(self) -> dict[str, Any]:
        extra = {} if self.key_id is None else {"key_id": self.key_id}
        data: dict[str, Any] = {
            **extra,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "choices": [{"id": i, "name": n} for i, n in self.choices],
            "ruleset": self.ruleset,
            "seats": self.seats,
            "alternates": self.alternates,
            "base": self.base,
            "special": self.special,
        }
        if self.kind == "election":
            data |= {
                "is_tie_round": self.is_tie_round,
                "tie_round_needs_majority": self.tie_round_needs_majority,
                "elects_alternates": self.elects_alternates,
            }
        return data

    @classmethod
    def from_json(cls, data: Any) -> Poll:
        kind = data["kind"]
        if kind not in ("election", "motion"):
            raise VerifyError(f"poll: unknown kind {kind!r}")
        choices = tuple((str(c["id"]), str(c["name"])) for c in data["choices"])
        base = data["base"]
        # Absent: a normal round (records written before the flags were carried).
        is_tie_round = data.get("is_tie_round", False)
        needs_majority = data.get("tie_round_needs_majority")
        elects_alternates = data.get("elects_alternates", False)
        if not (
            isinstance(is_tie_round, bool)
            and isinstance(elects_alternates, bool)
            and (needs_majority is None or isinstance(needs_majority, bool))
        ):
            raise VerifyError(
                "poll: is_tie_round, elects_alternates must be true or false, tie_round_needs_majority too or null"
            )
        return cls(
            str(data["id"]),
            kind,
            str(data["title"]),
            choices,
            str(data["ruleset"]),
            int(data["seats"]),
            int(data["alternates"]),
            None if base is None else int(base),
            bool(data["special"]),
            is_tie_round=is_tie_round,
            tie_round_needs_majority=needs_majority,
            elects_alternates=elects_alternates,
            key_id=None if data.get("key_id") is None else str(data["key_id"]),
        )


@dataclass(frozen=True)
class CommitteeMember:
    """A member's public part of the ceremony."""

    index: int
    commitments: tuple[Point, ...]
    dealer_proof: Proof
    share_proof: Proof


@dataclass(frozen=True)
class CastBallot:
    """A ballot as the server stored it: parsed, or the JSON the phone sent (which may not even parse)."""

    credential: str
    ballot: EncryptedBallot | dict[str, Any]
    # The verdict the proof check stored (True: accepted), when the record prints what was decided;
    # None: decide now (`check_cast`). `daihoi verify` always checks every proof itself.
    accepted: bool | None = None


def _parsed(spec: BallotSpec, cast: CastBallot) -> EncryptedBallot | None:
    if isinstance(cast.ballot, EncryptedBallot):
        return cast.ballot
    try:
        return EncryptedBallot.from_json(cast.ballot, spec)
    except CryptoError:
        return None


def check_cast(poll: Poll, pk: Point, cast: CastBallot) -> tuple[EncryptedBallot | None, bool]:
    """The ballot parsed (None if it does not parse) and whether every proof holds: what the background
    check after casting decides, and what the record says as `accepted`."""
    spec = poll.spec()
    parsed = _parsed(spec, cast)
    if parsed is None:
        return None, False
    return parsed, verify_ballot(spec, pk, poll.id, cast.credential, parsed)


def homomorphic_totals(poll: Poll, ballots: Sequence[EncryptedBallot]) -> list[Ciphertext]:
    """The sums to decrypt, in the order of `poll.labels()`: each choice, then the invalid indicator."""
    spec = poll.spec()
    totals = [add_all(b.marks[i] for b in ballots) for i in range(spec.choices)]
    if spec.allow_invalid:
        totals.append(add_all(b.invalid for b in ballots if b.invalid is not None))
    return totals


def _result(poll: Poll, electronic: ElectronicTotals, paper: PaperTotals | None) -> dict[str, Any]:
    if poll.kind == "motion":
        if poll.base is None:
            raise RuleError("base_required", ruleset=poll.ruleset)
        outcome = decide_motion_totals(
            electronic.votes,
            None if paper is None else paper.votes,
            base=poll.base,
            ruleset=poll.ruleset,
            special=poll.special,
        )
        return motion_outcome_dict(outcome)
    return count_election_totals(poll.election(), electronic, paper).to_dict()


def _paper_json(paper: PaperTotals | None) -> dict[str, Any] | None:
    if paper is None:
        return None
    return {
        "issued": paper.issued,
        "received": paper.received,
        "invalid_by_reason": dict(paper.invalid_by_reason),
        "votes": list(paper.votes),
    }


def build_record(
    poll: Poll,
    threshold: int,
    members: Sequence[CommitteeMember],
    ballots: Sequence[CastBallot],
    partials: Sequence[PartialDecryption],
    paper: PaperTotals | None = None,
) -> dict[str, Any]:
    """The record of a counted poll. Ballots whose proofs fail are kept, marked not accepted, and counted
    invalid (`bad_proof`); the partial decryptions must be of the totals of the accepted ballots."""
    spec = poll.spec()
    commitments = {m.index: m.commitments for m in members}
    pk = public_key(commitments)
    entries, accepted = [], []
    for cast in ballots:
        if cast.accepted is None:
            parsed, ok = check_cast(poll, pk, cast)
        else:  # the stored verdict: the record prints what was decided, it does not decide again
            parsed, ok = _parsed(spec, cast), cast.accepted
        if ok and parsed is not None:
            accepted.append(parsed)
        entries.append(
            {
                "credential": cast.credential,
                # A ballot that does not parse has no canonical bytes, hence no tracker.
                "tracker": None if parsed is None else ballot_tracker(poll.id, cast.credential, parsed),
                "accepted": ok,
                "ballot": cast.ballot if parsed is None else parsed.to_json(),
            }
        )
    totals = homomorphic_totals(poll, accepted)
    counts = [DlogTable(len(accepted)).lookup(p) for p in combine_partials(threshold, totals, partials)]
    electronic = ElectronicTotals(
        cast=len(ballots),
        rejected=len(ballots) - len(accepted),
        invalid=counts[spec.choices] if spec.allow_invalid else 0,
        votes=tuple(counts[: spec.choices]),
    )
    labels = poll.labels()
    return {
        "format": FORMAT,
        "poll": poll.to_json(),
        "spec": spec.to_json(),
        "committee": {
            "threshold": threshold,
            "members": [
                {
                    "index": m.index,
                    "commitments": [c.hex() for c in m.commitments],
                    "dealer_proof": m.dealer_proof.to_json(),
                    "public_share": public_share(commitments, m.index).hex(),
                    "share_proof": m.share_proof.to_json(),
                }
                for m in members
            ],
        },
        "public_key": pk.hex(),
        "ballots": entries,
        "totals": [{"label": label, **c.to_json()} for label, c in zip(labels, totals, strict=True)],
        "decryptions": [p.to_json(labels) for p in partials],
        "electronic": {
            "cast": electronic.cast,
            "rejected": electronic.rejected,
            "invalid": electronic.invalid,
            "votes": list(electronic.votes),
        },
        "paper": _paper_json(paper),
        "result": _result(poll, electronic, paper),
    }


def _parse_paper(data: Any, poll: Poll) -> PaperTotals | None:
    if data is None:
        return None
    votes = tuple(int(v) for v in data["votes"])
    if len(votes) != len(poll.choices) or min(votes, default=0) < 0:
        raise VerifyError(f"paper: votes must be {len(poll.choices)} counts")
    reasons = {str(k): int(v) for k, v in dict(data["invalid_by_reason"]).items()}
    return PaperTotals(int(data["issued"]), int(data["received"]), reasons, votes)


def verify_record(record: Mapping[str, Any]) -> str:
    """Check everything in the record; the one-line verdict, or VerifyError naming what failed."""
    try:
        return _verify(record)
    except VerifyError:
        raise
    except CryptoError as e:
        raise VerifyError(e.message) from None
    except RuleError as e:
        raise VerifyError(f"the result cannot be recomputed: {e.message_en}") from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        raise VerifyError(f"malformed record: {type(e).__name__} {e}") from None


def _verify(record: Mapping[str, Any]) -> str:
    if record.get("format") != FORMAT:
        raise VerifyError(f"not a {FORMAT} file")
    poll = Poll.from_json(record["poll"])
    spec = poll.spec()
    if BallotSpec.from_json(record["spec"]) != spec:
        raise VerifyError("spec: does not follow from the poll and its rule set")
    eid = poll.id

    # The committee: each dealer's proof, the public key and each public share from the commitments.
    committee = record["committee"]
    threshold = int(committee["threshold"])
    members = committee["members"]
    n = len(members)
    if not 1 <= threshold <= n:
        raise VerifyError(f"committee: threshold {threshold} of {n} members")
    commitments: dict[int, tuple[Point, ...]] = {}
    for m in members:
        index = int(m["index"])
        if index < 1 or index in commitments:
            raise VerifyError(f"committee member {index}: index must be unique and at least 1")
        points = tuple(Point.from_hex(c, f"member {index} commitment") for c in m["commitments"])
        if len(points) != threshold:
            raise VerifyError(f"committee member {index}: {len(points)} commitments, {threshold} expected")
        if not check_dealer(
            poll.committee_id,
            index,
            points,
            Proof.from_json(m["dealer_proof"], f"member {index} dealer_proof"),
        ):
            raise VerifyError(f"committee member {index}: the proof of its key commitment fails")
        commitments[index] = points
    shares: dict[int, Point] = {}
    for m in members:
        index = int(m["index"])
        shares[index] = public_share(commitments, index)
        if m["public_share"] != shares[index].hex():
            raise VerifyError(f"committee member {index}: public share does not follow from the commitments")
        if not verify_share(
            poll.committee_id,
            index,
            shares[index],
            Proof.from_json(m["share_proof"], f"member {index} share_proof"),
        ):
            raise VerifyError(f"committee member {index}: the proof of its key share fails")
    pk = public_key(commitments)
    if record["public_key"] != pk.hex():
        raise VerifyError("public_key: not the sum of the committee's commitments")

    # Every ballot: tracker, proofs, and whether the record counted it.
    accepted: list[EncryptedBallot] = []
    seen: set[str] = set()
    for k, entry in enumerate(record["ballots"], start=1):
        credential = entry["credential"]
        if not isinstance(credential, str) or credential in seen:
            raise VerifyError(f"ballot {k}: credential missing or used twice")
        seen.add(credential)
        ballot: EncryptedBallot | None
        try:
            ballot = EncryptedBallot.from_json(entry["ballot"], spec)
        except CryptoError as e:
            ballot, ok, problem = None, False, e.message
        else:
            ok, problem = verify_ballot(spec, pk, eid, credential, ballot), "its proofs fail"
            if entry["tracker"] != ballot_tracker(eid, credential, ballot):
                raise VerifyError(f"ballot {k} ({credential}): tracker does not match the ballot")
        if entry["accepted"] is not ok:
            raise VerifyError(
                f"ballot {k} ({credential}): counted as accepted but {problem}"
                if entry["accepted"]
                else f"ballot {k} ({credential}): set aside as invalid but its proofs hold"
            )
        if ok and ballot is not None:
            accepted.append(ballot)

    # The homomorphic totals and their decryption by at least t members.
    totals = homomorphic_totals(poll, accepted)
    labels = poll.labels()
    stated = record["totals"]
    if [t["label"] for t in stated] != labels or [Ciphertext.from_json(t, "total") for t in stated] != totals:
        raise VerifyError("totals: not the sum of the accepted ballots")
    partials = []
    for d in record["decryptions"]:
        member = int(d["member"])
        if member not in shares:
            raise VerifyError(f"decryption by member {member}: not a committee member")
        try:
            partial = PartialDecryption.from_json(d, labels)
        except CryptoError as e:
            raise VerifyError(f"decryption by member {member}: {e.message}") from None
        if not verify_partial(eid, shares[member], partial, totals, labels):
            raise VerifyError(f"decryption by member {member}: the proof of correct decryption fails")
        partials.append(partial)
    try:
        points = combine_partials(threshold, totals, partials)
    except CryptoError as e:
        raise VerifyError(f"decryption: {e.message}") from None
    table = DlogTable(len(accepted))
    counts = [table.lookup(p) for p in points]
    electronic = ElectronicTotals(
        cast=len(record["ballots"]),
        rejected=len(record["ballots"]) - len(accepted),
        invalid=counts[spec.choices] if spec.allow_invalid else 0,
        votes=tuple(counts[: spec.choices]),
    )
    stated_e = record["electronic"]
    if (
        stated_e["cast"] != electronic.cast
        or stated_e["rejected"] != electronic.rejected
        or stated_e["invalid"] != electronic.invalid
        or stated_e["votes"] != list(electronic.votes)
    ):
        raise VerifyError("electronic: the stated counts are not what the decryption gives")

    # The result, recomputed by the rules core from the totals and the paper ballots.
    paper = _parse_paper(record["paper"], poll)
    if record["result"] != _result(poll, electronic, paper):
        raise VerifyError("result: not what the rules give for these totals")
    return (
        f"OK: {poll.kind} {eid}: {electronic.cast} electronic ballots "
        f"({electronic.rejected} set aside), decrypted by {len(partials)} of {n} members "
        f"(threshold {threshold}); totals and result recomputed"
    )


__all__ = [
    "FORMAT",
    "CastBallot",
    "CommitteeMember",
    "Poll",
    "VerifyError",
    "build_record",
    "check_cast",
    "homomorphic_totals",
    "verify_record",
]
