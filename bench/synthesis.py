"""The synthesis at a province's scale: 20,000 comments on a draft of 12 sections (generated).

    PYTHONPATH=src python bench/synthesis.py [--comments 20000] [--seed 1]

Goal (issue 11): under 2 minutes on 2 cores with under 2 GiB of memory. Above `EMBED_LIMIT` distinct
texts the engine groups lexically (embedding 20,000 texts with e5 takes minutes on 2 cores), so this also
reports the grouping's quality against the generator's own labels. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import unicodedata
from collections import Counter
from math import comb
from pathlib import Path

from daihoi.synthesis import CommentIn, engine, parse_markdown, synthesize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "synthesis" / "data"))
from build_eval import ABBREVIATE, OPENINGS, lower_first, strip_diacritics

SECTIONS = [
    ("Về phát triển nông nghiệp, nông thôn", ["sản xuất lúa chất lượng cao", "chăn nuôi an toàn sinh học",
     "chuyển đổi cơ cấu cây trồng", "sản phẩm OCOP", "hợp tác xã kiểu mới", "thủy lợi nội đồng",
     "xây dựng nông thôn mới nâng cao", "tiêu thụ nông sản cho nông dân"]),
    ("Về công nghiệp, thương mại và dịch vụ", ["thu hút đầu tư vào khu công nghiệp", "hạ tầng cụm công nghiệp",
     "chợ truyền thống", "thương mại điện tử", "du lịch cộng đồng", "hỗ trợ doanh nghiệp nhỏ và vừa",
     "xúc tiến thương mại", "logistics và kho bãi"]),
    ("Về tài chính, ngân sách", ["thu ngân sách từ đất", "chống thất thu thuế", "nợ đọng xây dựng cơ bản",
     "giải ngân vốn đầu tư công", "tiết kiệm chi thường xuyên", "quản lý tài sản công", "phí và lệ phí",
     "ngân sách cho khoa học công nghệ"]),
    ("Về kết cấu hạ tầng và đô thị", ["quy hoạch đô thị", "đường giao thông nông thôn", "cấp nước sạch",
     "thoát nước đô thị", "nhà ở xã hội", "chỉnh trang đô thị", "giải phóng mặt bằng", "chiếu sáng công cộng"]),
    ("Về tài nguyên và môi trường", ["xử lý rác thải sinh hoạt", "ô nhiễm làng nghề", "khai thác cát trái phép",
     "sạt lở bờ sông", "cấp giấy chứng nhận quyền sử dụng đất", "ứng phó biến đổi khí hậu", "nước thải công nghiệp",
     "trồng rừng phòng hộ"]),
    ("Về văn hóa, thể thao", ["thiết chế văn hóa cơ sở", "bảo tồn di tích", "lễ hội truyền thống",
     "phong trào thể dục thể thao", "thư viện cơ sở", "xây dựng gia đình văn hóa", "nếp sống văn minh trong việc cưới",
     "văn hóa đọc"]),
    ("Về giáo dục và đào tạo", ["kiên cố hóa trường lớp", "đội ngũ giáo viên", "trường đạt chuẩn quốc gia",
     "giáo dục nghề nghiệp", "dạy thêm học thêm", "giáo dục kỹ năng sống", "học sinh bỏ học", "ngoại ngữ và tin học"]),
    ("Về y tế, dân số và an sinh xã hội", ["trạm y tế xã", "bảo hiểm y tế", "người cao tuổi", "giảm nghèo bền vững",
     "người có công", "trẻ em suy dinh dưỡng", "việc làm cho lao động nông thôn", "an toàn thực phẩm"]),
    ("Về quốc phòng, an ninh", ["tội phạm ma túy", "lừa đảo qua mạng", "an ninh nông thôn", "tai nạn giao thông",
     "phòng cháy chữa cháy", "giáo dục quốc phòng", "dân quân tự vệ", "khiếu nại tố cáo đông người"]),
    ("Về cải cách hành chính và chuyển đổi số", ["dịch vụ công trực tuyến", "bộ phận một cửa", "chữ ký số",
     "cơ sở dữ liệu dân cư", "chỉ số hài lòng", "thủ tục đất đai", "kỹ năng số cho người dân", "hạ tầng số"]),
    ("Về xây dựng Đảng", ["sinh hoạt chi bộ", "kết nạp đảng viên", "kiểm tra giám sát", "công tác cán bộ",
     "đảng viên nơi cư trú", "nêu gương của người đứng đầu", "học tập nghị quyết", "thu nộp đảng phí"]),
    ("Về Mặt trận Tổ quốc và các đoàn thể", ["giám sát và phản biện xã hội", "cuộc vận động người Việt dùng hàng Việt",
     "quỹ vì người nghèo", "đoàn viên thanh niên", "hội viên phụ nữ", "cựu chiến binh", "dân chủ ở cơ sở",
     "tiếp xúc cử tri"]),
]  # fmt: skip
DETAILS = ["", " ở vùng sâu, vùng xa", " trong giai đoạn 2025–2030", " ở các xã khó khăn", " gắn với trách nhiệm người đứng đầu",
           " cho đồng bào dân tộc thiểu số", " tại khu vực đô thị", " bằng nguồn xã hội hóa"]  # fmt: skip
FAMILIES = {
    "add": ["Đề nghị bổ sung giải pháp về {t}{d}.", "Cần bổ sung nội dung {t}{d} vào báo cáo.",
            "Báo cáo còn thiếu giải pháp {t}{d}, đề nghị bổ sung."],
    "amend": ["Đề nghị đánh giá cụ thể hơn kết quả {t}{d}.", "Kết quả {t}{d} cần được đánh giá thực chất, cụ thể hơn.",
              "Báo cáo nêu kết quả {t}{d} còn chung chung, cần đánh giá rõ hơn."],
    "other": ["Cần quan tâm hơn nữa đến {t}{d}.", "{T}{d} còn nhiều hạn chế, cần tập trung chỉ đạo.",
              "Đề nghị các cấp quan tâm chỉ đạo {t}{d}."],
}  # fmt: skip
TARGETS = ["tỷ lệ {t}", "chỉ tiêu {t}"]
MOVES = [
    ("Đề nghị nâng {g} lên {n}%.", "up"),
    ("Nên hạ {g} xuống {n}%.", "down"),
    ("{G} nên đạt {n}%.", "set"),
]


def draft_md() -> str:
    lines = ["# Dự thảo Báo cáo chính trị Đảng bộ tỉnh, nhiệm kỳ 2025–2030", ""]
    for n, (title, topics) in enumerate(SECTIONS, start=1):
        lines += [
            f"## {n}. {title}",
            "",
            f"Nhiệm kỳ qua, {', '.join(topics[:5])} có chuyển biến tích cực.",
            "",
        ]
    return "\n".join(lines)


def generate(n_comments: int, seed: int) -> tuple[list[CommentIn], dict[str, str]]:
    rng = random.Random(seed)
    units = [f"Đảng bộ {k} {i}" for k in ("phường", "xã", "thị trấn") for i in range(1, 101)]
    points: list[tuple[str, str, list[str]]] = []  # key, section id, wordings
    for s, (_, topics) in enumerate(SECTIONS, start=1):
        sid = f"s{s:02d}"
        for t in topics:
            for d in DETAILS:
                fam = rng.choice(sorted(FAMILIES))
                words = [w.format(t=t, d=d, T=t[:1].upper() + t[1:]) for w in FAMILIES[fam]]
                points.append((f"{sid}|{t}|{d}|{fam}", sid, words))
            for target in TARGETS[:1]:
                goal = target.format(t=t)
                for move, direction in MOVES:
                    for value in rng.sample([60, 70, 80, 90, 95], 2):
                        text = move.format(g=goal, G=goal[:1].upper() + goal[1:], n=value)
                        points.append((f"{sid}|{goal}|{direction}|{value}", sid, [text]))
    weights = [1.0 / (r + 1) ** 0.7 for r in range(len(points))]
    rng.shuffle(weights)
    comments: list[CommentIn] = []
    truth: dict[str, str] = {}
    for i in range(n_comments):
        cid = f"c{i:05d}"
        unit = rng.choice(units)
        if rng.random() < 0.08:
            comments.append(
                CommentIn(cid, unit, rng.choice(["Thống nhất cao với dự thảo.", "Nhất trí với dự thảo"]))
            )
            truth[cid] = ""
            continue
        key, sid, words = rng.choices(points, weights)[0]
        text = rng.choice(words)
        if rng.random() < 0.3:
            for full, short in ABBREVIATE:
                text = text.replace(full, short)
        if rng.random() < 0.25:
            text = rng.choice(OPENINGS) + lower_first(text)
        if rng.random() < 0.2:
            text = strip_diacritics(text)
        comments.append(
            CommentIn(cid, unit, unicodedata.normalize("NFC", text), sid if rng.random() < 0.6 else None)
        )
        truth[cid] = key
    return comments, truth


def pair_scores(truth: list[str], pred: list[str]) -> tuple[float, float, float]:
    both = sum(comb(n, 2) for n in Counter(zip(truth, pred, strict=True)).values())
    t = sum(comb(n, 2) for n in Counter(truth).values())
    p = sum(comb(n, 2) for n in Counter(pred).values())
    precision, recall = both / p if p else 1.0, both / t if t else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--comments", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    draft = parse_markdown(draft_md(), source="province.md")
    comments, truth = generate(args.comments, args.seed)
    distinct = len({c.text for c in comments})
    start = time.perf_counter()
    result = synthesize(draft, comments)
    seconds = time.perf_counter() - start
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    group_of = {c: n for n, g in enumerate(result.groups()) for c in g.comments}
    ids = [c.id for c in comments if truth[c.id]]
    precision, recall, f1 = pair_scores([truth[c] for c in ids], [str(group_of.get(c, "agree")) for c in ids])
    # coarser truth: a point = topic + kind of request, whatever its qualifier ("ở vùng sâu, vùng xa")
    coarse = ["|".join(truth[c].split("|")[:2] + truth[c].split("|")[3:]) for c in ids]
    _, _, f1_coarse = pair_scores(coarse, [str(group_of.get(c, "agree")) for c in ids])
    opposite = 0
    for g in result.groups():
        targets: dict[str, set[str]] = {}
        for c in g.comments:
            parts = truth[c].split("|")
            if len(parts) == 4 and parts[2] in ("up", "down", "set"):
                targets.setdefault(parts[1], set()).add(parts[2] + parts[3])
        # the same figure proposed as "raise to 60%" and "should reach 60%" is one point; other figures,
        # or raising against lowering, are opposites
        opposite += sum(
            len({x[-2:] for x in v}) > 1 or {x[:-2] for x in v} >= {"up", "down"} for v in targets.values()
        )
    sections_ok = sum(result.section_of.get(c) == truth[c].split("|")[0] for c in ids) / len(ids)
    report = {
        "comments": len(comments),
        "distinct_texts": distinct,
        "sections": len(draft.sections),
        "groups": len(result.groups()),
        "true_groups": len({truth[c] for c in ids}),
        "agreements": len(result.agreements),
        "embedded": distinct <= engine.EMBED_LIMIT,
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(rss_mib),
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "pairwise_f1": round(f1, 4),
        "pairwise_f1_ignoring_qualifiers": round(f1_coarse, 4),
        "section_accuracy": round(sections_ok, 4),
        "groups_with_opposite_numbers": opposite,
    }
    for k, v in report.items():
        print(f"{k:>28}: {v}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
