"""`{% load daihoi_numbers %}` then `{{ value|number }}` or `{{ value|number:2 }}`: the edge formatter."""

from __future__ import annotations

from typing import Any

from django import template

from daihoi.web.numbers import format_number, localize_figures

register = template.Library()


@register.filter(name="number")
def number(value: Any, places: int | None = None) -> str:
    return format_number(value, None if places in (None, "") else int(places))


@register.filter(name="figures")
def figures(value: Any) -> str:
    """`{{ motion.outcome|figures }}`: the core's outcome text with its percentages in the reader's marks."""
    return localize_figures(value)
