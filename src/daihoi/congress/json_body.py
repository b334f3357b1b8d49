"""JSON request bodies, bounded: a page's script sends a few fields, never megabytes or deep nesting.

`json.loads` of 100,000 nested brackets raises RecursionError (a 500, and in a thread with a small stack
worse), so the nesting is measured on the raw bytes before the parser sees them.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 16


class BadJson(ValueError):
    """The body is not JSON the app reads; `code` says why (`json_too_large`, `json_too_deep`, `bad_json`)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# A complete JSON string: a quote, then anything but a quote or a backslash, or a backslash and any byte.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_NOT_BRACKET_OR_QUOTE = bytes(b for b in range(256) if b not in b'[]{}"')


def nesting_depth(body: bytes, *, stop_after: int) -> int:
    """The deepest nesting of [ and { outside strings, counting no further than `stop_after` + 1.

    Strings are cut out by a regular expression and the other bytes by `translate` (both in C): walking
    every byte of a 10 KB ballot in Python cost 0.5 ms per cast. What is left of an unterminated string
    holds no brackets that count. Without a backslash (a ballot's hex has none) a string is simply what
    lies between two quotes, so the pieces between quotes are taken alternately instead: the regular
    expression cost a ballot about a million instructions."""
    if b"\\" in body:
        outside = _STRING.sub(b"", body)
        unterminated = outside.find(b'"')
        if unterminated >= 0:
            outside = outside[:unterminated]
    else:  # the even pieces are outside strings; an unterminated string is an odd (last) piece
        outside = b"".join(body.translate(None, _NOT_BRACKET_OR_QUOTE).split(b'"')[::2])
    depth = deepest = 0
    for byte in outside.translate(None, _NOT_BRACKET):
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    break
        else:  # ] }
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
