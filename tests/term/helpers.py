"""Building blocks for the term tests: a congress with a draft resolution, adoption by show of hands, xlsx."""

from __future__ import annotations

import io

from daihoi.congress.access import SYSTEM
from daihoi.congress.models import Congress, Delegate
from daihoi.term import actions
from daihoi.term.actions import TargetInput
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Motion
from tests.factories import make_congress

TARGETS = [
    TargetInput(
        "Thu ngân sách tăng bình quân", "growth_avg", "at_least", "10", "%/năm", "economy", "compound", "100"
    ),
    TargetInput("Tỷ lệ hộ nghèo", "level_end", "below", "0.5", "%", "culture_society", "compound", "3.0"),
    TargetInput("Kết nạp đảng viên mới", "total", "at_least", "80", "đảng viên", "party_building"),
    TargetInput("Rác thải được thu gom", "yearly_level", "at_least", "100", "%", "urban"),
]


def drafted(**kw: object) -> Congress:
    congress = make_congress(**kw)  # type: ignore[arg-type]
    actions.save_resolution(congress, SYSTEM, general_goal="Xây dựng phường văn minh.", other_articles="")
    for t in TARGETS:
        actions.add_target(congress, SYSTEM, t)
    actions.add_key_task(congress, SYSTEM, text="Chỉnh trang đô thị", is_breakthrough=True)
    return congress


def adopt(congress: Congress, *, passed: bool = True) -> Motion:
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    motion = actions.propose_adoption(congress, SYSTEM, method=Motion.Method.SHOW_OF_HANDS)
    mo.open_motion(motion, actor=SYSTEM)
    present = mo.present_voters(congress)
    yes = present if passed else 0
    return mo.close_motion(motion, actor=SYSTEM, yes=yes, no=present - yes, abstain=0)


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
