"""`{% load daihoi_numbers %}` then `{{ value|number }}` or `{{ value|number:2 }}`: the edge formatter."""

from __future__ import annotations

from typing import Any

from django import template

from daihoi.web.numbers import format_number

register = template.Library()


@register.filter(name="number")
def number(value: Any, places: int | None = None) -> str:
    return format_number(value, None if places in (None, "") else int(places))
