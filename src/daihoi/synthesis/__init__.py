"""The synthesis of comments on a draft: pure Python, never imports Django (like `daihoi.rules`).

The Django app `daihoi.drafts` and the `daihoi synthesize` command call only the names below.
"""

from daihoi.synthesis.draft import parse_docx, parse_markdown
from daihoi.synthesis.embed import E5Embedder, Embedder, default_embedder
from daihoi.synthesis.engine import infer_kind, is_plain_agreement, synthesize
from daihoi.synthesis.export import load_synthesis_export
from daihoi.synthesis.model import (
    KINDS,
    CommentIn,
    Draft,
    DraftPart,
    DraftSection,
    Group,
    Synthesis,
    SynthesisError,
    count_units,
)

__all__ = [
    "KINDS",
    "CommentIn",
    "Draft",
    "DraftPart",
    "DraftSection",
    "E5Embedder",
    "Embedder",
    "Group",
    "Synthesis",
    "SynthesisError",
    "count_units",
    "default_embedder",
    "infer_kind",
    "is_plain_agreement",
    "load_synthesis_export",
    "parse_docx",
    "parse_markdown",
    "synthesize",
]
