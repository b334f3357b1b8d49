"""Benchmark of electronic casting: N delegates cast within 10 s over real HTTP while S screens watch.

Usage: .venv/bin/python bench/evote.py [--voters 2000] [--screens 50] [--db sqlite|postgres] [--within 10]
                                      [--sqlite-synchronous FULL|NORMAL] [--record FILE] [--node-runs 7]
                                      [--processes N] [--open-pages]

It starts the app itself (`daihoi serve` on a free loopback port, on a fresh database: a temporary
SQLite file, or a new PostgreSQL database it drops afterwards), connects S WebSocket screens (with --open-pages,
every phone first opens its ballot page, as a delegate does before casting, and later casts on that
kept-alive connection; else each cast comes on a new connection), fires the N ballots spread evenly over the window (each delegate with its own session), then the presidium
closes the election over HTTP and it measures the time until EVERY screen shows the election closed.
It prints the p50/p99 acknowledgement latency, errors (any answer but 200), lost (acknowledged but
missing from the database), and as its last line a JSON object:
{"voters": 2000, "screens": 50, "p50_ms": ..., "p99_ms": ..., "errors": 0, "lost": 0, "close_to_screens_ms": ...}

The encrypted path's costs (issue 10) are printed too: the server's extra CPU per ballot, i.e. the proof
check of one ballot (`check_cast`, what the background check runs per ballot), timed in this process on
a sample of the ballots cast; and the client's time to encrypt one ballot with every proof, by the
vendored ballot_crypto.js under Node (15 of 17 names and 27 of 32, median of --node-runs runs).
After the close, 2 of the 3 counting-committee members decrypt the totals (their devices played in this
process, `daihoi.voting.devices`), the committee certifies and releases the result. With --record FILE
the published election record is then downloaded as a delegate or clerk would (record.json, built by
`daihoi.crypto.record.build_record`) and `daihoi verify FILE` is run on it and timed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES, SEATS = 17, 15  # the seed congress's executive committee election
CSRF = "b" * 32  # the bench's CSRF secret: the same value in the cookie and the header
# (candidates, names kept at most) of the client-side encryption timings: the seed's 15 of 17, and a larger list.
NODE_CASES = ((17, 15), (32, 27))
BALLOT_CRYPTO_JS = ROOT / "src" / "daihoi" / "voting" / "static" / "daihoi" / "ballot_crypto.js"
CHECK_SAMPLE = 200  # ballots whose proof check is timed in-process (each costs what the server's check costs)
LEAD_SECONDS = 0.5
PG = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(sorted_values: list[float], p: int) -> float:
    """Nearest-rank percentile (p of 100) of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-p * len(sorted_values) // 100))
    return sorted_values[rank - 1]


def prepare_environment(db: str, workdir: Path) -> tuple[dict[str, str], str | None]:
    env = {**os.environ, "DAIHOI_DATA_DIR": str(workdir), "DAIHOI_SECRET_KEY": secrets.token_urlsafe(40)}
    env.pop("DAIHOI_USE_TEST_DATABASE", None)
    env.pop("DATABASE_URL", None)
    dbname = None
    if db == "postgres":
        import psycopg

        dbname = f"daihoi_bench_{os.getpid()}"
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"{PG}/{dbname}"
    return env, dbname


