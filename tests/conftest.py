"""Shared test set-up. Core tests need nothing from here; web and browser tests use the fixtures."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `ci_only` (slow, whole-process ones such as kill -9) run when CI is set, or when
    asked for by name with `-m ci_only`; a quick local run deselects them and says so."""
    if _in_ci() or "ci_only" in (config.getoption("markexpr", "") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("ci_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_configure(config: object) -> None:
    # A live push follows its commit at once in tests (the server merges bursts; see live.publish).
    from django.conf import settings

    settings.DAIHOI_LIVE_COALESCE_SECONDS = 0.0
    # Test accounts are made by the thousand; PBKDF2's 1,000,000 rounds cost 0.2 s of CPU each. The
    # servers the browser tests start accept these hashes too (settings: DAIHOI_USE_TEST_DATABASE).
    settings.PASSWORD_HASHERS = [TEST_PASSWORD_HASHER, *settings.PASSWORD_HASHERS]


TEST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle() -> object:
    """Failed sign-ins counted by one test must not lock out the next (daihoi.web.throttle)."""
    from django.core.cache import caches

    caches["throttle"].clear()
    yield
