"""Shared test set-up. Core tests need nothing from here; web and browser tests use the fixtures."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: object) -> None:
    # A live push follows its commit at once in tests (the server merges bursts; see live.publish).
    from django.conf import settings

    settings.DAIHOI_LIVE_COALESCE_SECONDS = 0.0


try:
    import pytest_django  # noqa: F401  (the core tests may run without Django installed)
except ImportError:  # pragma: no cover
    pass
else:
    import pytest

    @pytest.fixture(autouse=True)
    def _fresh_sign_in_throttle() -> object:
        """Failed sign-ins counted by one test must not lock out the next (daihoi.web.throttle)."""
        from django.core.cache import caches

        caches["throttle"].clear()
        yield
