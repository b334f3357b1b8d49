"""The demo congress's resolution and term (a registered part of `daihoi.congress.demo.load_demo`).

- the review: the 2015–2020 term's 18 targets with their five years of values (14/18 met or exceeded);
- the new resolution for 2020–2025: its general goal, 8 targets and 5 key tasks, adopted by the congress
  (the seed writes the adoption as a closed motion with the real vote's figures, since the demo's delegates
  have not checked in; the live adoption is shown by the browser test on a fresh congress);
- two years of the new term reported (2021, 2022), so the dashboard shows on track and at-risk targets;
- the news page, not published.

Everything is bulk-written with one audit entry, so seeding stays fast.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.demo import DemoPart, register_part
from daihoi.congress.models import Congress
from daihoi.term.models import KeyTask, NewsPage, Resolution, Target, TargetValue
from daihoi.voting.documents import roman
from daihoi.voting.models import Motion

# name, unit, area, kind, direction, target, mean, values 2015 (base) … 2020 (None: not reported)
REVIEW: list[tuple[str, str, str, str, str, str, str, list[str | None]]] = [
    ("Thu ngân sách trên địa bàn tăng bình quân", "%/năm", "economy", "growth_avg", "at_least", "10", "compound",
     ["48.2", "53.5", "59.1", "65.8", "72.4", "80.3"]),
    ("Giá trị sản xuất thương mại – dịch vụ tăng bình quân", "%/năm", "economy", "growth_avg", "at_least", "12",
     "compound", ["1250", "1390", "1552", "1741", "1950", "2180"]),
    ("Số doanh nghiệp thành lập mới trong nhiệm kỳ", "doanh nghiệp", "economy", "total", "at_least", "150",
     "compound", ["0", "28", "35", "41", "30", "26"]),
    ("Tỷ lệ hộ nghèo cuối nhiệm kỳ", "%", "culture_society", "level_end", "below", "0.5", "compound",
     ["1.8", "1.4", "1.1", "0.8", "0.6", "0.42"]),
    ("Tỷ lệ hộ gia đình đạt danh hiệu gia đình văn hóa hằng năm", "%", "culture_society", "yearly_level",
     "at_least", "95", "compound", ["94.1", "95.2", "95.6", "96.0", "96.3", "96.8"]),
    ("Tỷ lệ khu phố văn hóa cuối nhiệm kỳ", "%", "culture_society", "level_end", "at_least", "100", "compound",
     ["85", "90", "95", "95", "100", "100"]),
    ("Tỷ lệ người dân tham gia bảo hiểm y tế", "%", "culture_society", "level_end", "at_least", "95",
     "compound", ["86.5", "88.0", "90.1", "91.9", "93.0", "93.8"]),
    ("Tỷ lệ trẻ em trong độ tuổi đến trường hằng năm", "%", "culture_society", "yearly_level", "at_least",
     "100", "compound", ["100", "100", "100", "100", "100", "100"]),
    ("Số lao động được giải quyết việc làm trong nhiệm kỳ", "người", "culture_society", "total", "at_least",
     "2500", "compound", ["0", "520", "560", "610", "480", "450"]),
    ("Tỷ lệ rác thải sinh hoạt được thu gom hằng năm", "%", "urban", "yearly_level", "at_least", "100",
     "compound", ["98", "100", "100", "100", "100", "100"]),
    ("Tỷ lệ hẻm được bê tông hóa, nhựa hóa", "%", "urban", "level_end", "at_least", "90", "compound",
     ["62", "68", "74", "79", "83", "86"]),
    ("Số vụ vi phạm trật tự xây dựng giảm bình quân", "%/năm", "urban", "growth_avg", "at_most", "-10",
     "compound", ["60", "52", "45", "39", "33", "29"]),
    ("Tỷ lệ khu phố đạt chuẩn an toàn về an ninh trật tự hằng năm", "%", "defence_security", "yearly_level",
     "at_least", "90", "compound", ["85", "90", "92.5", "95", "95", "97.5"]),
    ("Hoàn thành chỉ tiêu giao quân hằng năm", "%", "defence_security", "yearly_level", "at_least", "100",
     "compound", ["100", "100", "100", "100", "100", "100"]),
    ("Tỷ lệ kéo giảm tội phạm về trật tự xã hội cuối nhiệm kỳ so với đầu nhiệm kỳ", "%", "defence_security",
     "level_end", "at_least", "20", "compound", ["0", "5", "9", "14", "18", "23"]),
    ("Kết nạp đảng viên mới trong nhiệm kỳ", "đảng viên", "party_building", "total", "at_least", "80",
     "compound", ["0", "14", "17", "18", "16", "19"]),
    ("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên hằng năm", "%", "party_building",
     "yearly_level", "at_least", "90", "compound", ["88", "90", "95", "95", "85", "95"]),
    ("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên hằng năm", "%", "party_building", "yearly_level",
     "at_least", "90", "compound", ["90.5", "91.2", "92.0", "92.6", "93.1", "93.5"]),
]  # fmt: skip

GENERAL_GOAL = (
    "Nâng cao năng lực lãnh đạo, sức chiến đấu của Đảng bộ; xây dựng hệ thống chính trị trong sạch, vững mạnh; "
    "phát huy sức mạnh khối đại đoàn kết toàn dân; phát triển kinh tế – xã hội nhanh và bền vững, chỉnh trang "
    "đô thị văn minh, hiện đại; bảo đảm quốc phòng – an ninh; nâng cao đời sống vật chất và tinh thần của Nhân "
    "dân; xây dựng phường Hòa Bình văn minh, hiện đại, nghĩa tình."
)

# name, unit, area, kind, direction, target, baseline (2020), values 2021, 2022
PLAN: list[tuple[str, str, str, str, str, str, str, list[str]]] = [
    ("Thu ngân sách trên địa bàn tăng bình quân", "%/năm", "economy", "growth_avg", "at_least", "10", "80.3",
     ["89.1", "99.6"]),
    ("Giá trị sản xuất thương mại – dịch vụ tăng bình quân", "%/năm", "economy", "growth_avg", "at_least", "12",
     "2180", ["2350", "2590"]),
    ("Tỷ lệ hộ nghèo theo chuẩn mới cuối nhiệm kỳ", "%", "culture_society", "level_end", "below", "0.3", "1.2",
     ["1.0", "0.75"]),
    ("Tỷ lệ người dân tham gia bảo hiểm y tế cuối nhiệm kỳ", "%", "culture_society", "level_end", "at_least",
     "97", "93.8", ["94.2", "94.6"]),
    ("Tỷ lệ rác thải sinh hoạt được thu gom, xử lý hằng năm", "%", "urban", "yearly_level", "at_least", "100",
     "", ["100", "100"]),
    ("Tỷ lệ hẻm được bê tông hóa, nhựa hóa cuối nhiệm kỳ", "%", "urban", "level_end", "at_least", "100", "86",
     ["89", "92"]),
    ("Tỷ lệ khu phố đạt chuẩn an toàn về an ninh trật tự hằng năm", "%", "defence_security", "yearly_level",
     "at_least", "95", "", ["95", "97.5"]),
    ("Kết nạp đảng viên mới trong nhiệm kỳ", "đảng viên", "party_building", "total", "at_least", "90", "",
     ["17", "14"]),
]  # fmt: skip

KEY_TASKS: list[tuple[str, bool]] = [
    ("Xây dựng Đảng bộ trong sạch, vững mạnh; nâng cao chất lượng sinh hoạt chi bộ khu phố.", False),
    (
        "Chỉnh trang đô thị, hoàn thành bê tông hóa, nhựa hóa toàn bộ hẻm; giải quyết dứt điểm điểm ngập.",
        True,
    ),
    ("Chuyển đổi số trong cải cách hành chính: 100% thủ tục được tiếp nhận trực tuyến.", True),
    ("Phát triển thương mại – dịch vụ, hỗ trợ hộ kinh doanh và doanh nghiệp nhỏ.", False),
    ("Giữ vững an ninh chính trị, trật tự an toàn xã hội; xây dựng khu phố an toàn.", False),
]

VOTE = {"yes": 163, "no": 0, "abstain": 0, "base": 165, "present": 163}


def _targets(congress: Congress, rows: list, *, review: bool, start: int, end: int) -> int:
    now = timezone.now()
    created = Target.objects.bulk_create(
        [
            Target(
                congress=congress,
                is_review=review,
                number=i,
                name=name,
                unit=unit,
                area=area,
                kind=kind,
                direction=direction,
                target_value=target,
                mean=mean if review else "compound",
                baseline=(values[0] or "") if review else mean,
                term_start=start,
                term_end=end,
            )
            for i, (name, unit, area, kind, direction, target, mean, values) in enumerate(rows, start=1)
        ]
    )
    values = []
    for t, row in zip(created, rows, strict=True):
        series = row[7]
        years = range(start, end + 1) if review else range(start + 1, start + 1 + len(series))
        for year, value in zip(years, series, strict=False):
            if value is not None and year > start:
                values.append(
                    TargetValue(target=t, year=year, value=value, entered_by="demo", entered_at=now)
                )
    TargetValue.objects.bulk_create(values)
    return len(values)


def load_demo_term(congress: Congress) -> None:
    if Resolution.objects.filter(congress=congress).exists():
        return
    review_values = _targets(
        congress, REVIEW, review=True, start=congress.term_start - 5, end=congress.term_start
    )
    plan_values = _targets(congress, PLAN, review=False, start=congress.term_start, end=congress.term_end)
    KeyTask.objects.bulk_create(
        [
            KeyTask(congress=congress, number=i, text=text, is_breakthrough=b)
            for i, (text, b) in enumerate(KEY_TASKS, 1)
        ]
    )
    closed = timezone.now()
    motion = Motion.objects.create(
        congress=congress,
        kind=Motion.Kind.RESOLUTION,
        title=_("Thông qua Nghị quyết Đại hội lần thứ %(ordinal)s, nhiệm kỳ %(term)s")
        % {"ordinal": roman(congress.ordinal), "term": congress.term},
        method=Motion.Method.SHOW_OF_HANDS,
        status=Motion.Status.CLOSED,
        yes=VOTE["yes"],
        no=VOTE["no"],
        abstain=VOTE["abstain"],
        base=VOTE["base"],
        present=VOTE["present"],
        is_passed=True,
        outcome=_("Thông qua: %(yes)s/%(base)s đại biểu tán thành") % VOTE,
        opened_at=closed,
        closed_at=closed,
    )
    resolution = Resolution.objects.create(
        congress=congress,
        general_goal=GENERAL_GOAL,
        other_articles=_(
            "Giao Ban Chấp hành Đảng bộ khóa mới lãnh đạo, tổ chức thực hiện thắng lợi Nghị quyết."
        ),
        motion=motion,
        adopted_at=closed,
    )
    NewsPage.objects.create(congress=congress)
    audit.record(
        actor=SYSTEM.label,
        action="demo.term",
        congress_id=congress.pk,
        obj=resolution,
        after={
            "review_targets": len(REVIEW),
            "review_values": review_values,
            "targets": len(PLAN),
            "values": plan_values,
            "key_tasks": len(KEY_TASKS),
            "adopted_by": VOTE,
        },
    )


def clear_demo_term(congress: Congress) -> None:
    """Nothing protected: the resolution, targets and news page go with the congress."""


def describe_demo_term(congress: Congress) -> str:
    return _(
        "Nghị quyết: %(targets)s chỉ tiêu, %(tasks)s nhiệm vụ trọng tâm; đánh giá nhiệm kỳ trước: %(review)s chỉ tiêu"
    ) % {
        "targets": Target.objects.filter(congress=congress, is_review=False).count(),
        "tasks": KeyTask.objects.filter(congress=congress).count(),
        "review": Target.objects.filter(congress=congress, is_review=True).count(),
    }


register_part("term", DemoPart(load=load_demo_term, clear=clear_demo_term, describe=describe_demo_term))
