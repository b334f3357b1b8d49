"""Drafts from Markdown or Word: level-1 headings are parts, level-2 headings are sections
(Decidim's participatory-text rule), and every other block stays inside its section.

A section heading may end with its id as `{#s03}`; without one it is numbered `s01`, `s02`, …
by its position. The first level-1 heading is the document's title; a level-1 heading with no
section under it (such as that title) is not a part.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from daihoi.synthesis.model import Draft, DraftPart, DraftSection, SynthesisError

_ID = re.compile(r"\s*\{#([^}]*)\}\s*$")
_VALID_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_MD_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class _Builder:
    source: str
    title: str = ""
    part: str = ""
    parts: list[tuple[str, list[str]]] = field(default_factory=list)
    sections: list[tuple[str | None, int, str, str, list[str]]] = field(default_factory=list)
    para: list[str] = field(default_factory=list)

    def flush(self) -> None:
        text = " ".join(p.strip() for p in self.para if p.strip())
        self.para = []
        if text and self.sections:
            self.sections[-1][4].append(_clean(text))

    def heading(self, level: int, raw: str, line: int) -> None:
        self.flush()
        text = _clean(raw)
        if level >= 3:
            if text:
                self.para.append(text)
                self.flush()
            return
        sid: str | None = None
        m = _ID.search(text)
        if m:
            sid = m.group(1).strip()
            text = text[: m.start()].strip()
            if not _VALID_ID.match(sid):
                raise SynthesisError("bad_section_id", line=line, source=self.source, id=sid)
        if not text:
            raise SynthesisError("empty_heading", line=line, source=self.source)
        if level == 1:
            if not self.title:
                self.title = text
            self.part = text
            return
        if not self.parts or self.parts[-1][0] != self.part:
            self.parts.append((self.part, []))
        self.sections.append((sid, line, self.part, text, []))

    def text(self, line: str) -> None:
        if not line.strip():
            self.flush()
        else:
            self.para.append(line)

    def build(self, fallback_title: str) -> Draft:
        self.flush()
        if not self.sections:
            raise SynthesisError("no_sections", source=self.source)
        seen: set[str] = set()
        out: list[DraftSection] = []
        part_ids: dict[str, list[str]] = {}
        for n, (sid, line, part, title, paras) in enumerate(self.sections, start=1):
            final = sid or f"s{n:02d}"
            if final in seen:
                raise SynthesisError("duplicate_section", line=line, source=self.source, id=final)
            seen.add(final)
            out.append(DraftSection(id=final, part=part, title=title, paragraphs=tuple(paras)))
            part_ids.setdefault(part, []).append(final)
        parts = tuple(DraftPart(title=p, section_ids=tuple(ids)) for p, ids in part_ids.items())
        return Draft(title=self.title or fallback_title, parts=parts, sections=tuple(out))


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _stem(source: str) -> str:
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def parse_markdown(text: str, *, source: str = "draft.md") -> Draft:
    """A `Draft` from Markdown (ATX headings `#`/`##`); raises `SynthesisError` with the line."""
    b = _Builder(source)
    in_fence = False
    for n, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        m = None if in_fence else _MD_HEADING.match(raw)
        if m:
            b.heading(len(m.group(1)), m.group(2) or "", n)
            continue
        line = raw.strip()
        if re.match(r"^([-*+]|\d+[.)])\s+", line):  # a list item is its own paragraph
            b.flush()
            b.text(line)
            b.flush()
        else:
            b.text(line)
    return b.build(_stem(source))


def _docx_level(style_name: str) -> int | None:
    name = style_name.strip().lower()
    m = re.match(r"^(heading|tiêu đề|title)\s*(\d)?$", name)
    if not m:
        return None
    if m.group(1) == "title":
        return 0
    return int(m.group(2)) if m.group(2) else None


def parse_docx(data: bytes, *, source: str = "draft.docx") -> Draft:
    """A `Draft` from Word: Title/Heading 1 = part, Heading 2 = section; `line` is the paragraph number."""
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several unrelated types for a bad file
        reason = (
            "not a .docx package" if type(e).__name__ in ("BadZipFile", "PackageNotFoundError") else str(e)
        )
        raise SynthesisError("bad_docx", source=source, reason=reason or type(e).__name__) from e
    b = _Builder(source)
    for n, p in enumerate(document.paragraphs, start=1):
        style = p.style.name if p.style is not None and p.style.name else ""
        level = _docx_level(style)
        if level == 0:
            b.flush()
            if not b.title and p.text.strip():
                b.title = _clean(p.text)
            continue
        if level is not None:
            b.heading(level, p.text, n)
        else:
            b.text(p.text)
            b.flush()
    return b.build(_stem(source))
