"""The nesting measure that guards json.loads reads strings as the JSON grammar does: the C-speed version
(`json_body.nesting_depth`) gives the byte-by-byte walk's answer on any body, escapes, unterminated
strings and stray closers included."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.congress.json_body import MAX_JSON_DEPTH, nesting_depth


def walked_depth(body: bytes, *, stop_after: int) -> int:
    """The byte-by-byte walk that `nesting_depth` replaced: the oracle."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    break
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


# Bodies made mostly of the bytes that matter, so that escapes and quotes meet brackets often.
tricky = st.lists(
    st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"\\", b"a", b"\n", b":", b","]), max_size=80
)


@settings(max_examples=3000, deadline=None)
@given(parts=tricky, stop_after=st.integers(min_value=0, max_value=20))
def test_the_fast_measure_agrees_with_the_byte_walk(parts: list[bytes], stop_after: int) -> None:
    body = b"".join(parts)
    assert nesting_depth(body, stop_after=stop_after) == walked_depth(body, stop_after=stop_after)


# Without a backslash the measure takes its other road (the pieces between quotes): as many bodies again.
no_backslash = st.lists(st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"a", b":", b","]), max_size=80)


@settings(max_examples=2000, deadline=None)
@given(parts=no_backslash, stop_after=st.integers(min_value=0, max_value=20))
def test_without_a_backslash_it_agrees_too(parts: list[bytes], stop_after: int) -> None:
    body = b"".join(parts)
    assert nesting_depth(body, stop_after=stop_after) == walked_depth(body, stop_after=stop_after)


@settings(max_examples=500, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n', max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(alphabet='[]"\\{', max_size=4), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_on_real_json_it_agrees_too(value: object) -> None:
    body = json.dumps(value).encode()
    assert nesting_depth(body, stop_after=MAX_JSON_DEPTH) == walked_depth(body, stop_after=MAX_JSON_DEPTH)


def test_cases_that_a_careless_string_cut_would_get_wrong() -> None:
    cases = {
        b'["\\"[[[["]': 1,  # an escaped quote does not end the string
        b'["\\\\"[[]]': 3,  # an escaped backslash does, and the brackets after it count
        b'["abc [[[[': 1,  # nothing after an unterminated string counts
        b'["\\n" , [["\\"': 3,
        b"]]]][[": 0,  # stray closers first: the openers after them climb back only to zero
        b"[[]][[[": 3,
    }
    for body, depth in cases.items():
        assert walked_depth(body, stop_after=10) == depth, body
        assert nesting_depth(body, stop_after=10) == depth, body
