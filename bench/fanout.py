"""Benchmark of the live fan-out: N sockets on one server process, then one push to all of them.

Usage: .venv/bin/python bench/fanout.py [--sockets 2000] [--within 10] [--db sqlite|postgres]

It starts the app itself (`daihoi serve`, one process, a fresh database as bench/checkin.py makes it),
opens N WebSockets on `/ws/c/<slug>/live/` spread evenly over `--within` seconds (loopback only), each
counted as connected when its first state arrives. Then one delegate is checked in at the desk over
HTTP, and it measures when that push reaches every socket (from just before the scan's POST). It stops by
itself (every wait is bounded), prints the figures and, as its last line, a JSON object:
{"sockets", "connected", "errors", "push_p50_ms", "push_max_ms", "rss_mib"}

A page carries a signed live token (`<meta name="daihoi-live">`) when the server makes one; the sockets
use it, as the page's JS does, else the screen token (the server before the token existed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from checkin import (
    drop_postgres,
    free_port,
    load_congress,
    prepare_environment,
    sign_in,
    start_server,
    stop_server,
)

PUSH_WAIT = 30.0  # seconds a socket waits for the push before it counts as missed
META = re.compile(r'<meta name="daihoi-live" content="([^"]+)"')


def percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(1, -(-p * len(ordered) // 100)) - 1]


def rss_mib(pid: int) -> float:
    """Resident memory of the server (and its children, if it forked any) in MiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


async def run(url: str, origin: str, sockets: int, within: float, trigger: object) -> dict[str, object]:
    from websockets.asyncio.client import connect

    connected = 0
    errors = 0
    kinds: Counter[str] = Counter()  # what the failures were (a refusal, a timeout, a reset ...)
    got_push: dict[int, float] = {}
    pushed_at: list[float] = []
    push_sent = asyncio.Event()
    all_in = asyncio.Event()
    finished = asyncio.Event()
    settled = 0

    async def one(i: int) -> None:
        nonlocal connected, errors, settled
        await asyncio.sleep(within * i / max(sockets, 1))
        try:
            async with connect(url, origin=origin, open_timeout=30, max_size=None, ping_interval=None) as ws:
                await asyncio.wait_for(ws.recv(), 30)  # the state on connect
                connected += 1
                settled += 1
                if settled == sockets:
                    all_in.set()
                await push_sent.wait()
                try:
                    while True:  # the first frame after the scan is its push
                        await asyncio.wait_for(ws.recv(), PUSH_WAIT)
                        if pushed_at:
                            got_push[i] = time.perf_counter() - pushed_at[0]
                            break
                except TimeoutError:
                    pass
                await finished.wait()
        except Exception as error:  # a refused or dropped socket: counted, the run goes on
            errors += 1
            kinds[f"{type(error).__name__}: {str(error)[:80]}"] += 1
            settled += 1
            if settled == sockets:
                all_in.set()

    started = time.perf_counter()
    tasks = [asyncio.create_task(one(i)) for i in range(sockets)]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_in.wait(), within + 60)
    connect_s = time.perf_counter() - started
    await asyncio.sleep(1.0)  # let the pushes of the connects' own builds pass
    pushed_at.append(time.perf_counter())
    push_sent.set()
    await asyncio.to_thread(trigger)  # type: ignore[arg-type]
    deadline = time.perf_counter() + PUSH_WAIT
    while len(got_push) < connected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    finished.set()
    await asyncio.wait(tasks, timeout=30)
    times = [t * 1000 for t in got_push.values()]
    return {
        "connected": connected,
        "errors": errors,
        "connect_s": round(connect_s, 2),
        "reached": len(got_push),
        "push_min_ms": round(min(times), 1) if times else float("nan"),
        "push_p50_ms": round(percentile(times, 50), 1),
        "push_max_ms": round(max(times), 1) if times else float("nan"),
        "error_kinds": dict(kinds.most_common(5)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--within", type=float, default=10.0, help="seconds over which the sockets open")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 2 * args.sockets + 1000))  # both ends of every socket (the server inherits)
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))

    workdir = Path(tempfile.mkdtemp(prefix="daihoi-fanout-"))
    env = prepare_environment(args.db, workdir)
    proc = None
    try:
        slug, screen_token, clerk, codes = load_congress(20)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(env, port)
        cookies = sign_in(base, clerk)
        page = httpx.get(f"{base}/c/{slug}/screen/{screen_token}/", timeout=30).text
        signed = META.search(page)
        query = f"?t={signed.group(1)}" if signed else f"?screen={screen_token}"
        url = f"ws://127.0.0.1:{port}/ws/c/{slug}/live/{query}"

        def trigger() -> None:
            headers = {"X-CSRFToken": cookies["csrftoken"], "Accept": "application/json"}
            body = {"code": f"{base}/d/{codes[0]}/", "nonce": uuid.uuid4().hex}
            began = time.perf_counter()
            try:
                answer = httpx.post(
                    f"{base}/c/{slug}/desk/scan", json=body, headers=headers, cookies=cookies, timeout=30
                )
                print(f"the scan was answered in {(time.perf_counter() - began) * 1000:.0f} ms")
                if answer.status_code != 200:
                    print(f"the scan that triggers the push failed: {answer.status_code}", file=sys.stderr)
            except httpx.TransportError as error:  # the server too busy to answer: no push to measure
                print(f"the scan that triggers the push failed: {error!r}", file=sys.stderr)

        figures = asyncio.run(run(url, base, args.sockets, args.within, trigger))
        figures["rss_mib"] = rss_mib(proc.pid)
    finally:
        if proc is not None:
            stop_server(proc)
        drop_postgres(env)
    print(
        f"{args.sockets} sockets over {args.within:g} s ({'signed token' if signed else 'screen token'}): "
        f"{figures['connected']} connected in {figures['connect_s']} s, {figures['errors']} errors; "
        f"push reached {figures['reached']}: first {figures['push_min_ms']} ms, p50 {figures['push_p50_ms']} ms, max {figures['push_max_ms']} ms; "
        f"server RSS {figures['rss_mib']} MiB"
    )
    if figures["error_kinds"]:
        print(f"errors: {figures['error_kinds']}")
    keys = ("connected", "errors", "push_p50_ms", "push_max_ms", "rss_mib")
    print(json.dumps({"sockets": args.sockets, **{k: figures[k] for k in keys}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
