"""JSON request bodies, bounded: a page's script sends a few fields, never megabytes or deep nesting.

`json.loads` of 100,000 nested brackets raises RecursionError (a 500, and in a thread with a small stack
worse), so the nesting is measured on the raw bytes before the parser sees them.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 16


class BadJson(ValueError):
    """The body is not JSON the app reads; `code` says why (`json_too_large`, `json_too_deep`, `bad_json`)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def nesting_depth(body: bytes, *, stop_after: int) -> int:
    """The deepest nesting of [ and { outside strings, counting no further than `stop_after` + 1."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    break
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def load_json(body: bytes, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The parsed body, or `BadJson`. An empty body is an empty object."""
    if len(body) > max_bytes:
        raise BadJson("json_too_large", size=len(body), limit=max_bytes)
    if not body:
        return {}
    depth = nesting_depth(body, stop_after=max_depth)
    if depth > max_depth:
        raise BadJson("json_too_deep", limit=max_depth)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BadJson("bad_json") from error
