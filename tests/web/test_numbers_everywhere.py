"""Numbers one way per language: Vietnamese comma decimals, English dot decimals, on the pages, in the
documents, in the core's outcome lines (formatted at the edge, never re-decided) and on the JS screens."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from daihoi.congress.access import SYSTEM
from daihoi.congress.models import Delegate, StaffRole
from daihoi.rules.motions import decide_motion
from daihoi.voting.actions import motions as mo
from daihoi.voting.documents.wording import basis_line
from daihoi.voting.models import Motion
from daihoi.web.numbers import localize_figures
from tests.factories import login_as, make_congress

SCRIPT = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "daihoi"
    / "voting"
    / "static"
    / "daihoi"
    / "voting_screen.js"
)


def test_the_cores_outcome_line_gets_the_readers_marks_and_nothing_else_changes():
    text = decide_motion(yes=19, no=1, abstain=0, base=20).explain()
    assert "95.00%" in text  # the core's plain decimal string
    vi = localize_figures(text, language="vi")
    assert "95,00%" in vi and "5,00%" in vi and "95.00" not in vi
    assert localize_figures(text, language="en") == text
    assert vi.replace(",", ".") == text.replace(",", ".")  # same figures, same words
    assert localize_figures("Nhiệm kỳ 2020–2025, mục 1.2", language="vi") == "Nhiệm kỳ 2020–2025, mục 1.2"


@pytest.mark.django_db
def test_the_motion_minutes_print_the_stored_outcome_with_comma_decimals():
    text = basis_line(decide_motion(yes=19, no=1, abstain=0, base=20).explain())
    assert "95,00%" in text and "95.00%" not in text


@pytest.mark.django_db
def test_the_motion_page_writes_percentages_per_language():
    congress = make_congress(delegates=6)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    motion = mo.create_motion(congress, actor=SYSTEM, title="Biểu quyết chương trình", kind=Motion.Kind.OTHER)
    mo.open_motion(motion, actor=SYSTEM)
    motion = mo.close_motion(motion, actor=SYSTEM, yes=5, no=1, abstain=0)
    client = login_as(Client(), congress, StaffRole.Role.ORGANIZER)
    url = reverse("motion_detail", args=[congress.slug, motion.pk])
    vi = client.get(url).content.decode()
    assert "83,33%" in vi and "83.33%" not in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        en = client.get(url).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the middleware leaves English active in this thread
    assert "83.33%" in en and "83,33%" not in en


NODE_HARNESS = """
const fs = require("fs");
const lang = process.argv[3];
global.window = {addEventListener() {}};
global.document = {
  readyState: "complete", documentElement: {getAttribute: () => lang},
  addEventListener() {}, getElementById() { return null; }, querySelector() { return null; },
};
eval(fs.readFileSync(process.argv[2], "utf8"));
const n = window.DaihoiNumbers;
console.log(JSON.stringify([n.num("95.00"), n.num("1234.5"), n.num("7"),
  n.figures("Thông qua: tán thành 19 (95.00%), không tán thành 1 (5.00%); cần quá 50%")]));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "vi",
            [
                "95,00",
                "1.234,5",
                "7",
                "Thông qua: tán thành 19 (95,00%), không tán thành 1 (5,00%); cần quá 50%",
            ],
        ),
        (
            "en",
            [
                "95.00",
                "1,234.5",
                "7",
                "Thông qua: tán thành 19 (95.00%), không tán thành 1 (5.00%); cần quá 50%",
            ],
        ),
    ],
)
def test_the_screen_script_writes_numbers_in_the_pages_language(lang, expected, tmp_path):
    harness = tmp_path / "harness.js"
    harness.write_text(NODE_HARNESS)
    out = subprocess.run(
        ["node", str(harness), str(SCRIPT), lang], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == expected
