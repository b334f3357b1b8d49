"""Quality of the automatic first draft on the labelled set tests/synthesis/data (built by build_eval.py).

    PYTHONPATH=src python bench/synthesis_quality.py [--lexical]

Reports pairwise F1 of the grouping, the adjusted Rand index, section accuracy (all comments, and those
sent without a section), agreement detection (precision/recall) and the opposite proposals merged.
Goals (issue 11): F1 ≥ 0.85, section accuracy ≥ 0.9, 0 opposites merged. The last line is JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from itertools import combinations
from math import comb
from pathlib import Path

from daihoi.synthesis import CommentIn, Synthesis, parse_markdown, synthesize

DATA = Path(__file__).resolve().parent.parent / "tests" / "synthesis" / "data"


def load(prefix: str = "") -> tuple[list[CommentIn], dict[str, dict[str, str]], set[frozenset[str]]]:
    with (DATA / f"{prefix}comments.csv").open(encoding="utf-8") as f:
        comments = [
            CommentIn(
                id=r["id"],
                unit=r["unit"],
                text=r["text"],
                section=r["section"] or None,
                kind=r["kind"] or None,
            )
            for r in csv.DictReader(f)
        ]
    with (DATA / f"{prefix}labels.csv").open(encoding="utf-8") as f:
        labels = {r["id"]: r for r in csv.DictReader(f)}
    with (DATA / f"{prefix}opposites.csv").open(encoding="utf-8") as f:
        opposites = {frozenset((r["group"], r["opposite"])) for r in csv.DictReader(f)}
    return comments, labels, opposites


def ari(truth: list[str], pred: list[str]) -> float:
    table = Counter(zip(truth, pred, strict=True))
    a, b = Counter(truth), Counter(pred)
    index = sum(comb(n, 2) for n in table.values())
    sa, sb = sum(comb(n, 2) for n in a.values()), sum(comb(n, 2) for n in b.values())
    expected = sa * sb / comb(len(truth), 2)
    top = (sa + sb) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def evaluate(
    result: Synthesis,
    comments: list[CommentIn],
    labels: dict[str, dict[str, str]],
    opposites: set[frozenset[str]],
) -> dict[str, object]:
    group_of = {c: n for n, g in enumerate(result.groups()) for c in g.comments}
    agreed = set(result.agreements)
    points = [c.id for c in comments if labels[c.id]["agreement"] == "0"]
    truth = [labels[c]["group"] for c in points]
    pred = [f"g{group_of[c]}" if c in group_of else f"agree:{c}" for c in points]
    tp = fp = fn = 0
    merged_opposites = 0
    for (ti, pi), (tj, pj) in combinations(zip(truth, pred, strict=True), 2):
        same_t, same_p = ti == tj, pi == pj
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
        if same_p and frozenset((ti, tj)) in opposites:
            merged_opposites += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    given = {c.id for c in comments if c.section}
    section_ok = [result.section_of.get(c) == labels[c]["section"] for c in points]
    inferred_ok = [ok for c, ok in zip(points, section_ok, strict=True) if c not in given]
    true_agree = {c for c, r in labels.items() if r["agreement"] == "1"}
    a_tp = len(agreed & true_agree)
    unkinded = [c.id for c in comments if not c.kind and labels[c.id]["agreement"] == "0"]
    kinds_ok = sum(result.kind_of[c] == labels[c]["kind"] for c in unkinded)
    return {
        "comments": len(comments),
        "true_groups": len(set(truth)),
        "groups": len(result.groups()),
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "pairwise_f1": round(f1, 4),
        "ari": round(ari(truth, pred), 4),
        "section_accuracy": round(sum(section_ok) / len(section_ok), 4),
        "section_accuracy_inferred": round(sum(inferred_ok) / len(inferred_ok), 4),
        "inferred": len(inferred_ok),
        "agreement_precision": round(a_tp / len(agreed), 4) if agreed else 1.0,
        "agreement_recall": round(a_tp / len(true_agree), 4),
        "opposite_pairs_merged": merged_opposites,
        "kind_accuracy_inferred": round(kinds_ok / len(unkinded), 4) if unkinded else 1.0,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--lexical", action="store_true", help="without sentence embeddings")
    p.add_argument("--heldout", action="store_true", help="the held-out set (never used for tuning)")
    p.add_argument("--errors", action="store_true", help="print the wrongly grouped and misplaced comments")
    args = p.parse_args()
    draft = parse_markdown((DATA / "ward_report.md").read_text(encoding="utf-8"), source="ward_report.md")
    comments, labels, opposites = load("heldout_" if args.heldout else "")
    start = time.perf_counter()
    result = synthesize(draft, comments, use_default_embedder=not args.lexical)
    seconds = time.perf_counter() - start
    report = evaluate(result, comments, labels, opposites)
    report["set"] = "heldout" if args.heldout else "tuning"
    report["embeddings"] = not args.lexical
    report["seconds"] = round(seconds, 2)
    if args.errors:
        text = {c.id: c.text for c in comments}
        for g in result.groups():
            keys = Counter(labels[c]["group"] or "AGREE" for c in g.comments)
            if len(keys) > 1:
                print("MIXED", g.section, dict(keys))
                for c in g.comments:
                    print("   ", labels[c]["group"] or "AGREE", "|", text[c][:110])
        by_true: dict[str, set[int]] = {}
        for n, g in enumerate(result.groups()):
            for c in g.comments:
                by_true.setdefault(labels[c]["group"], set()).add(n)
        for key, gs in sorted(by_true.items()):
            if len(gs) > 1 and key:
                print("SPLIT", key, len(gs))
                for n in sorted(gs):
                    g = result.groups()[n]
                    print("   ", n, [text[c][:90] for c in g.comments if labels[c]["group"] == key][:3])
        for c in comments:
            lab = labels[c.id]
            if lab["agreement"] == "0" and result.section_of.get(c.id) != lab["section"]:
                print("SECTION", lab["section"], "->", result.section_of.get(c.id), "|", c.text[:100])
            if (lab["agreement"] == "1") != (c.id in result.agreements):
                print("AGREEMENT", lab["agreement"], "|", c.text[:100])
    for k, v in report.items():
        print(f"{k:>28}: {v}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
