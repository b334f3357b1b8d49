"""A ward's synthesis goes up as JSON and comes back as the district's weighted incoming comments."""

from __future__ import annotations

import json

import pytest

from daihoi.synthesis import CommentIn, SynthesisError, load_synthesis_export, synthesize
from daihoi.synthesis.report import render_text


def ward_export(draft, fake, ward, cells):
    comments = [
        CommentIn(
            id=f"{ward}-{n}",
            unit=f"Chi bộ {n}",
            text="Bổ sung giải pháp bảo đảm ANTT ở khu dân cư",
            section="s03",
        )
        for n in range(1, cells + 1)
    ]
    comments.append(
        CommentIn(
            id=f"{ward}-x", unit="Chi bộ 1", text="Đề nghị hạ chỉ tiêu tăng trưởng xuống 8%", section="s01"
        )
    )
    comments.append(CommentIn(id=f"{ward}-ok", unit="Chi bộ 2", text="Thống nhất cao với dự thảo"))
    result = synthesize(draft, comments, embedder=fake)
    return json.dumps(result.to_export_json(draft, unit=ward), ensure_ascii=False).encode()


def test_the_export_is_the_contract_json_plus_who_made_it(draft, fake):
    data = json.loads(ward_export(draft, fake, "Phường Tân Định", 3))
    assert data["unit"] == "Phường Tân Định"
    assert data["agreements"] == ["Phường Tân Định-ok"] and data["agreement_units"] == 1
    s03 = next(s for s in data["sections"] if s["section"] == "s03")
    assert s03["groups"] == [
        {
            "comments": ["Phường Tân Định-1", "Phường Tân Định-2", "Phường Tân Định-3"],
            "units": 3,
            "kind": "add",
            "summary": "Bổ sung giải pháp bảo đảm ANTT ở khu dân cư",
            "unit_names": ["Chi bộ 1", "Chi bộ 2", "Chi bộ 3"],
            "subunits": 0,
        }
    ]


def test_the_upper_level_counts_wards_and_the_cells_behind_them(draft, fake):
    incoming = []
    for ward, cells in (("Phường 1", 3), ("Phường 2", 5), ("Phường 3", 2)):
        incoming += load_synthesis_export(
            ward_export(draft, fake, ward, cells), f"{ward}.json", sections={"s01", "s03"}
        )
    assert incoming[0] == CommentIn(
        id="Phường 1.json#1",
        unit="Phường 1",
        text="Đề nghị hạ chỉ tiêu tăng trưởng xuống 8%",
        section="s01",
        kind="amend",
        weight_units=1,
        weight_subunits=1,
    )
    result = synthesize(draft, incoming, embedder=fake)
    g = next(g for g in result.groups() if g.section == "s03")
    assert (g.units, g.subunits, g.unit_names) == (3, 10, ("Phường 1", "Phường 2", "Phường 3"))
    assert "3 đơn vị (10 đơn vị cơ sở): Phường 1, Phường 2, Phường 3" in render_text(draft, result)


def test_sections_of_another_draft_are_dropped_and_inferred(draft, fake):
    incoming = load_synthesis_export(ward_export(draft, fake, "Phường 1", 2), "p1.json")
    assert {c.section for c in incoming} == {None}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[1]", "not a JSON object"),
        (b'{"sections": []}', '"unit" is missing'),
        (b'{"unit": "P", "sections": {}}', '"sections" is missing'),
        (b'{"unit": "P", "sections": [{"groups": [{"units": 1}]}]}', 'section 1, group 1 has no "summary"'),
        (
            b'{"unit": "P", "sections": [{"groups": [{"units": 0, "summary": "x"}]}]}',
            'section 1, group 1: "units" must be an integer ≥ 1',
        ),
        (
            b'{"unit": "P", "sections": [{"groups": [{"units": 1, "summary": "x", "kind": "agree"}]}]}',
            'section 1, group 1: kind "agree" is not one of amend, add, remove, other',
        ),
    ],
)
def test_a_bad_export_is_refused_with_its_reason(data, reason):
    with pytest.raises(SynthesisError) as e:
        load_synthesis_export(data, "p.json")
    assert (e.value.code, e.value.params["reason"], e.value.source) == ("bad_export", reason, "p.json")


def test_broken_json_names_its_line():
    with pytest.raises(SynthesisError) as e:
        load_synthesis_export(b'{"unit": "P",\n "sections": [}', "p.json")
    assert (e.value.code, e.value.line) == ("bad_json", 2)
