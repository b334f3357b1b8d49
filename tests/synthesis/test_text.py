"""The comparison keys: folding, abbreviations, section references, and the conflicts that forbid a merge."""

from __future__ import annotations

import pytest

from daihoi.synthesis.text import conflicts, expand_abbreviations, fold, make_key


def test_folding_removes_diacritics_and_d_bar():
    assert fold("Đề nghị bổ sung ĐẢNG VIÊN") == "de nghi bo sung dang vien"


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("Phát triển KT-XH", "Phát triển kinh tế – xã hội"),
        ("bảo đảm ANTT, CCHC", "bảo đảm an ninh trật tự, cải cách hành chính"),
        ("nhiệm vụ QP-AN", "nhiệm vụ quốc phòng, an ninh"),
        ("kt - xh", "kinh tế – xã hội"),
        ("an toàn, an ninh", "an toàn, an ninh"),  # a syllable, not an abbreviation
    ],
)
def test_abbreviations_are_expanded_in_any_case_and_with_hyphens(text, expanded):
    assert expand_abbreviations(text) == expanded


def test_the_same_comment_written_three_ways_has_one_key():
    keys = {
        make_key(t).tokens
        for t in (
            "Đề nghị bổ sung giải pháp bảo đảm ANTT ở khu dân cư",
            "de nghi bo sung giai phap bao dam an ninh trat tu o khu dan cu",
            "Đề nghị bổ sung giải pháp bảo đảm an ninh trật tự ở KDC.",
        )
    }
    assert len(keys) == 1


def test_section_references_are_set_apart_from_the_figures():
    key = make_key("Tại mục 3, phần thứ hai: nâng tỷ lệ lên 12%")
    assert key.refs == (("muc", "3"), ("phan", "2"))
    assert key.numbers == frozenset({"12"})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Đề nghị nâng chỉ tiêu lên 12%", "Đề nghị hạ chỉ tiêu xuống 8%"),
        ("Đề nghị nâng chỉ tiêu lên 12%", "Đề nghị nâng chỉ tiêu lên 15%"),
        ("Cho phép kinh doanh trên vỉa hè", "Cấm kinh doanh trên vỉa hè"),
        ("Cho phép kinh doanh trên vỉa hè", "Không cho phép kinh doanh trên vỉa hè"),
        ("Đề nghị bỏ cụm từ 'cơ bản'", "Đề nghị giữ nguyên cụm từ 'cơ bản'"),
        ("Sáp nhập các chi bộ khu phố", "Không nên sáp nhập các chi bộ khu phố"),
        ("Chỉ tiêu 10% là phù hợp, giữ nguyên", "Chỉ tiêu 10% là thấp, nâng lên 12%"),
        ("Nên hạ tỷ lệ xuống 60%", "Đánh giá cụ thể hơn tỷ lệ này"),
        ("Sửa số liệu tại mục 3", "Sửa số liệu tại mục 4"),
        ("tang chi tieu len 12%", "giam chi tieu xuong 12%"),
    ],
)
def test_opposite_proposals_conflict(a, b):
    assert conflicts(make_key(a), make_key(b))
    assert conflicts(make_key(b), make_key(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Đề nghị nâng chỉ tiêu lên 12%", "de nghi nang chi tieu len 12%"),
        ("Nâng chỉ tiêu lên 12%/năm", "Chỉ tiêu 10% là thấp, nên nâng lên 12%"),
        ("Tỷ lệ hồ sơ trực tuyến đến năm 2030 nên là 80%", "Nâng tỷ lệ hồ sơ trực tuyến lên 80%"),
        ("Đầu tư hạ tầng giao thông", "Tăng đầu tư giao thông"),  # 'hạ tầng' is not 'hạ'
        ("Bổ sung giải pháp giảm nghèo bền vững", "Bổ sung giải pháp về giảm nghèo"),
    ],
)
def test_the_same_proposal_does_not_conflict(a, b):
    assert not conflicts(make_key(a), make_key(b))
