from __future__ import annotations

import pytest

from daihoi.synthesis import (
    CommentIn,
    SynthesisError,
    count_units,
    infer_kind,
    is_plain_agreement,
    synthesize,
)
from daihoi.synthesis.text import clean_wording


def C(cid, unit, text, section=None, kind=None, **kw):
    return CommentIn(id=cid, unit=unit, text=text, section=section, kind=kind, **kw)


COMMENTS = [
    C("c1", "Chi bộ 1", "Đề nghị nâng chỉ tiêu tăng trưởng KT-XH lên 12%", "s01"),
    C("c2", "Chi bộ 2", "de nghi nang chi tieu tang truong kinh te xa hoi len 12%", "s01"),
    C("c3", "Chi bộ 3", "Đề nghị hạ chỉ tiêu tăng trưởng kinh tế xã hội xuống 8%", "s01"),
    C("c4", "Chi bộ 3", "Thống nhất cao với dự thảo báo cáo chính trị"),
    C("c5", "Chi bộ 4", "Cần bổ sung giải pháp giữ vững ANTT tại các khu dân cư"),
    C("c6", "Chi bộ 5", "Bổ sung giải pháp bảo đảm an ninh trật tự ở khu dân cư"),
    C("c7", "Chi bộ 5", "Bổ sung giải pháp bảo đảm an ninh trật tự ở khu dân cư"),
    C("c8", "Chi bộ 6", "Tán thành với nội dung dự thảo, không có ý kiến gì thêm."),
]


@pytest.mark.parametrize("use_fake", [True, False])
def test_the_synthesis_groups_paraphrases_and_never_opposites(draft, fake, use_fake):
    result = synthesize(draft, COMMENTS, embedder=fake if use_fake else None, use_default_embedder=False)
    groups = {g.comments: g for g in result.groups()}
    assert set(groups) == {("c1", "c2"), ("c3",), ("c5", "c6", "c7")}
    assert result.agreements == ("c4", "c8")
    assert result.agreement_units == 2
    g = groups[("c5", "c6", "c7")]
    assert (g.section, g.units, g.unit_names, g.kind) == ("s03", 2, ("Chi bộ 4", "Chi bộ 5"), "add")
    assert result.section_of["c5"] == "s03"
    assert groups[("c1", "c2")].summary == "Đề nghị nâng chỉ tiêu tăng trưởng KT-XH lên 12%"


def test_the_real_embedder_gives_the_same_grouping_here(draft):
    result = synthesize(draft, COMMENTS)
    assert {g.comments for g in result.groups()} == {("c1", "c2"), ("c3",), ("c5", "c6", "c7")}


def test_contract_json_orders_groups_by_units_and_lists_every_comment_once(draft, fake):
    result = synthesize(draft, COMMENTS, embedder=fake)
    data = result.to_contract_json(draft)
    assert [s["section"] for s in data["sections"]] == ["s01", "s02", "s03"]
    s01 = data["sections"][0]
    assert s01["title"] == "1. Về phát triển kinh tế"
    assert [g["units"] for g in s01["groups"]] == [2, 1]
    assert s01["groups"][0] == {
        "comments": ["c1", "c2"],
        "units": 2,
        "kind": "amend",
        "summary": "Đề nghị nâng chỉ tiêu tăng trưởng KT-XH lên 12%",
    }
    ids = [c for s in data["sections"] for g in s["groups"] for c in g["comments"]] + data["agreements"]
    assert sorted(ids) == sorted(c.id for c in COMMENTS)


