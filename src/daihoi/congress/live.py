"""Live updates: after a change commits, every screen of the congress gets the new state.

The state is one JSON document built from sections (`attendance`, `agenda`, `speaker`, ...). Each
feature registers the builder of its section; the WebSocket push and the polling fallback
(`/c/<slug>/state.json`) send the same document, so a screen that lost its socket shows the same thing.
Screens receive only public facts: never who voted what.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections, transaction

from daihoi.congress.models import Congress

log = logging.getLogger(__name__)

SectionBuilder = Callable[[Congress], Any]
_sections: dict[str, SectionBuilder] = {}


def register_section(name: str) -> Callable[[SectionBuilder], SectionBuilder]:
    def decorate(fn: SectionBuilder) -> SectionBuilder:
        _sections[name] = fn
        return fn

    return decorate


def group_name(congress_id: int) -> str:
    return f"congress-{congress_id}"


def congress_state(congress: Congress) -> dict[str, Any]:
    """The public state of the congress, as every screen shows it."""
    congress.refresh_from_db()
    state: dict[str, Any] = {
        "congress": {"slug": congress.slug, "name": congress.name, "state": congress.state},
    }
    for name, build in _sections.items():
        state[name] = build(congress)
    return state


_pending: set[int] = set()
_pending_lock = threading.Lock()


def _send_state(congress_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        fresh = Congress.objects.get(pk=congress_id)
        async_to_sync(layer.group_send)(
            group_name(congress_id), {"type": "congress.state", "state": congress_state(fresh)}
        )
    except Exception:  # a screen missing one push falls back to polling; the change itself stands
        log.exception("live publish failed for congress %s", congress_id)


def _send_coalesced(congress_id: int, delay: float) -> None:
    """Push once for a burst of commits: 60 check-ins a second become ~10 pushes, each with the
    state as it stands when it is built, so the last commit of a burst is always shown."""
    with _pending_lock:
        if congress_id in _pending:
            return
        _pending.add(congress_id)

    def fire() -> None:
        with _pending_lock:
            _pending.discard(congress_id)
        try:
            _send_state(congress_id)
        finally:
            connections.close_all()  # this timer thread's own connections

    timer = threading.Timer(delay, fire)
    timer.daemon = True
    timer.start()


def publish(congress: Congress) -> None:
    """Schedule a push of the congress state once the current transaction commits.

    With ``DAIHOI_LIVE_COALESCE_SECONDS`` > 0 (the server's default, 0.1 s) pushes of one burst are
    merged; with 0 (the test suite's) every commit pushes at once, in the committing thread.
    """
    congress_id = congress.pk
    delay = float(getattr(settings, "DAIHOI_LIVE_COALESCE_SECONDS", 0))
    if delay <= 0:
        transaction.on_commit(lambda: _send_state(congress_id))
    else:
        transaction.on_commit(lambda: _send_coalesced(congress_id, delay))
