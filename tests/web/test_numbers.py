"""One number format at the edge: Vietnamese comma decimals and dot thousands, English the reverse."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import translation

from daihoi.web.numbers import format_number


@pytest.mark.parametrize(
    ("value", "places", "vi", "en"),
    [
        ("80.00", None, "80,00", "80.00"),
        ("33.33", None, "33,33", "33.33"),
        (Decimal("1234567.5"), None, "1.234.567,5", "1,234,567.5"),
        (Fraction(200, 3), None, "66,67", "66.67"),
        (Fraction(1, 8), 2, "0,13", "0.13"),
        (12345, None, "12.345", "12,345"),
        (-1234, None, "-1.234", "-1,234"),
        ("2.345", 2, "2,35", "2.35"),
        ("—", None, "—", "—"),
        (None, None, "", ""),
    ],
)
def test_the_languages_marks(value, places, vi, en):
    assert format_number(value, places, language="vi") == vi
    assert format_number(value, places, language="en") == en


def test_the_active_language_is_the_default():
    with translation.override("en"):
        assert format_number("1234.50") == "1,234.50"
    with translation.override("vi"):
        assert format_number("1234.50") == "1.234,50"


def test_the_template_filter():
    t = Template("{% load daihoi_numbers %}{{ a|number }} {{ b|number:1 }}")
    with translation.override("vi"):
        assert t.render(Context({"a": "66.67", "b": Fraction(31, 2)})) == "66,67 15,5"
