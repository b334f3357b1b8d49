"""`daihoi serve` freezes what start-up made before it serves, so that the garbage collector's full
collections walk only what the requests made (with a hall's phones connected, the walks over everything
stopped the server for 45–134 ms at a time: the ballots' p99)."""

from __future__ import annotations

import gc
import socket
from typing import Any

import daphne.server
import pytest
from django.core.management import call_command


class FakeServer:
    """daphne's Server as `serve` uses it, recording how much was frozen when it was asked to run."""

    frozen_at_run: int | None = None

    def __init__(self, **options: Any) -> None:
        self.listening_addresses: list[tuple[str, int]] = []

    def run(self) -> None:
        FakeServer.frozen_at_run = gc.get_freeze_count()
        self.listening_addresses = [("127.0.0.1", 0)]


@pytest.mark.django_db
def test_start_up_is_frozen_before_the_server_runs(monkeypatch):
    gc.unfreeze()
    monkeypatch.setattr(daphne.server, "Server", FakeServer)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        call_command("serve", "--port", str(port), "--quiet")
        # Django, daphne and the app's modules: hundreds of thousands of objects, all out of sight.
        assert FakeServer.frozen_at_run is not None and FakeServer.frozen_at_run > 50_000
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
