"""Shared test set-up. Core tests need nothing from here; web and browser tests use the fixtures."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: object) -> None:
    # A live push follows its commit at once in tests (the server merges bursts; see live.publish).
    from django.conf import settings

    settings.DAIHOI_LIVE_COALESCE_SECONDS = 0.0
