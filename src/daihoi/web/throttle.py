"""A small throttle for sign-ins: after `limit` failures for one key within `window` seconds, the key
waits out the rest of the window.

Our own rather than django-axes: axes hooks Django's `authenticate()` and so covers the staff login
only, while the card-code sign-in (a delegate's code, no password) needs the same guard; this is one
rule for both, with no extra app, tables or dependency on an offline hall laptop. Counts live in the
"throttle" cache (files beside the database, shared by every server process); keys are hashed, so no
username or code is written to disk.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@dataclass(frozen=True)
class Throttle:
    name: str
    limit_setting: str

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting))

    @property
    def window(self) -> int:
        return int(settings.DAIHOI_THROTTLE_SECONDS)

    def _key(self, who: str) -> str:
        return f"{self.name}:{hashlib.sha256(who.encode()).hexdigest()}"

    def wait(self, who: str) -> int:
        """Seconds until `who` may try again (0: now)."""
        entry = caches["throttle"].get(self._key(who))
        if entry is None:
            return 0
        count, started = entry
        left = started + self.window - time.time()
        if count < self.limit or left <= 0:
            return 0
        return max(1, math.ceil(left))

    def failed(self, who: str) -> None:
        cache = caches["throttle"]
        now = time.time()
        entry = cache.get(self._key(who))
        if entry is None or entry[1] + self.window <= now:
            entry = (0, now)
        count, started = entry
        cache.set(
            self._key(who), (count + 1, started), timeout=max(1, math.ceil(started + self.window - now))
        )

    def clear(self, who: str) -> None:
        caches["throttle"].delete(self._key(who))


STAFF_LOGIN = Throttle("staff-login", "DAIHOI_LOGIN_ATTEMPTS")
CARD_CODE = Throttle("card-code", "DAIHOI_CODE_ATTEMPTS")


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
