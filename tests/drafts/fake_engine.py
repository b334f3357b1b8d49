"""A small stand-in for `daihoi.synthesis` with its public API, used only while the real engine is not
installed (see conftest.py): sections from `##` headings, agreements by a few words, groups of equal
normalized text. The app's tests assert what the app does with any engine's answer."""

from __future__ import annotations

import re
import types
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

KINDS = ("agree", "amend", "add", "remove", "other")


class SynthesisError(Exception):
    def __init__(self, code: str, /, *, line: int | None = None, source: str | None = None, **params: object):
        self.code, self.line, self.source, self.params = code, line, source, params
        self.message = code
        super().__init__(code)

    def where(self) -> str:
        src = self.source or "input"
        return f"{src}:{self.line}" if self.line is not None else src


@dataclass(frozen=True)
class DraftSection:
    id: str
    part: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DraftPart:
    title: str
    section_ids: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    title: str
    parts: tuple[DraftPart, ...]
    sections: tuple[DraftSection, ...]


@dataclass(frozen=True)
class CommentIn:
    id: str
    unit: str
    text: str
    section: str | None = None
    kind: str | None = None
    weight_units: int = 1
    weight_subunits: int = 0


@dataclass(frozen=True)
class Group:
    section: str
    kind: str
    summary: str
    comments: tuple[str, ...]
    units: int
    unit_names: tuple[str, ...]
    subunits: int = 0


@dataclass(frozen=True)
class Synthesis:
    sections: tuple[tuple[str, tuple[Group, ...]], ...]
    agreements: tuple[str, ...]
    section_of: dict[str, str] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)


def parse_markdown(text: str, *, source: str = "draft.md") -> Draft:
    title, part, sections, parts = "", "", [], {}
    current: list | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            heading = line[3:].strip()
            m = re.search(r"\{#([\w-]+)\}\s*$", heading)
            key = m.group(1) if m else f"s{len(sections) + 1:02d}"
            heading = heading[: m.start()].strip() if m else heading
            current = [key, part, heading, []]
            sections.append(current)
            parts.setdefault(part, []).append(key)
        elif line.startswith("# "):
            if not title:
                title = line[2:].strip()
            else:
                part = line[2:].strip()
            current = None
        elif line.strip():
            if current is None:
                if sections:
                    raise SynthesisError("text_outside", line=n, source=source)
                continue
            current[3].append(line.strip())
    return Draft(
        title or source,
        tuple(DraftPart(p, tuple(ids)) for p, ids in parts.items()),
        tuple(DraftSection(k, p, t, tuple(ps)) for k, p, t, ps in sections),
    )


def parse_docx(data: bytes, *, source: str = "draft.docx") -> Draft:
    import io

    from docx import Document

    lines = []
    for p in Document(io.BytesIO(data)).paragraphs:
        style = p.style.name if p.style is not None else ""
        prefix = "# " if style == "Heading 1" else "## " if style == "Heading 2" else ""
        lines.append(prefix + p.text)
    return parse_markdown("\n".join(lines), source=source)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace(".", " ").split())


def is_plain_agreement(text: str) -> bool:
    return _fold(text).startswith(("thong nhat", "tan thanh", "nhat tri"))


def count_units(comments: Iterable[CommentIn]) -> tuple[int, tuple[str, ...], int]:
    best: dict[str, int] = {}
    for c in comments:
        best[c.unit] = max(best.get(c.unit, 0), c.weight_subunits)
    names = tuple(sorted(best))
    return len(names), names, sum(best.values())


def synthesize(draft: Draft, comments: Sequence[CommentIn], *, embedder: object = None) -> Synthesis:
    order = [s.id for s in draft.sections]
    agreements, buckets = [], {}
    section_of, kind_of = {}, {}
    for c in comments:
        kind = c.kind or ("agree" if is_plain_agreement(c.text) else "other")
        section = c.section or order[0]
        section_of[c.id], kind_of[c.id] = section, kind
        if kind == "agree":
            agreements.append(c.id)
            continue
        buckets.setdefault((section, _fold(c.text)), []).append(c)
    out = []
    for sid in order:
        groups = []
        for (section, _key), members in buckets.items():
            if section != sid:
                continue
            units, names, subunits = count_units(members)
            groups.append(Group(sid, kind_of[members[0].id], members[0].text, tuple(m.id for m in members),
                                units, names, subunits))  # fmt: skip
        groups.sort(key=lambda g: -g.units)
        out.append((sid, tuple(groups)))
    return Synthesis(tuple(out), tuple(agreements), section_of, kind_of)


def load_synthesis_export(data: bytes, filename: str = "export.json", *, sections=None) -> list[CommentIn]:
    import json

    doc = json.loads(data.decode("utf-8-sig"))
    if not isinstance(doc, dict) or not str(doc.get("unit", "")).strip():
        raise SynthesisError("bad_export", source=filename)
    out = []
    for sec in doc.get("sections", []):
        sid = sec.get("section")
        for g in sec.get("groups", []):
            units = g.get("units")
            if not isinstance(units, int) or isinstance(units, bool) or units < 1 or not g.get("summary"):
                raise SynthesisError("bad_export", source=filename)
            out.append(CommentIn(f"{filename}#{len(out) + 1}", doc["unit"].strip(), g["summary"],
                                 sid if sections is not None and sid in sections else None, g.get("kind"),
                                 units, units))  # fmt: skip
    return out


def as_module() -> types.ModuleType:
    module = types.ModuleType("daihoi.synthesis")
    module.__dict__.update({k: v for k, v in globals().items() if not k.startswith("__")})
    return module
