"""Builds the labelled evaluation set from eval_seeds.py, deterministically:

    python tests/synthesis/data/build_eval.py   # writes comments.csv, labels.csv, opposites.csv here

Each hand-written wording is sent by several units, and on the way it gets what real comments get:
no diacritics, abbreviations (KT-XH, ANTT, CCHC, …), a "Chi bộ đề nghị" opening, a mention of the
section ("Mục 5 phần thứ nhất"), no section field, no kind, an agreement opening that still carries a
proposal, and the same comment resent by the same unit.
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from eval_seeds import AGREEMENTS, BUT_PREFIXES, POINTS  # noqa: E402

CELLS = [f"Chi bộ Khu phố {n}" for n in range(1, 15)] + [
    "Chi bộ Trường THCS Trần Văn Ơn",
    "Chi bộ Trường Tiểu học Lê Văn Tám",
    "Chi bộ Trạm Y tế",
    "Chi bộ Công an phường",
    "Chi bộ Quân sự",
    "Chi bộ Cơ quan phường",
]
ORGS = [
    "Ủy ban MTTQ phường",
    "Hội Cựu chiến binh phường",
    "Hội Liên hiệp Phụ nữ phường",
    "Đoàn Thanh niên phường",
    "Hội Người cao tuổi phường",
]
DELEGATES = [
    "Đại biểu Nguyễn Văn Hùng",
    "Đại biểu Trần Thị Mai",
    "Đại biểu Lê Minh Tuấn",
    "Đại biểu Phạm Thị Lan",
    "Đại biểu Võ Quốc Bảo",
]
ABBREVIATE = [
    ("kinh tế – xã hội", "KT-XH"),
    ("an ninh trật tự", "ANTT"),
    ("cải cách hành chính", "CCHC"),
    ("Mặt trận Tổ quốc", "MTTQ"),
    ("phòng cháy, chữa cháy", "PCCC"),
    ("phòng cháy chữa cháy", "PCCC"),
    ("bảo hiểm y tế", "BHYT"),
    ("dịch vụ công trực tuyến", "DVCTT"),
    ("cán bộ, công chức", "CBCC"),
    ("đảng viên", "ĐV"),
    ("chuyển đổi số", "CĐS"),
    ("hộ kinh doanh", "HKD"),
    ("doanh nghiệp", "DN"),
    ("khu dân cư", "KDC"),
    ("thương mại – dịch vụ", "TM-DV"),
    ("thương mại, dịch vụ", "TM-DV"),
]
OPENINGS = [
    "Chi bộ đề nghị ",
    "Theo chúng tôi, ",
    "Ý kiến: ",
    "Kính đề nghị BCH Đảng bộ phường xem xét: ",
    "Góp ý: ",
]
PART_NAMES = {"1": "phần thứ nhất", "2": "phần thứ hai"}
SECTION_PLACE = {  # section id -> (part, number as written in the draft)
    "s01": ("1", "1"), "s02": ("1", "2"), "s03": ("1", "3"), "s04": ("1", "4"), "s05": ("1", "5"),
    "s06": ("1", "6"), "s07": ("1", "7"), "s08": ("2", "1"), "s09": ("2", "2"), "s10": ("2", "3"),
}  # fmt: skip


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def build(
    seed: int = 11,
    points: list[tuple[str, str, str, list[str], tuple[str, ...]]] | None = None,
    agreements: list[str] | None = None,
    n_agreements: int = 60,
) -> tuple[list[list[str]], list[list[str]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    points = POINTS if points is None else points
    agreements = AGREEMENTS if agreements is None else agreements
    senders = CELLS + ORGS + DELEGATES
    rows: list[list[str]] = []  # id, unit, section, kind, text
    labels: list[list[str]] = []  # id, group, section, agreement, kind
    counts = [1, 1, 2, 3, 4, 6, 8, 9, 10, 12, 14, 16]
    for key, section, kind, wordings, _ in points:
        n = max(len(wordings) - 1, rng.choice(counts))
        units = rng.sample(senders, min(n, len(senders)))
        order = wordings[:]
        rng.shuffle(order)
        sent: list[tuple[str, str]] = []
        for i, unit in enumerate(units):
            text = order[i % len(order)]
            if rng.random() < 0.35:
                for full, short in ABBREVIATE:
                    if full in text and rng.random() < 0.8:
                        text = text.replace(full, short)
            if rng.random() < 0.3:
                opening = rng.choice(OPENINGS)
                if "đề nghị" in opening and text.startswith("Đề nghị"):
                    text = text[len("Đề nghị ") :]
                text = opening + lower_first(text)
            if rng.random() < 0.15:
                part, number = SECTION_PLACE[section]
                text = rng.choice(
                    [f"Mục {number} {PART_NAMES[part]}: ", f"Tại mục {number}, {PART_NAMES[part]}, "]
                ) + (lower_first(text))
            elif rng.random() < 0.05:
                text = rng.choice(BUT_PREFIXES) + lower_first(text)
            if rng.random() < 0.22:
                text = strip_diacritics(text)
            sent.append((unit, text))
        for unit, text in list(sent):
            if rng.random() < 0.08:  # the same unit sends it again (a second form, a resent file)
                sent.append((unit, text if rng.random() < 0.5 else text.rstrip(".") + "."))
        for unit, text in sent:
            given_section = section if rng.random() < 0.55 else ""
            given_kind = kind if rng.random() < 0.3 else ""
            rows.append(["", unit, given_section, given_kind, text])
            labels.append(["", key, section, "0", kind])
    for _ in range(n_agreements):
        text = rng.choice(agreements)
        rows.append(["", rng.choice(senders), "", "agree" if rng.random() < 0.2 else "", text])
        labels.append(["", "", "", "1", "agree"])
    order = list(range(len(rows)))
    rng.shuffle(order)
    out_rows, out_labels = [], []
    for n, i in enumerate(order, start=1):
        cid = f"c{n:03d}"
        out_rows.append([cid, *rows[i][1:]])
        out_labels.append([cid, *labels[i][1:]])
    opposites = sorted({tuple(sorted((k, o))) for k, _, _, _, opp in points for o in opp})
    return out_rows, out_labels, [(a, b) for a, b in opposites]


def main() -> None:
    prefix = ""
    if "--heldout" in sys.argv:
        import heldout_seeds

        prefix = "heldout_"
        rows, labels, opposites = build(12, heldout_seeds.POINTS, heldout_seeds.AGREEMENTS, 12)
    else:
        rows, labels, opposites = build()
    with (HERE / f"{prefix}comments.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "unit", "section", "kind", "text"])
        w.writerows(rows)
    with (HERE / f"{prefix}labels.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "group", "section", "agreement", "kind"])
        w.writerows(labels)
    with (HERE / f"{prefix}opposites.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["group", "opposite"])
        w.writerows(opposites)
    print(
        f"{len(rows)} comments, {len({r[1] for r in labels if r[1]})} groups, {len(opposites)} opposite pairs"
    )


if __name__ == "__main__":
    main()
