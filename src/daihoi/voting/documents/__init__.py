"""Documents of the count: the counting minutes (P16), the result announcement, the minutes of a motion,
the printable paper ballot (P10) and the ballots for anyone to re-count.

A registry keeps producers apart from renderers: a producer (`producers`) turns an election or motion
into a `Document` made of `blocks` (header, title, paragraphs, tables, signatures) with the shared
`wording`, and each renderer (`renderers`: DOCX via python-docx, PDF via WeasyPrint) draws any document.
Every figure and every outcome comes from what was stored when it was decided (`Election.result`, the
closed `Motion`); nothing is counted or decided here.

Vietnamese official format: Times New Roman 13–14 (Liberation Serif where Times is absent), A4, the
Party header (committee on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right) for rule set `party`, the
national header otherwise.
"""

from __future__ import annotations

from daihoi.voting.documents.ballot import ballot_context, render_ballot_pdf
from daihoi.voting.documents.blocks import Block, Document, Header, Para, Signatures, Table, Title
from daihoi.voting.documents.export import Export, export_election, write_dir, zip_bytes
from daihoi.voting.documents.producers import (
    PRODUCERS,
    announcement,
    convened,
    counting_members,
    minutes,
    motion_document,
    produce,
    producer,
)
from daihoi.voting.documents.renderers import RENDERERS, render_docx, render_pdf
from daihoi.voting.documents.wording import (
    at_time,
    congress_line,
    congress_title,
    date_line,
    header,
    is_party,
    place_of,
    roman,
)

__all__ = [
    "PRODUCERS",
    "RENDERERS",
    "Block",
    "Document",
    "Export",
    "Header",
    "Para",
    "Signatures",
    "Table",
    "Title",
    "announcement",
    "at_time",
    "ballot_context",
    "congress_line",
    "congress_title",
    "convened",
    "counting_members",
    "date_line",
    "export_election",
    "header",
    "is_party",
    "minutes",
    "motion_document",
    "place_of",
    "produce",
    "producer",
    "render_ballot_pdf",
    "render_docx",
    "render_pdf",
    "roman",
    "write_dir",
    "zip_bytes",
]
