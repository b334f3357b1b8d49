"""Benchmark of the encrypted-ballot crypto (issue 10).

Times, on this machine: encrypting one ballot with every proof (17 and 32 candidates) in Python and in
Debian's Chromium (ballot_crypto.js), verifying one ballot on the server, and, for N ballots (2,000 by
default), the homomorphic sum, a 2-of-3 decryption with proofs, checking those proofs and the count.

Usage: .venv/bin/python bench/crypto.py [--ballots 2000] [--repeat 20] [--no-browser]
The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from daihoi.crypto.ballot import BallotSpec, EncryptedBallot, encrypt_ballot, verify_ballot
from daihoi.crypto.elgamal import DlogTable, encrypt
from daihoi.crypto.group import random_scalar
from daihoi.crypto.record import Poll, homomorphic_totals
from daihoi.crypto.threshold import (
    combine_partials,
    partial_decrypt,
    public_key,
    public_share,
    run_ceremony,
    verify_partial,
)

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "crypto" / "js_runner.py"
# (candidates, places): the seed's 15 of 17, and a larger list.
CASES = ((17, 15), (32, 27))


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of `fn` (CPU time is what a loaded machine distorts least)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return round(statistics.median(wall) * 1000, 2), round(statistics.median(cpu) * 1000, 2)


def marks_for(n: int, places: int, rnd: random.Random) -> list[int]:
    kept = set(rnd.sample(range(n), rnd.randint(1, places)))
    return [int(i in kept) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    rnd = random.Random(10)
    poll = Poll(
        "bench/election",
        "election",
        "bench",
        tuple((f"c{i}", f"C{i}") for i in range(17)),
        seats=15,
        base=165,
    )
    members = run_ceremony(poll.id, 2, 3)
    commitments = {m.index: m.commitments for m in members}
    pk = public_key(commitments)
    out: dict[str, object] = {"ballots": args.ballots}

    for n, places in CASES:
        spec = BallotSpec.for_election(n, places, all_struck_invalid=True)
        marks = marks_for(n, places, rnd)
        enc = median_ms(
            lambda spec=spec, marks=marks: encrypt_ballot(spec, pk, poll.id, "cred", marks), args.repeat
        )
        ballot = encrypt_ballot(spec, pk, poll.id, "cred", marks)
        data = ballot.to_json()
        ver = median_ms(
            lambda spec=spec, data=data: verify_ballot(
                spec, pk, poll.id, "cred", EncryptedBallot.from_json(data, spec)
            ),
            args.repeat,
        )
        size = len(json.dumps(data))
        print(
            f"{n} candidates: encrypt {enc[0]} ms (Python; CPU {enc[1]} ms), verify {ver[0]} ms "
            f"(CPU {ver[1]} ms), ballot {size} bytes of JSON"
        )
        out[f"python_encrypt_ms_{n}"], out[f"python_encrypt_cpu_ms_{n}"] = enc
        out[f"verify_ms_{n}"], out[f"verify_cpu_ms_{n}"] = ver
        out[f"ballot_json_bytes_{n}"] = size

    if not args.no_browser:
        job = {
            "bench": [
                {
                    "spec": BallotSpec.for_election(n, places, all_struck_invalid=True).to_json(),
                    "public_key": pk.hex(),
                    "election_id": poll.id,
                    "credential": "cred",
                    "marks": marks_for(n, places, rnd),
                    "repeat": args.repeat,
                }
                for n, places in CASES
            ]
        }
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "job.json"
            path.write_text(json.dumps(job), encoding="utf-8")
            done = subprocess.run(
                [sys.executable, str(RUNNER), str(path)], capture_output=True, text=True, check=True
            )
        for (n, _), times in zip(CASES, json.loads(done.stdout)["bench"], strict=True):
            # The first run compiles the code; the median leaves it out.
            ms = round(statistics.median(times), 2)
            print(f"{n} candidates: encrypt {ms} ms in Chromium (first run {round(times[0], 1)} ms)")
            out[f"chromium_encrypt_ms_{n}"] = ms

    # N ballots of 17 candidates: ciphertexts only (their proofs are timed above, per ballot).
    ballots, plain = [], [0] * 17
    for _ in range(args.ballots):
        marks = marks_for(17, 15, rnd)
        plain = [p + m for p, m in zip(plain, marks, strict=True)]
        cts = tuple(encrypt(pk, m, random_scalar()) for m in marks)
        ballots.append(EncryptedBallot(cts, (), encrypt(pk, 0, random_scalar()), None, None))  # type: ignore[arg-type]
    labels = poll.labels()
    start, start_cpu = time.perf_counter(), time.process_time()
    totals = homomorphic_totals(poll, ballots)
    combine_s, combine_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    start = time.perf_counter()
    partials = [partial_decrypt(poll.id, m.index, m.share, totals, labels) for m in members[:2]]
    partial_s = (time.perf_counter() - start) / 2
    start = time.perf_counter()
    assert all(
        verify_partial(poll.id, public_share(commitments, p.member), p, totals, labels) for p in partials
    )
    table = DlogTable(args.ballots)
    counts = [table.lookup(p) for p in combine_partials(2, totals, partials)]
    count_s = time.perf_counter() - start
    assert counts == [*plain, 0], "the decrypted totals are not the plain count"
    print(
        f"{args.ballots} ballots: homomorphic sum {combine_s * 1000:.0f} ms (CPU {combine_cpu * 1000:.0f} ms), one member's partial decryption with "
        f"proofs {partial_s * 1000:.0f} ms, checking 2 partials + combining + counting {count_s * 1000:.0f} ms; "
        f"whole record check ≈ {out['verify_cpu_ms_17']} ms CPU × {args.ballots} ballots"
    )
    out["combine_ms"] = round(combine_s * 1000, 1)
    out["combine_cpu_ms"] = round(combine_cpu * 1000, 1)
    out["partial_decrypt_ms"] = round(partial_s * 1000, 1)
    out["verify_partials_and_count_ms"] = round(count_s * 1000, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
