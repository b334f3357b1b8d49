"""One parser for every whole number a person types: ASCII digits, bounded, and a coded error otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.rules.errors import RuleError
from daihoi.rules.numbers import DB_INT_MAX, MAX_DIGITS, NumberError, is_int, parse_int, parse_optional_int


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0", 0), ("7", 7), (" 42 ", 42), ("+5", 5), ("007", 7), (12, 12), (str(DB_INT_MAX), DB_INT_MAX)],
)
def test_plain_numbers_are_read(raw, value):
    assert parse_int(raw) == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("²", "not_a_number"),  # "²".isdigit() is True, int("²") fails
        ("٣", "not_a_number"),  # int("٣") is 3: Arabic-Indic digits are not what a clerk means
        ("１２", "not_a_number"),  # full-width
        ("1.5", "not_a_number"),
        ("1e3", "not_a_number"),
        ("1_000", "not_a_number"),  # int() accepts underscores
        ("12abc", "not_a_number"),
        ("--1", "not_a_number"),
        ("\x00", "not_a_number"),
        (True, "not_a_number"),
        ("", "number_required"),
        ("   ", "number_required"),
        (None, "number_required"),
        ("-1", "number_negative"),
        ("1" * 30, "number_too_large"),  # overflows SQLite
        (str(DB_INT_MAX + 1), "number_too_large"),  # overflows PostgreSQL's integer
        ("9" * 5000, "number_too_large"),  # int() itself refuses more than 4,300 digits
        ("-" + "9" * 5000, "number_negative"),
    ],
)
def test_anything_else_is_a_coded_error(raw, code):
    with pytest.raises(NumberError) as refused:
        parse_int(raw, field="Số phiếu")
    assert refused.value.code == code
    assert isinstance(refused.value, RuleError)
    assert refused.value.message.startswith("Số phiếu: ")
    assert len(refused.value.message) < 120  # 5,000 digits are never echoed back
    assert not is_int(raw)


def test_the_messages_give_the_bounds_in_both_languages():
    with pytest.raises(NumberError) as refused:
        parse_int("12", field="Ngày thứ", minimum=1, maximum=3)
    assert refused.value.params == {"field": "Ngày thứ", "value": 12, "maximum": 3}
    assert refused.value.message == "Ngày thứ: 12 lớn hơn mức tối đa 3"
    assert refused.value.message_en == "Ngày thứ: 12 is more than the maximum 3"
    with pytest.raises(NumberError) as refused:
        parse_int("ba mươi", field="Tổng số đại biểu")
    assert refused.value.message == "Tổng số đại biểu: “ba mươi” không phải là số nguyên."
    with pytest.raises(NumberError) as refused:
        parse_int("")
    assert refused.value.message == "cần ghi một số"


def test_below_a_minimum_other_than_zero_is_too_small():
    with pytest.raises(NumberError) as refused:
        parse_int("0", field="Số thứ tự", minimum=1)
    assert (refused.value.code, refused.value.message) == (
        "number_too_small",
        "Số thứ tự: 0 nhỏ hơn mức tối thiểu 1",
    )
    with pytest.raises(NumberError) as refused:
        parse_int("-" + "9" * 40, minimum=1)
    assert refused.value.code == "number_too_small"


def test_open_bounds_still_stop_at_the_digit_limit():
    assert parse_int("-5", minimum=None) == -5
    assert parse_int("9" * MAX_DIGITS, maximum=None) == 10**MAX_DIGITS - 1
    with pytest.raises(NumberError) as refused:
        parse_int("9" * (MAX_DIGITS + 1), maximum=None)
    assert refused.value.params["maximum"] == 10**MAX_DIGITS - 1
    assert refused.value.params["digits"] == MAX_DIGITS + 1


def test_blank_is_none_for_an_optional_number():
    assert parse_optional_int("") is None
    assert parse_optional_int(None) is None
    assert parse_optional_int(" 3 ") == 3
    with pytest.raises(NumberError):
        parse_optional_int("²")


@given(st.integers(min_value=0, max_value=DB_INT_MAX))
def test_every_number_in_range_reads_back(n):
    assert parse_int(str(n)) == n
    assert parse_int(f"  +{n}  ") == n


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_number_error(text):
    try:
        value = parse_int(text, minimum=None, maximum=None)
    except NumberError:
        assert not is_int(text, minimum=None, maximum=None)
    else:
        assert str(value) == str(int(text.strip()))
        assert text.strip().lstrip("+-").isascii()
