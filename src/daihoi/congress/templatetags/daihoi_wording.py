"""`{% load daihoi_wording %}` then `{% with w=congress|words %}{{ w.member_count|capfirst }}{% endwith %}`."""

from __future__ import annotations

from typing import Any

from django import template

from daihoi.congress.wording import Words, words_for

register = template.Library()


@register.filter(name="words")
def words(value: Any) -> Words:
    return words_for(value)
