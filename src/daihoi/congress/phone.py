"""What is open for a delegate right now, as the phone's home shows it (`/c/<slug>/me/`).

The congress app does not know the features that open things (elections, motions): each registers a
provider that lists its open items for one delegate, the way live sections register their builders.
An item says where the delegate acts (`url`) and whether their answer is recorded (`is_recorded`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from daihoi.congress.models import Congress, Delegate


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "election" | "motion"
    pk: int
    title: str
    url: str | None  # where the delegate votes; None when not on this phone (paper, show of hands)
    is_recorded: bool  # the delegate's ballot or answer is recorded
    note: Any = ""  # a translated sentence: why there is no button, or what to do


Provider = Callable[[Congress, Delegate], list[OpenItem]]
_providers: list[Provider] = []


def register_provider(fn: Provider) -> Provider:
    _providers.append(fn)
    return fn


def open_for(congress: Congress, delegate: Delegate) -> list[OpenItem]:
    """Every item open for `delegate` now, elections first (as registered)."""
    items: list[OpenItem] = []
    for provide in _providers:
        items.extend(provide(congress, delegate))
    return items
