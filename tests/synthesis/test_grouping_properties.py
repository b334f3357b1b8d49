"""Properties of the grouping (issue 11): every comment appears exactly once, units are counted distinct,
and two texts that differ only in a number of the same target are never grouped."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daihoi.synthesis import CommentIn, count_units, synthesize
from daihoi.synthesis.text import clean_wording
from tests.support.synthesis import DRAFT_MD, FakeEmbedder

WORDS = [
    "đề",
    "nghị",
    "bổ",
    "sung",
    "nâng",
    "cao",
    "chỉ",
    "tiêu",
    "tỷ",
    "lệ",
    "hộ",
    "gia",
    "đình",
    "văn",
    "hóa",
    "an",
    "ninh",
    "trật",
    "tự",
    "KT-XH",
    "CCHC",
    "ANTT",
    "thu",
    "ngân",
    "sách",
    "giải",
    "pháp",
    "chuyển",
    "đổi",
    "số",
    "hồ",
    "sơ",
    "trực",
    "tuyến",
    "sinh",
    "hoạt",
    "chi",
    "bộ",
    "đảng",
    "viên",
    "khu",
    "phố",
    "tăng",
    "giảm",
    "giữ",
    "nguyên",
    "bỏ",
    "cấm",
    "cho",
    "phép",
    "thống",
    "nhất",
    "nhất",
    "trí",
    "tán",
    "thành",
    "de",
    "nghi",
    "bo",
    "sung",
    "chi",
    "tieu",
]
UNITS = [f"Chi bộ {n}" for n in range(1, 8)] + ["Hội Cựu chiến binh", "Đại biểu A"]
SECTIONS = [None, "s01", "s02", "s03"]

settings.register_profile(
    "synthesis", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)

_draft = None


def draft():
    global _draft
    if _draft is None:
        from daihoi.synthesis import parse_markdown

        _draft = parse_markdown(DRAFT_MD)
    return _draft


texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
numbers = st.integers(min_value=0, max_value=200)


@st.composite
def comment_sets(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    out = []
    for i in range(n):
        text = draw(texts)
        if draw(st.booleans()):
            text += f" {draw(numbers)}%"
        out.append(
            CommentIn(
                id=f"c{i}",
                unit=draw(st.sampled_from(UNITS)),
                text=text,
                section=draw(st.sampled_from(SECTIONS)),
                kind=draw(st.sampled_from([None, None, "agree", "amend", "add", "remove", "other"])),
            )
        )
    if draw(st.booleans()) and out:  # the same unit resends a comment
        c = draw(st.sampled_from(out))
        out.append(CommentIn(id="again", unit=c.unit, text=c.text, section=c.section, kind=c.kind))
    return out


@settings(settings.get_profile("synthesis"))
@given(comment_sets(), st.booleans())
def test_every_comment_appears_exactly_once_and_units_are_distinct(comments, fake):
    result = synthesize(
        draft(), comments, embedder=FakeEmbedder() if fake else None, use_default_embedder=False
    )
    placed = [c for g in result.groups() for c in g.comments] + list(result.agreements)
    assert sorted(placed) == sorted(c.id for c in comments)
    by_id = {c.id: c for c in comments}
    for sid, groups in result.sections:
        assert [g.units for g in groups] == sorted((g.units for g in groups), reverse=True)
        for g in groups:
            members = [by_id[c] for c in g.comments]
            assert g.section == sid
            assert g.units == len({m.unit for m in members}) == len(g.unit_names)
            assert g.unit_names == tuple(sorted({m.unit for m in members}))
            assert (g.units, g.unit_names, g.subunits) == count_units(members)
            assert g.kind in ("amend", "add", "remove", "other")
            assert g.summary in {clean_wording(m.text) for m in members}
    for c in comments:
        if c.kind == "agree":
            assert c.id in result.agreements
        assert result.kind_of[c.id] == (c.kind or result.kind_of[c.id])


TARGETS = [
    "Đề nghị nâng chỉ tiêu tăng trưởng doanh thu thương mại dịch vụ lên {n}%/năm",
    "Tỷ lệ hộ gia đình văn hóa nên đạt {n}% trở lên",
    "de nghi dieu chinh chi tieu ho so truc tuyen toan trinh la {n}%",
    "Kết nạp {n} đảng viên mới trong nhiệm kỳ",
    "Đề nghị sửa số liệu tại mục {n}",
    "Chỉ tiêu thu ngân sách KT-XH tăng {n} tỷ đồng",
]


@settings(settings.get_profile("synthesis"))
@given(
    st.sampled_from(TARGETS),
    st.lists(numbers, min_size=2, max_size=5, unique=True),
    st.lists(texts, max_size=15),
    st.sampled_from([None, "s01"]),
    st.booleans(),
)
def test_texts_differing_only_in_a_number_are_never_grouped(template, values, noise, section, fake):
    comments = [
        CommentIn(id=f"n{v}", unit=f"Chi bộ {i}", text=template.format(n=v), section=section)
        for i, v in enumerate(values)
    ]
    comments += [CommentIn(id=f"x{i}", unit="Đại biểu A", text=t, section="s01") for i, t in enumerate(noise)]
    # the same number sent twice is one point
    comments.append(
        CommentIn(id="again", unit="Chi bộ 99", text=template.format(n=values[0]), section=section)
    )
    result = synthesize(
        draft(), comments, embedder=FakeEmbedder() if fake else None, use_default_embedder=False
    )
    for g in result.groups():
        numbered = {c for c in g.comments if c.startswith("n")}
        assert len(numbered) <= 1, (g.comments, g.summary)
    group_of = {c: n for n, g in enumerate(result.groups()) for c in g.comments}
    assert group_of["again"] == group_of[f"n{values[0]}"]