def test_same_input_same_output(draft, fake):
    a = synthesize(draft, COMMENTS, embedder=fake).to_contract_json(draft)
    b = synthesize(draft, list(COMMENTS), embedder=fake).to_contract_json(draft)
    assert a == b


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thống nhất cao với dự thảo", True),
        ("Nhất trí với dự thảo Báo cáo chính trị của Đảng bộ phường", True),
        ("nhat tri cao voi du thao, khong co y kien gi them", True),
        ("Tán thành", True),
        ("Thống nhất với dự thảo, tuy nhiên đề nghị bổ sung chỉ tiêu về CCHC", False),
        ("Nhất trí nhưng cần làm rõ nguyên nhân hạn chế", False),
        ("Đề nghị bổ sung giải pháp về chuyển đổi số", False),
    ],
)
def test_plain_agreements_are_recognised(text, expected):
    assert is_plain_agreement(text) is expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Đề nghị bỏ cụm từ 'cơ bản' trong đoạn 2", "remove"),
        ("de nghi luoc bo chi tieu ve so ho kinh doanh", "remove"),
        ("Đề nghị bổ sung chỉ tiêu tỷ lệ hồ sơ trực tuyến", "add"),
        ("Đề nghị sửa 'tăng trưởng khá' thành 'tăng trưởng nhanh'", "amend"),
        ("Đề nghị nâng chỉ tiêu lên 12%", "amend"),
        ("Công tác giảm nghèo còn nhiều khó khăn", "other"),
    ],
)
def test_the_kind_is_inferred_when_not_given(text, kind):
    assert infer_kind(text) == kind


def test_units_are_counted_distinct_with_their_subunits():
    comments = [
        C("a", "Phường 1", "x", weight_units=3, weight_subunits=3),
        C("b", "Phường 1", "x", weight_units=5, weight_subunits=5),
        C("c", "Phường 2", "x", weight_units=2, weight_subunits=2),
    ]
    assert count_units(comments) == (2, ("Phường 1", "Phường 2"), 7)


@pytest.mark.parametrize(
    ("comment", "code"),
    [
        (C("c1", "u", "x", section="s99"), "unknown_section"),
        (C("c1", "u", "x", kind="maybe"), "unknown_kind"),
    ],
)
def test_bad_comments_are_refused_with_a_code(draft, comment, code):
    with pytest.raises(SynthesisError) as e:
        synthesize(draft, [comment], use_default_embedder=False)
    assert e.value.code == code


def test_duplicate_ids_are_refused(draft):
    with pytest.raises(SynthesisError) as e:
        synthesize(draft, [C("c1", "u", "x"), C("c1", "v", "y")], use_default_embedder=False)
    assert e.value.code == "duplicate_comment"


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        (
            "Tại mục 1, phần thứ nhất, bổ sung đánh giá việc hỗ trợ hộ kinh doanh",
            "Bổ sung đánh giá việc hỗ trợ hộ kinh doanh",
        ),
        ("Kính đề nghị BCH Đảng bộ phường xem xét: đề nghị bổ sung số liệu", "Đề nghị bổ sung số liệu"),
        ("Thống nhất với dự thảo, tuy nhiên đề nghị  điều chỉnh chỉ tiêu", "Đề nghị điều chỉnh chỉ tiêu"),
        ("Góp ý: theo chúng tôi, cần nhân rộng mô hình", "Cần nhân rộng mô hình"),
        ("Mục tiêu tổng quát nên viết ngắn gọn", "Mục tiêu tổng quát nên viết ngắn gọn"),
        ("Phần nguyên nhân chủ quan cần chỉ rõ", "Phần nguyên nhân chủ quan cần chỉ rõ"),
    ],
)
def test_the_summary_drops_openings_that_carry_no_content(text, summary):
    assert clean_wording(text) == summary


def test_the_summary_prefers_a_wording_with_diacritics_and_without_abbreviations(draft, fake):
    comments = [
        C("a", "u1", "de nghi bo sung giai phap bao dam an ninh trat tu o khu dan cu", "s03"),
        C("b", "u2", "Đề nghị bổ sung giải pháp bảo đảm ANTT ở khu dân cư", "s03"),
        C("c", "u3", "Góp ý: đề nghị bổ sung giải pháp bảo đảm an ninh trật tự ở khu dân cư", "s03"),
    ]
    (group,) = synthesize(draft, comments, embedder=fake).groups()
    assert group.summary == "Đề nghị bổ sung giải pháp bảo đảm an ninh trật tự ở khu dân cư"
