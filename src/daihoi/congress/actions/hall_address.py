"""The hall's address (what phones open; printed in the cards' QR codes) and the hall's Wi-Fi name.

`set_hall_address` validates, locks the congress, writes, audits (`congress.hall_address`) and
publishes. Refusals: `bad_hall_address`, `bad_wifi_name`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.congress.access import Actor
from daihoi.congress.actions.steps import commit_change, lock_congress
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress

MAX_WIFI = 100
_HOST = re.compile(r"^[A-Za-z0-9.\-]+$|^\[[0-9A-Fa-f:]+\]$")


def normalize_address(raw: str) -> str:
    """'192.168.1.10:8000' -> 'http://192.168.1.10:8000'; '' stays ''. Refuses anything but
    http(s)://host[:port] (a path would be lost: the app is served at the root)."""
    text = (raw or "").strip().rstrip("/")
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    problem = _(
        "Địa chỉ hội trường “%(value)s” không đúng dạng http(s)://máy[:cổng], ví dụ https://192.168.1.10:8000."
    )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ActionError("bad_hall_address", problem % {"value": raw}, field="hall_address") from None
    host = parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc
    if (
        parts.scheme not in {"http", "https"}
        or not host
        or not _HOST.match(host)
        or parts.path
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ActionError("bad_hall_address", problem % {"value": raw}, field="hall_address")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _facts(congress: Congress) -> dict[str, Any]:
    return {"hall_address": congress.hall_address, "wifi_name": congress.wifi_name}


def set_hall_address(congress: Congress, *, address: str, wifi_name: str, actor: Actor) -> Congress:
    """Set the address phones open and the hall's Wi-Fi name (both may be cleared)."""
    normalized = normalize_address(address)
    wifi = (wifi_name or "").strip()
    if len(wifi) > MAX_WIFI:
        raise ActionError(
            "bad_wifi_name",
            _("Tên mạng Wi-Fi dài quá %(max)s ký tự.") % {"max": MAX_WIFI},
            field="wifi_name",
        )
    with transaction.atomic():
        locked = lock_congress(congress)
        before = _facts(locked)
        locked.hall_address, locked.wifi_name = normalized, wifi
        return commit_change(
            locked,
            locked,
            actor,
            "congress.hall_address",
            before,
            _facts(locked),
            ["hall_address", "wifi_name"],
        )
