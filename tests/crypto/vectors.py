"""The shared test vectors (tests/crypto/vectors/ballots.json): made by Python, checked in JavaScript.

Regenerate after a deliberate change of the encoding: `python -m tests.crypto.vectors`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from daihoi.crypto.ballot import BallotSpec, ballot_tracker, encrypt_ballot
from daihoi.crypto.group import base_mul, hash_to_scalar, scalar_hex, seeded_rng

PATH = Path(__file__).parent / "vectors" / "ballots.json"

CASES: list[dict[str, Any]] = [
    {
        "name": "17 candidates, 15 kept",
        "spec": BallotSpec(17, 1, 15, True),
        "marks": [1] * 15 + [0, 0],
        "invalid": False,
    },
    {
        "name": "7 candidates, 3 kept",
        "spec": BallotSpec(7, 1, 5, True),
        "marks": [1, 0, 1, 0, 0, 1, 0],
        "invalid": False,
    },
    {
        "name": "every name struck: invalid",
        "spec": BallotSpec(7, 1, 5, True),
        "marks": [0] * 7,
        "invalid": True,
    },
    {
        "name": "no surplus, all disagree: valid",
        "spec": BallotSpec(3, 0, 3, True),
        "marks": [0, 0, 0],
        "invalid": False,
    },
    {"name": "no surplus, spoiled", "spec": BallotSpec(3, 0, 3, True), "marks": [0, 0, 0], "invalid": True},
    {"name": "motion: no", "spec": BallotSpec.for_motion(), "marks": [0, 1, 0], "invalid": False},
    {"name": "Vietnamese ids", "spec": BallotSpec(2, 1, 1, True), "marks": [0, 1], "invalid": False},
]


def make() -> dict[str, Any]:
    hashes = [
        {
            "domain": "daihoi/v1/test",
            "parts": [p.hex() for p in parts],
            "scalar": scalar_hex(hash_to_scalar("daihoi/v1/test", *parts)),
        }
        for parts in ([], [b""], [b"abc", bytes(range(40))], ["Đại hội".encode()])
    ]
    base = [{"scalar": scalar_hex(k), "point": base_mul(k).hex()} for k in (0, 1, 2, 1234567, 2**252 + 5)]
    ballots = []
    for k, case in enumerate(CASES):
        seed = f"vector-{k}".encode()
        x = seeded_rng(b"key-" + seed)()
        election_id = "đại-hội-1/bầu-cử" if case["name"] == "Vietnamese ids" else f"congress-1/poll-{k}"
        credential = f"credential-{k}"
        pk = base_mul(x)
        ballot = encrypt_ballot(
            case["spec"],
            pk,
            election_id,
            credential,
            case["marks"],
            invalid=case["invalid"],
            rng=seeded_rng(seed),
        )
        ballots.append(
            {
                "name": case["name"],
                "spec": case["spec"].to_json(),
                "secret_key": scalar_hex(x),
                "public_key": pk.hex(),
                "election_id": election_id,
                "credential": credential,
                "marks": case["marks"],
                "invalid": case["invalid"],
                "seed": seed.hex(),
                "ballot": ballot.to_json(),
                "tracker": ballot_tracker(election_id, credential, ballot),
            }
        )
    return {"hash_to_scalar": hashes, "base_mul": base, "ballots": ballots}


if __name__ == "__main__":
    PATH.write_text(json.dumps(make(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
