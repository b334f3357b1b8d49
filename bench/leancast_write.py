"""The cast's group write alone, in this process: CPU per ballot and statements per group, for the lean
write (`ballots._write_election_casts`) and its ORM oracle (`_write_election_casts_orm`), by group size.

No HTTP, no gate: what issue 13 item 2 changes. The election and the phones' ballots are bench/evote.py's
(`seed`: 17 candidates, 15 places, encrypted before the run). Each group goes through `_commit_group`
(its own transaction, as in the server). `parse` is the part of the per-ballot CPU spent reading the
ballot's points for its tracker (`ballots._tracker`), the same in both writes.

    PYTHONPATH=src python bench/leancast_write.py [--db sqlite|postgres] [--sizes 1,10,100] [--ballots 200]

The last line is JSON: {"db", "load", "results": [{"writer", "group", "groups", "cpu_ms_per_ballot",
"parse_ms_per_ballot", "statements_per_group"}]}.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def load_evote() -> Any:
    spec = importlib.util.spec_from_file_location("bench_evote", ROOT / "bench" / "evote.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(sizes: list[int], per_size: int, setup: dict[str, Any]) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from daihoi.congress.models import Delegate
    from daihoi.voting.actions import ballots

    delegates = {d.number: d for d in Delegate.objects.filter(congress__slug=setup["slug"])}
    election = setup["election"]
    bodies = setup["bodies"]
    writers = {"orm": ballots._write_election_casts_orm, "lean": ballots._write_election_casts}
    lean = ballots._write_election_casts
    tracker = ballots._tracker
    parse_seconds = [0.0]

    def timed_tracker(locked: Any, cast: Any) -> str:
        t0 = time.process_time()
        try:
            return tracker(locked, cast)
        finally:
            parse_seconds[0] += time.process_time() - t0

    ballots._tracker = timed_tracker
    numbers = iter(sorted(n for n, _key in setup["voters"]))
    results = []
    try:
        for size in sizes:
            groups = max(1, per_size // size)
            for name, writer in writers.items():
                ballots._write_election_casts = writer
                casts_by_group = []
                for _ in range(groups + 1):  # the first group is counted, not timed
                    group = []
                    for _ in range(size):
                        n = next(numbers)
                        body = bodies[n - 1]
                        group.append(
                            ballots._Cast(
                                election,
                                delegates[n],
                                body["ballot"],
                                body["credential"],
                                body["nonce"],
                                ballots.nonce_digest(election, body["nonce"]),
                            )
                        )
                    casts_by_group.append(group)
                with CaptureQueriesContext(connection) as ctx:
                    ballots._commit_group(casts_by_group[0])
                statements = len(ctx.captured_queries)
                if size == sizes[-1]:
                    for q in ctx.captured_queries:
                        print(f"  {name} {size}: {q['sql'][:110]}", flush=True)
                parse_seconds[0] = 0.0
                t0 = time.process_time()
                for group in casts_by_group[1:]:
                    ballots._commit_group(group)
                cpu = time.process_time() - t0
                done = [c for g in casts_by_group for c in g]
                failed = [c.error for c in done if c.error is not None]
                assert not failed, failed[:3]
                results.append(
                    {
                        "writer": name,
                        "group": size,
                        "groups": groups,
                        "cpu_ms_per_ballot": round(cpu * 1000 / (groups * size), 3),
                        "parse_ms_per_ballot": round(parse_seconds[0] * 1000 / (groups * size), 3),
                        "statements_per_group": statements,
                    }
                )
                print(results[-1], flush=True)
    finally:
        ballots._write_election_casts = lean
        ballots._tracker = tracker
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--ballots", type=int, default=200, help="ballots timed per group size and writer")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    per_size = args.ballots
    evote = load_evote()
    voters = sum((max(1, per_size // s) + 1) * s for s in sizes) * 2 + 3
    workdir = Path(tempfile.mkdtemp(prefix="daihoi-leancast-"))
    env, dbname = evote.prepare_environment(args.db, workdir)
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "daihoi.web.settings"
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        setup = evote.seed(voters)
        results = measure(sizes, per_size, setup)
        print(
            json.dumps(
                {"db": args.db, "load": Path("/proc/loadavg").read_text().split()[:3], "results": results}
            )
        )
        return 0
    finally:
        if dbname:
            from django.db import connections

            connections.close_all()
            evote.drop_database(dbname)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
