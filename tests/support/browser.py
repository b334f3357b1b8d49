"""Helpers for the browser tests (Playwright). The fixtures stay in tests/browser/conftest.py."""

from __future__ import annotations

from typing import Any


def box_of(locator: Any) -> dict:
    """The bounding box of a visible element. A live page swaps its region after connecting (a phone
    refreshes once, at a random moment), and an element measured as it is swapped has no box: retried."""
    from playwright.sync_api import expect

    for _ in range(100):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        if box is not None:
            return dict(box)
    raise AssertionError(f"{locator} was never measured")
