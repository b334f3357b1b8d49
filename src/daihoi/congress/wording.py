"""The words a congress's pages use for its units, members and delegates, per kind of organization.

A Party congress speaks of "chi bộ" and "đảng viên", a youth union's of "chi đoàn" and "đoàn viên",
a trade union's of "công đoàn bộ phận" and "đoàn viên công đoàn", a shareholders' meeting of
"cổ đông" (it has no units). Every word is a translatable string (Vietnamese first, English in the
catalogue), so a page writes `{{ words.member_count }}` instead of a hard-coded "Số đảng viên".

API:
- `words_for(x)` takes a `Congress`, an `Organization` or a kind string and returns `Words`;
- the template context processor `daihoi.congress.wording.context` puts `words` in every page
  whose URL names a congress (`slug`), and the filter `{{ congress|words }}` (library
  `daihoi_wording`) gives the same for any congress in a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from daihoi.congress.models import Congress, Organization

PARTY = "party"
YOUTH_UNION = "youth_union"
TRADE_UNION = "trade_union"
SHAREHOLDERS = "shareholders"
OTHER = "other"
KINDS = (PARTY, YOUTH_UNION, TRADE_UNION, SHAREHOLDERS, OTHER)

# The rule set a new congress of each kind starts with (the organizer may choose another).
DEFAULT_RULES = {
    PARTY: "party",
    YOUTH_UNION: "approval",
    TRADE_UNION: "approval",
    SHAREHOLDERS: "shareholders",
    OTHER: "approval",
}


@dataclass(frozen=True)
class Words:
    """Lower-case words, to be capitalized by the page (`|capfirst`) where a sentence starts."""

    kind: str
    organization: Promise  # the body: "đảng bộ", "đoàn thanh niên", "công đoàn", "công ty"
    unit: Promise | None  # a sub-unit sending delegates; None where there are none (shareholders)
    units: Promise | None
    member: Promise
    members: Promise
    delegate: Promise
    delegates: Promise
    member_count: Promise  # a column/field label: "số đảng viên"
    congress: Promise  # "đại hội" / "đại hội đồng cổ đông"

    @property
    def has_units(self) -> bool:
        return self.unit is not None

    @property
    def unit_word(self) -> Promise:
        """The unit's word for a column heading, "đơn vị" where the kind has no units."""
        return self.unit if self.unit is not None else _("đơn vị")


_WORDS: dict[str, Words] = {
    PARTY: Words(
        kind=PARTY,
        organization=_("đảng bộ"),
        unit=_("chi bộ"),
        units=_("các chi bộ"),
        member=_("đảng viên"),
        members=_("các đảng viên"),
        delegate=_("đại biểu"),
        delegates=_("các đại biểu"),
        member_count=_("số đảng viên"),
        congress=_("đại hội"),
    ),
    YOUTH_UNION: Words(
        kind=YOUTH_UNION,
        organization=_("đoàn thanh niên"),
        unit=_("chi đoàn"),
        units=_("các chi đoàn"),
        member=_("đoàn viên"),
        members=_("các đoàn viên"),
        delegate=_("đại biểu"),
        delegates=_("các đại biểu"),
        member_count=_("số đoàn viên"),
        congress=_("đại hội"),
    ),
    TRADE_UNION: Words(
        kind=TRADE_UNION,
        organization=_("công đoàn"),
        unit=_("công đoàn bộ phận"),
        units=_("các công đoàn bộ phận"),
        member=_("đoàn viên công đoàn"),
        members=_("các đoàn viên công đoàn"),
        delegate=_("đại biểu"),
        delegates=_("các đại biểu"),
        member_count=_("số đoàn viên công đoàn"),
        congress=_("đại hội"),
    ),
    SHAREHOLDERS: Words(
        kind=SHAREHOLDERS,
        organization=_("công ty"),
        unit=None,
        units=None,
        member=_("cổ đông"),
        members=_("các cổ đông"),
        delegate=_("cổ đông dự họp"),
        delegates=_("các cổ đông dự họp"),
        member_count=_("số cổ phần"),
        congress=_("đại hội đồng cổ đông"),
    ),
    OTHER: Words(
        kind=OTHER,
        organization=_("tổ chức"),
        unit=_("đơn vị"),
        units=_("các đơn vị"),
        member=_("thành viên"),
        members=_("các thành viên"),
        delegate=_("đại biểu"),
        delegates=_("các đại biểu"),
        member_count=_("số thành viên"),
        congress=_("đại hội"),
    ),
}


def kind_of(x: Congress | Organization | str | None) -> str:
    """The kind of organization behind a congress, an organization (its top's) or a kind string."""
    if x is None:
        return PARTY
    if isinstance(x, str):
        return x if x in _WORDS else OTHER
    org: Any = getattr(x, "organization", x)
    # Sub-units carry their top organization's kind; walk up in case one was left at the default.
    seen = 0
    while getattr(org, "parent_id", None) is not None and seen < 20:
        org = org.parent
        seen += 1
    kind = getattr(org, "kind", PARTY) or PARTY
    return kind if kind in _WORDS else OTHER


def words_for(x: Congress | Organization | str | None) -> Words:
    return _WORDS[kind_of(x)]


def default_rules(kind: str) -> str:
    return DEFAULT_RULES.get(kind, "approval")


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: `words` for the congress named by the URL's `slug`, lazily."""
    from django.utils.functional import SimpleLazyObject

    def load() -> Words:
        from daihoi.congress.models import Congress

        match = getattr(request, "resolver_match", None)
        slug = match.kwargs.get("slug") if match else None
        if not slug:
            return _WORDS[PARTY]
        congress = Congress.objects.select_related("organization").filter(slug=slug).first()
        return words_for(congress)

    return {"words": SimpleLazyObject(load)}
