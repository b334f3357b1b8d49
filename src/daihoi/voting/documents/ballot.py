"""The printable paper ballot (P10)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from daihoi.voting.documents.blocks import FONT_CSS
from daihoi.voting.documents.wording import congress_line, is_party, upper
from daihoi.voting.models import Candidate, Election


def ballot_context(election: Election, *, page: str = "A5") -> dict[str, Any]:
    from daihoi.voting.actions.counting import ballot_list, ballot_places

    congress = election.congress
    listed: list[Candidate] = ballot_list(election)
    places = ballot_places(election)  # P15: alternates only when on this ballot
    no_surplus = len(listed) <= places
    root_title = election.title
    if root_title.lower().startswith("bầu "):  # "Bầu Ban Chấp hành..." → "PHIẾU BẦU CỬ / Ban Chấp hành..."
        root_title = root_title[4:5].upper() + root_title[5:]
    return {
        "election": election,
        "congress": congress,
        "page": "A4" if page.upper() == "A4" else "A5",
        "font": FONT_CSS,
        "committee": upper(congress.organization.name),
        "congress_line": upper(congress_line(congress)),
        "is_party": is_party(congress),
        "title": root_title,
        "term": _("nhiệm kỳ %(term)s") % {"term": congress.term},
        "candidates": [(i, c.full_name) for i, c in enumerate(listed, start=1)],
        "places": places,
        "no_surplus": no_surplus,
        "round": election.round,
        "long": page.upper() != "A4" and len(listed) > 10,
    }


def render_ballot_pdf(election: Election, *, page: str = "A5") -> bytes:
    from weasyprint import HTML

    html = render_to_string("voting/pdf/ballot.html", ballot_context(election, page=page))
    return HTML(string=html).write_pdf()
