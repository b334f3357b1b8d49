"""Every route resolves to itself: the URL map lists the hot paths first (web/urls.py), which is only
safe while no pattern shadows another."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

SAMPLES = {
    "slug": "s-1",
    "int": "7",
    "str": "abc",
    "path": "a/b.txt",
    "uuid": "12345678-1234-5678-1234-567812345678",
}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if not isinstance(p.pattern, RoutePattern):
            continue  # the admin's regular expressions: its own business
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def every_view(patterns: list[Any]) -> Iterator[URLPattern]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) != "admin/":
                yield from every_view(p.url_patterns)
        else:
            yield p


def test_each_route_resolves_to_its_own_view() -> None:
    checked = 0
    for route, pattern in routes(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        sample = "/" + _PARAM.sub(lambda m: SAMPLES[m["converter"] or "str"], route)
        found = resolve(sample)
        assert (found.func, found.url_name) == (pattern.callback, pattern.name), (
            f"{sample} should reach {pattern.name} but reaches {found.url_name}"
        )
        checked += 1
    # The whole map, not a part of it: every view outside the admin has a plain route, and each was checked.
    assert checked == sum(1 for _ in every_view(get_resolver().url_patterns))


def test_the_hot_paths_come_first() -> None:
    first = [pattern.name for _route, pattern in routes(get_resolver().url_patterns)][:40]
    for hot in ("delegate_ballot_cast", "desk_scan"):
        assert hot in first
