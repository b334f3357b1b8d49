"""kill -9 of the server during an electronic burst loses no acknowledged ballot and counts none twice.

The ballots are encrypted (issue 10): the check is by tracker (each acknowledged ballot stored once), then
by the committee's decryption of the totals (the sums equal what the delegates cast).

A real `daihoi serve` process serves the test database. 600 delegates (the bench does 2,000) cast from
8 client threads over HTTP, each holding its own session cookie. The server is SIGKILLed three times
mid-burst and restarted; a client whose request failed retries with the SAME nonce until it gets an
acknowledgement. A ballot is acknowledged only after its transaction commits, and a committed
transaction survives the death of the process: PostgreSQL by its WAL, SQLite in WAL mode with
synchronous=NORMAL too (that setting can lose the last commits on a power cut or OS crash, never on a
process kill: the WAL frames are already in the operating system's hands when COMMIT returns).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import httpx
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string

from daihoi.congress.access import delegate_session_key
from daihoi.congress.models import Delegate
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import nonce, open_election
from tests.voting.evote_helpers import decrypt_totals, encrypt_on_phone

# Three server kills and restarts: run in CI (CI=true, see tests/conftest.py), not in a quick local run.
pytestmark = pytest.mark.ci_only

VOTERS = 600
CLIENTS = 8
KILL_AT = (150, 300, 450)  # acknowledged ballots at which the server is killed
CSRF = "k" * 32  # a CSRF secret the client sets itself: cookie and header must match
DEADLINE_S = 240  # a bound, not a measure: the machine may be shared (2 cores, 8 sessions)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DAIHOI_USE_TEST_DATABASE": "true", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "daihoi.cli", "serve", "--port", str(port), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[2],
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.1)


def delegate_sessions(congress_id: int, delegates: list[Delegate]) -> dict[int, str]:
    """A signed-in session per delegate, written straight into the session table."""
    store = SessionStore()
    expire = timezone.now() + dt.timedelta(days=1)
    keys = {d.pk: get_random_string(32) for d in delegates}
    Session.objects.bulk_create(
        Session(
            session_key=keys[d.pk],
            session_data=store.encode({delegate_session_key(congress_id): d.pk}),
            expire_date=expire,
        )
        for d in delegates
    )
    return keys


@pytest.mark.django_db(transaction=True)
def test_kill_9_during_a_burst_loses_no_acknowledged_ballot_and_counts_none_twice():
    election = open_election(delegates=VOTERS, candidates=7, seats=5)
    delegates = list(Delegate.objects.filter(congress=election.congress).order_by("number"))
    sessions = delegate_sessions(election.congress_id, delegates)
    kept_by = {d.number: [f"c0{1 + (d.number + k) % 7}" for k in range(d.number % 6)] for d in delegates}
    # Encrypted as the phones do (issue 10), before the burst: each retry resends the same ciphertext.
    bodies = {}
    for d in delegates:
        data, credential = encrypt_on_phone(election, kept_by[d.number], invalid=not kept_by[d.number])
        bodies[d.number] = {"nonce": nonce(d.number, "crash"), "credential": credential, "ballot": data}
    url_path = f"/c/{election.congress.slug}/me/elections/{election.pk}/cast.json"
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    acknowledged: dict[int, dict] = {}
    failures: list[str] = []
    interrupted = Counter[str]()
    lock = threading.Lock()
    stop_at = time.monotonic() + DEADLINE_S

    def voter_loop(mine: list[Delegate]) -> None:
        with httpx.Client(base_url=base, timeout=5.0) as http:
            for d in mine:
                headers = {"Cookie": f"sessionid={sessions[d.pk]}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
                body = bodies[d.number]
                while True:
                    if time.monotonic() > stop_at:
                        with lock:
                            failures.append(f"delegate {d.number}: no acknowledgement before the deadline")
                        return
                    try:
                        r = http.post(url_path, json=body, headers=headers)
                    except httpx.HTTPError:
                        with lock:
                            interrupted["requests"] += 1
                        time.sleep(0.05)  # the server is down or restarting: retry with the same nonce
                        continue
                    if r.status_code == 200:
                        with lock:
                            acknowledged[d.number] = r.json()
                            interrupted["repeats"] += bool(r.json().get("repeat"))
                        break
                    if r.status_code >= 500:
                        time.sleep(0.05)
                        continue
                    with lock:
                        failures.append(f"delegate {d.number}: {r.status_code} {r.text[:200]}")
                    break

    server = start_server(port)
    kills = 0
    try:
        threads = [
            threading.Thread(target=voter_loop, args=(delegates[i::CLIENTS],), daemon=True)
            for i in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        for threshold in KILL_AT:
            while (
                len(acknowledged) < threshold
                and time.monotonic() < stop_at
                and any(t.is_alive() for t in threads)
            ):
                time.sleep(0.005)
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
            kills += 1
            server = start_server(port)
        for t in threads:
            t.join(timeout=max(1.0, stop_at - time.monotonic()))
    finally:
        server.kill()
        server.wait(timeout=10)

    assert kills == len(KILL_AT)
    assert interrupted["requests"] >= len(KILL_AT)  # each kill did cut requests off
    assert failures == []
    assert len(acknowledged) == VOTERS
    # Every acknowledged ballot is stored exactly once: one participation per delegate, as many ballots
    # as participations, and the ballots' contents are exactly what the delegates cast.
    voted = Counter(
        ElectionParticipation.objects.filter(election=election).values_list("delegate__number", flat=True)
    )
    assert set(voted) == set(acknowledged) and max(voted.values()) == 1
    # The ballots stored are exactly the acknowledged ones: one tracker each, none twice ...
    stored = Counter(ElectronicBallot.objects.filter(election=election).values_list("tracker", flat=True))
    assert stored == Counter(a["tracker"] for a in acknowledged.values())
    # ... and what they say, read only through the committee's decryption of the totals, is what was cast.
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    election.refresh_from_db()
    c = decrypt_totals(election)
    expected = [sum(f"c0{i}" in kept_by[n] for n in acknowledged) for i in range(1, 8)]
    assert (c.accepted, c.rejected) == (VOTERS, 0)
    assert c.counts == [*expected, sum(not kept_by[n] for n in acknowledged)]