def drop_database(dbname: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def seed(voters: int) -> dict[str, Any]:
    """A congress in session with `voters` delegates checked in, an open election, and sessions."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from daihoi.congress.access import delegate_session_key
    from daihoi.congress.models import Congress, Delegate, Organization, StaffRole
    from daihoi.voting.models import Candidate, CountingMember, Election

    org = Organization.objects.create(name="Đảng bộ phường Thử", code="bench", member_count=voters * 7)
    congress = Congress.objects.create(
        organization=org,
        slug="bench-evote",
        name="Đại hội đại biểu Đảng bộ phường Thử lần thứ XV",
        ordinal=15,
        term_start=2020,
        term_end=2025,
        starts_on=dt.date(2020, 6, 20),
        ends_on=dt.date(2020, 6, 21),
        state=Congress.State.IN_SESSION,
        total_seats=voters,
        is_electronic_voting_enabled=True,
    )
    now = timezone.now()
    Delegate.objects.bulk_create(
        Delegate(
            congress=congress,
            number=n,
            full_name=f"Đại biểu {n}",
            search_name=f"dai bieu {n}",
            credential=Delegate.Credential.ACCEPTED,
            attendance=Delegate.Attendance.PRESENT,
            checked_in_at=now,
        )
        for n in range(1, voters + 1)
    )
    delegates = list(Delegate.objects.filter(congress=congress).order_by("number"))
    election = Election.objects.create(
        congress=congress,
        title="Bầu Ban Chấp hành Đảng bộ khóa XVI",
        seats=SEATS,
        status=Election.Status.LIST_APPROVED,
        allows_electronic=True,
        base=voters,
        present_at_vote=voters,
    )
    Candidate.objects.bulk_create(
        Candidate(
            election=election,
            code=f"c{i:02d}",
            full_name=f"Ứng cử viên {i}",
            status=Candidate.Status.ON_LIST,
            ballot_position=i,
        )
        for i in range(1, CANDIDATES + 1)
    )
    for i, d in enumerate(delegates[-3:]):
        CountingMember.objects.create(election=election, delegate=d, is_head=i == 0)
    # Issue 10: the committee's key (its three members' devices played here), then every phone's ballot,
    # encrypted before the burst (in Python here; the phone's JavaScript is timed by `node_encrypt`).
    from daihoi.crypto.record import CastBallot, check_cast
    from daihoi.voting.actions import evote
    from daihoi.voting.devices import encrypt_on_phone, run_key_ceremony

    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    election.refresh_from_db()
    run_key_ceremony(election)
    Election.objects.filter(pk=election.pk).update(status=Election.Status.OPEN, opened_at=now)
    election.refresh_from_db()
    rnd = random.Random(2020)
    codes = [f"c{i:02d}" for i in range(1, CANDIDATES + 1)]
    t0 = time.process_time()
    bodies = []
    for _d in delegates:
        data, credential = encrypt_on_phone(election, rnd.sample(codes, rnd.randint(10, SEATS)))
        bodies.append({"nonce": secrets.token_urlsafe(16), "credential": credential, "ballot": data})
    encrypt_ms = (time.process_time() - t0) * 1000 / max(1, len(delegates))
    # The server's extra CPU per ballot: its proof check, as the background check runs it on each row.
    poll, key = evote.election_poll(election), evote.require_key(election)
    check_ms = []
    for body in bodies[:CHECK_SAMPLE]:
        t0 = time.process_time()
        _parsed, ok = check_cast(poll, key, CastBallot(body["credential"], body["ballot"]))
        check_ms.append((time.process_time() - t0) * 1000)
        if not ok:
            raise SystemExit("a ballot encrypted for the bench fails its proof check")
    store = SessionStore()
    expire = now + dt.timedelta(days=1)
    keys = [secrets.token_hex(16) for _ in delegates]
    Session.objects.bulk_create(
        Session(
            session_key=key,
            session_data=store.encode({delegate_session_key(congress.pk): d.pk}),
            expire_date=expire,
        )
        for key, d in zip(keys, delegates, strict=True)
    )
    chair = get_user_model().objects.create_user(username="bench-chair", password=secrets.token_urlsafe(12))
    StaffRole.objects.create(user=chair, congress=congress, role=StaffRole.Role.PRESIDIUM)
    chair_key = secrets.token_hex(16)
    Session.objects.create(
        session_key=chair_key,
        session_data=store.encode(
            {
                SESSION_KEY: str(chair.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: chair.get_session_auth_hash(),
            }
        ),
        expire_date=expire,
    )
    clerk = get_user_model().objects.create_user(username="bench-clerk", password=secrets.token_urlsafe(12))
    StaffRole.objects.create(user=clerk, congress=congress, role=StaffRole.Role.COUNTING)
    clerk_key = secrets.token_hex(16)
    Session.objects.create(
        session_key=clerk_key,
        session_data=store.encode(
            {
                SESSION_KEY: str(clerk.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: clerk.get_session_auth_hash(),
            }
        ),
        expire_date=expire,
    )
    return {
        "clerk": clerk_key,
        "slug": congress.slug,
        "election": election.pk,
        "token": congress.screen_token,
        "voters": [(d.number, key) for d, key in zip(delegates, keys, strict=True)],
        "chair": chair_key,
        "bodies": bodies,
        "encrypt_ms": encrypt_ms,
        "check_ms": check_ms,
        "public_key": key.hex(),
        "crypto_id": poll.id,
    }


def node_encrypt(public_key: str, election_id: str, runs: int) -> list[dict[str, Any]] | str:
    """The phone's encryption (ballot_crypto.js) under Node, per case of NODE_CASES; or why it could not run."""
    from daihoi.crypto.ballot import BallotSpec

    node = shutil.which("node")
    if node is None or runs < 1:
        return "node not found" if node is None else "--node-runs 0"
    job = {
        "module": str(BALLOT_CRYPTO_JS),
        "cases": [
            {
                "spec": BallotSpec.for_election(n, places, all_struck_invalid=True).to_json(),
                "public_key": public_key,
                "election_id": election_id,
                "marks": [1] * places + [0] * (n - places),
                "runs": runs,
            }
            for n, places in NODE_CASES
        ],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as f:
        json.dump(job, f)
        f.flush()
        done = subprocess.run(
            [node, "--experimental-default-type=module", str(ROOT / "bench" / "encrypt_node.mjs"), f.name],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        return f"node failed: {done.stderr.strip()[-300:]}"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return [{**case, "node": version} for case in json.loads(done.stdout)]


def verify_file(path: Path) -> tuple[int, str, float, float]:
    """`daihoi verify FILE` as anyone runs it: exit code, its line, wall-clock and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "daihoi.cli", "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        },
    )
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.returncode, (done.stdout + done.stderr).strip(), wall, cpu


def election_state(election: int) -> tuple[str, bool]:
    from django.db import connections

    from daihoi.voting.models import Election

    e = Election.objects.get(pk=election)
    connections.close_all()
    return e.status, e.is_released


def start_server(env: dict[str, str], port: int, processes: int = 1) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daihoi.cli",
            "serve",
            "--port",
            str(port),
            "--quiet",
            "--processes",
            str(processes),
        ],
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                proc.kill()
                raise SystemExit(f"the server did not start:\n{err}") from None
            time.sleep(0.1)


async def screen(
    url: str, origin: str, election: int, ready: asyncio.Event, closed: list[float], shown: list[float]
) -> None:
    """One projector: records when the pushed state first shows the election closed, then its result."""
    from websockets.asyncio.client import connect

    async with connect(url, origin=origin, max_size=None, ping_interval=None) as ws:
        seen_closed = False
        async for message in ws:
            ready.set()
            if not seen_closed and ('"closed"' in message or '"certified"' in message):
                current = (json.loads(message).get("state") or {}).get("election") or {}
                if current.get("id") == election and current.get("status") in ("closed", "certified"):
                    closed.append(time.monotonic())
                    seen_closed = True
            if seen_closed and '"result"' in message:
                result = (json.loads(message).get("state") or {}).get("result") or {}
                if result.get("election") == election:
                    shown.append(time.monotonic())
                    return


class Phone:
    """One phone's own HTTP/1.1 connection, kept alive between its requests as a browser keeps it: the
    ballot page, then (seconds later) the cast on the same connection (--open-pages)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, cookie: str, body: dict[str, Any] | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nCookie: {cookie}\r\n"
        if body is not None:
            head += (
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                f"X-CSRFToken: {CSRF}\r\nAccept: application/json\r\n"
            )
        self.writer.write(head.encode() + b"\r\n" + payload)
        await self.writer.drain()
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
        }
        if fields.get("transfer-encoding", "").lower() == "chunked":
            content = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                content += chunk[:-2]
        else:
            content = await self.reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def post_json(port: int, path: str, body: dict[str, Any], cookie: str) -> tuple[int, bytes]:
    """One phone's POST on its own connection. A minimal HTTP/1.1 client: httpx's pool spends more CPU
    than the server once thousands of requests queue in it, and would measure itself, not the app."""
    payload = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nCookie: {cookie}\r\nX-CSRFToken: {CSRF}\r\n"
        "Accept: application/json\r\nConnection: close\r\n\r\n"
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + payload)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    header, _, content = raw.partition(b"\r\n\r\n")
    lines = header.split(b"\r\n")
    status = int(lines[0].split()[1])
    if any(line.lower() == b"transfer-encoding: chunked" for line in lines[1:]):
        body_bytes, rest = b"", content
        while rest:
            size_text, _, rest = rest.partition(b"\r\n")
            size = int(size_text, 16)
            if size == 0:
                break
            body_bytes, rest = body_bytes + rest[:size], rest[size + 2 :]
        content = body_bytes
    return status, content


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time so far of a process and its children (`--processes`), from Linux /proc;
    None where that is not readable."""

    def stat(p: str) -> list[str]:
        return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

    try:
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = stat(entry)
            except OSError:
                continue
            if entry == str(pid) or fields[1] == str(pid):
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


async def wait_for(condition: Any, seconds: float) -> None:
    """Wait (bounded) until `condition()` holds."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.002)


async def run(
    port: int,
    setup: dict[str, Any],
    screens: int,
    within: float,
    server_pid: int,
    record: bool,
    cold: bool = False,
) -> dict[str, Any]:
    import httpx

    base = f"http://127.0.0.1:{port}"
    slug, election = setup["slug"], setup["election"]
    ws_url = f"ws://127.0.0.1:{port}/ws/c/{slug}/live/?screen={setup['token']}"
    seen: list[float] = []
    shown: list[float] = []
    readies = [asyncio.Event() for _ in range(screens)]
    screen_tasks = [asyncio.create_task(screen(ws_url, base, election, r, seen, shown)) for r in readies]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)

    cast_url = f"/c/{slug}/me/elections/{election}/cast.json"
    latencies: list[float] = []
    errors: list[str] = []
    acknowledged: list[int] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as http:
        voters = setup["voters"]
        page_seconds = None
        phones: dict[int, Phone] = {}
        if not cold:
            # --open-pages: each phone first opens its ballot (a delegate cannot cast without the page,
            # which brings the key and the nonce), so its session is in the server's memory as in the
            # hall, where phones sign in and load pages through the server. Without it, every cast
            # reads its session row from the database first, on a new connection.
            # Each phone keeps its connection open (as a browser does), and casts on it later.
            opening = asyncio.Semaphore(16)
            page_url = f"/c/{slug}/me/elections/{election}/"

            async def open_ballot(number: int, session_key: str) -> None:
                phones[number] = phone = Phone(port)
                async with opening:
                    status, content = await phone.request("GET", page_url, f"sessionid={session_key}")
                if status != 200 or b"daihoi/ballot.js" not in content:
                    errors.append(f"{number}: ballot page {status}")

            t0 = time.monotonic()
            await asyncio.gather(*(open_ballot(n, k) for n, k in voters))
            page_seconds = time.monotonic() - t0
        server_cpu_before, bench_cpu_before = cpu_seconds(server_pid), time.process_time()
        print("casting…", file=sys.stderr, flush=True)  # progress, for a profiler to attach at the burst
        # The first ballot is due a moment from now, when every phone's task is already waiting: starting
        # 2,000 tasks takes this client about 0.2 s, and ballots due meanwhile would leave in one clump.
        start = time.monotonic() + LEAD_SECONDS

        async def vote(i: int, number: int, session_key: str) -> None:
            await asyncio.sleep(max(0.0, start + within * i / len(voters) - time.monotonic()))
            body = setup["bodies"][i]
            cookie = f"sessionid={session_key}; csrftoken={CSRF}"
            t0 = time.perf_counter()
            try:
                phone = phones.get(number)
                if phone is not None:  # --open-pages: on the connection that brought the page
                    status, content = await phone.request("POST", cast_url, cookie, body)
                    phone.close()
                else:
                    status, content = await post_json(port, cast_url, body, cookie)
            except (OSError, ValueError, IndexError) as error:
                errors.append(f"{number}: {type(error).__name__}")
                return
            latencies.append((time.perf_counter() - t0) * 1000)
            if status == 200 and json.loads(content).get("ok"):
                acknowledged.append(number)
            else:
                errors.append(f"{number}: {status} {content[:120]!r}")

        await asyncio.gather(*(vote(i, n, k) for i, (n, k) in enumerate(voters)))
        cast_seconds = time.monotonic() - start
        server_cpu_after, bench_cpu = cpu_seconds(server_pid), time.process_time() - bench_cpu_before
        server_cpu = (
            None
            if server_cpu_before is None or server_cpu_after is None
            else server_cpu_after - server_cpu_before
        )

        close_headers = {"Cookie": f"sessionid={setup['chair']}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
        closed_at = time.monotonic()
        # Irreversible steps need the form's ticked confirmation; a refusal is a redirect with a message,
        # so each step is checked by the election's state afterwards.
        confirm = {"confirm": "1"}
        r = await http.post(f"/c/{slug}/elections/{election}/close/", data=confirm, headers=close_headers)
        status, _released = await asyncio.to_thread(election_state, election)
        if r.status_code >= 400 or status != "closed":
            errors.append(f"close: {r.status_code}, the election is {status}")
            raise SystemExit("the election could not be closed: " + "; ".join(errors))
        await wait_for(lambda: len(seen) == screens, 30)

        # Two of the three members decrypt the totals from their devices (played in this process).
        def decrypt() -> float:
            from django.db import connections

            from daihoi.voting.devices import decrypt_totals
            from daihoi.voting.models import Election as ElectionModel

            t0 = time.process_time()
            decrypt_totals(ElectionModel.objects.get(pk=election))
            connections.close_all()
            return time.process_time() - t0

        decrypt_cpu = await asyncio.to_thread(decrypt)
        # The counting committee certifies (no paper ballots issued here) and releases the result.
        clerk = {"Cookie": f"sessionid={setup['clerk']}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
        counted_at = time.monotonic()
        for step, data in (("count/issued/", {"issued": "0"}), ("certify/", confirm), ("release/", confirm)):
            if step == "release/":
                released_at = time.monotonic()
            r = await http.post(f"/c/{slug}/elections/{election}/{step}", data=data, headers=clerk)
            if r.status_code >= 400:
                errors.append(f"{step}: {r.status_code} {r.text[:200]}")
        status, released = await asyncio.to_thread(election_state, election)
        if status != "certified" or not released:
            errors.append(f"certify and release: the election is {status}, released: {released}")
        await wait_for(lambda: len(shown) == screens, 30)
        # The published record, downloaded as anyone with access does: the server re-checks every
        # ballot's proofs to write it, so it may take a while.
        record_bytes, record_s = None, None
        if record and status == "certified":
            t0 = time.monotonic()
            r = await http.get(f"/c/{slug}/elections/{election}/record.json", headers=clerk, timeout=900)
            record_s = time.monotonic() - t0
            if r.status_code == 200:
                record_bytes = r.content
            else:
                errors.append(f"record.json: {r.status_code} {r.text[:200]}")
    if len(seen) < screens:
        errors.append(f"only {len(seen)} of {screens} screens showed the close within 30 s")
    if len(shown) < screens:
        errors.append(f"only {len(shown)} of {screens} screens showed the result within 30 s")
    for t in screen_tasks:
        t.cancel()
    latencies.sort()
    return {
        "latencies": latencies,
        "errors": errors,
        "acknowledged": acknowledged,
        "cast_seconds": cast_seconds,
        "page_seconds": page_seconds,
        "server_cpu": server_cpu,
        "bench_cpu": bench_cpu,
        "decrypt_cpu_s": decrypt_cpu,
        "record": record_bytes,
        "record_s": record_s,
        "close_to_screens_ms": (max(seen) - closed_at) * 1000 if seen and len(seen) == screens else None,
        "release_to_screens_ms": (max(shown) - released_at) * 1000
        if shown and len(shown) == screens
        else None,
        "certify_and_release_ms": (max(shown) - counted_at) * 1000
        if shown and len(shown) == screens
        else None,
    }


def count_lost(election: int, acknowledged: list[int]) -> tuple[int, int, int]:
    from daihoi.voting.models import ElectionParticipation, ElectronicBallot

    voted = set(
        ElectionParticipation.objects.filter(election_id=election).values_list("delegate__number", flat=True)
    )
    participations = ElectionParticipation.objects.filter(election_id=election).count()
    ballots = ElectronicBallot.objects.filter(election_id=election).count()
    return len(set(acknowledged) - voted), participations, ballots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--screens", type=int, default=50)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--within", type=float, default=10.0, help="seconds over which the ballots arrive")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="server processes (`daihoi serve --processes`); more than 1 uses Redis (REDIS_URL, or 127.0.0.1:6379)",
    )
    parser.add_argument(
        "--sqlite-synchronous",
        choices=("FULL", "NORMAL"),
        default="FULL",
        help="SQLite's sync at commit (the app's FULL, or NORMAL to measure what FULL costs)",
    )
    parser.add_argument(
        "--record",
        type=Path,
        help="after certification, write the published election record here and run `daihoi verify` on it",
    )
    parser.add_argument(
        "--open-pages",
        action="store_true",
        help="every phone opens its ballot page before the burst and casts on that kept-alive connection, "
        "its session in the server's memory (else each cast opens a connection and reads its session row)",
    )
    parser.add_argument(
        "--node-runs", type=int, default=7, help="runs of the phone's encryption under Node, per ballot size"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="daihoi-evote-"))
    env, dbname = prepare_environment(args.db, workdir)
    env["DAIHOI_SQLITE_SYNCHRONOUS"] = args.sqlite_synchronous
    if args.processes > 1:
        env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "daihoi.web.settings"
    server = None
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        setup = seed(args.voters)
        from django.db import connections

        connections.close_all()
        client = node_encrypt(setup["public_key"], setup["crypto_id"], args.node_runs)
        port = free_port()
        server = start_server(env, port, args.processes)
        print(
            f"daihoi serve on 127.0.0.1:{port}, {args.db}"
            + (f" (synchronous={args.sqlite_synchronous})" if args.db == "sqlite" else "")
            + f", {args.processes} process(es); "
            f"{args.voters} voters over {args.within:g} s, {args.screens} screens"
        )
        out = asyncio.run(
            run(
                port,
                setup,
                args.screens,
                args.within,
                server.pid,
                args.record is not None,
                not args.open_pages,
            )
        )
        lost, participations, ballots = count_lost(setup["election"], out["acknowledged"])
        check = sorted(setup["check_ms"])
        check_median = statistics.median(check) if check else float("nan")
        print(
            f"server, extra CPU per encrypted ballot: proof check {check_median:.1f} ms median "
            f"({statistics.fmean(check) if check else float('nan'):.1f} ms mean, {len(check)} ballots timed "
            f"in-process), so {check_median * args.voters / 1000:.1f} s CPU for {args.voters} ballots, "
            "in the background"
        )
        if isinstance(client, str):
            print(f"client, encryption in ballot_crypto.js: not measured ({client})")
        for (n, places), case in zip(NODE_CASES, client if isinstance(client, list) else [], strict=False):
            print(
                f"client, encryption of a {places}-of-{n} ballot in ballot_crypto.js under Node {case['node']}: "
                f"{statistics.median(case['wall_ms'][1:] or case['wall_ms']):.1f} ms median "
                f"(CPU {statistics.median(case['cpu_ms'][1:] or case['cpu_ms']):.1f} ms; "
                f"{len(case['wall_ms'])} runs, the first, {case['wall_ms'][0]:.1f} ms, compiles and is left out), "
                f"{case['ballot_bytes']} bytes of JSON"
            )
        print(
            f"client, encryption in Python (the bench's phones): {setup['encrypt_ms']:.1f} ms CPU per ballot; "
            f"proof check + homomorphic sum + 2-of-3 decryption after the close: {out['decrypt_cpu_s']:.1f} s CPU"
        )
        verified = None
        if args.record and out["record"] is not None:
            args.record.write_bytes(out["record"])
            print(
                f"election record: {args.record}, {len(out['record']) / 1e6:.2f} MB, "
                f"downloaded in {out['record_s']:.1f} s"
            )
            code, line, wall, cpu = verify_file(args.record)
            verified = code == 0
            print(f"{line}\ndaihoi verify: exit {code} in {wall:.1f} s ({cpu:.1f} s CPU)")
        elif args.record:
            print("election record: not written (see the errors)")
        lat = out["latencies"]
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        for line in out["errors"][:10]:
            print("error:", line)
        if out["page_seconds"] is not None:
            print(
                f"before the burst: {args.voters} phones opened their ballot page in {out['page_seconds']:.1f} s"
            )
        print(f"cast: {len(out['acknowledged'])} acknowledged in {out['cast_seconds']:.2f} s")
        if out["server_cpu"] is not None:
            # Both processes share the machine's cores: what the server may use is what the bench leaves.
            print(
                f"CPU during the casting: server {out['server_cpu']:.1f} s "
                f"({out['server_cpu'] * 1000 / max(1, args.voters):.1f} ms per ballot), "
                f"this bench's own clients {out['bench_cpu']:.1f} s, over {out['cast_seconds']:.1f} s "
                f"on {os.cpu_count()} cores"
            )
        print(
            f"acknowledgement latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {lat[-1] if lat else float('nan'):.1f} ms"
        )
        print(
            f"errors: {len(out['errors'])}; lost: {lost}; stored: {participations} participations, {ballots} ballots"
        )
        close_ms = out["close_to_screens_ms"]
        print(
            f"close → closed state on all {args.screens} screens: {close_ms if close_ms is None else round(close_ms, 1)} ms"
        )
        release_ms, counted_ms = out["release_to_screens_ms"], out["certify_and_release_ms"]
        print(
            "count + certify + release → result on all screens: "
            f"{counted_ms if counted_ms is None else round(counted_ms, 1)} ms "
            f"(release → result: {release_ms if release_ms is None else round(release_ms, 1)} ms)"
        )
        result = {
            "voters": args.voters,
            "screens": args.screens,
            "db": args.db,
            "processes": args.processes,
            "sessions": "warm" if args.open_pages else "cold",
            "p50_ms": round(p50, 1),
            "p99_ms": round(p99, 1),
            "errors": len(out["errors"]),
            "lost": lost,
            "close_to_screens_ms": None if close_ms is None else round(close_ms, 1),
            "release_to_screens_ms": None if release_ms is None else round(release_ms, 1),
            "server_cpu_ms_per_ballot": None
            if out["server_cpu"] is None
            else round(out["server_cpu"] * 1000 / max(1, args.voters), 1),
            "proof_check_cpu_ms_per_ballot": round(check_median, 2),
            **{
                f"node_encrypt_ms_{n}": round(statistics.median(case["wall_ms"][1:] or case["wall_ms"]), 1)
                for (n, _p), case in zip(NODE_CASES, client if isinstance(client, list) else [], strict=False)
            },
            "record_bytes": None if out["record"] is None else len(out["record"]),
            "verified": verified,
        }
        print(json.dumps(result))
        ok = not out["errors"] and not lost and participations == ballots
        return 0 if ok and verified is not False else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if dbname:
            from django.db import connections

            connections.close_all()
            drop_database(dbname)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
