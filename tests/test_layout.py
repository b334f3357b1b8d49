"""No test file imports another test file: shared builders live in tests/factories.py (or a conftest's
fixtures). The files below still do, from before the rule; each must leave this list when it is
fixed (a stale entry fails too), and no file may join it."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
IMPORTS_A_TEST_FILE = re.compile(
    r"^\s*(?:from tests\.[\w.]*\btest_\w+ import|from tests\.\w+ import [^\n]*\btest_\w+|"
    r"import tests\.[\w.]*\btest_\w+|from tests\.\w+\.conftest import)",
    re.MULTILINE,
)

STILL_TO_MOVE = frozenset(
    {
        "browser/test_roll_import_browser.py",
        "browser/test_speakers_browser.py",
        "browser/test_voting_ballot_browser.py",
        "browser/test_voting_motion_browser.py",
        "browser/test_voting_paper_browser.py",
        "voting/test_ballot_concurrency.py",
        "voting/test_ballot_views.py",
        "voting/test_count_actions.py",
        "voting/test_count_views.py",
        "voting/test_crash_kill9.py",
        "voting/test_delegation.py",
        "voting/test_detail_links.py",
        "voting/test_documents.py",
        "voting/test_elections_demo.py",
        "voting/test_from_db.py",
        "voting/test_group_commit.py",
        "voting/test_paper_actions.py",
        "voting/test_paper_views.py",
        "voting/test_secrecy_dump.py",
        "web/test_credentials.py",
        "web/test_roll_import.py",
        "web/test_roll_pages.py",
    }
)


def offenders() -> set[str]:
    return {
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("*.py")
        if IMPORTS_A_TEST_FILE.search(path.read_text(encoding="utf-8"))
    }


def test_no_new_test_file_imports_another_test_file():
    assert sorted(offenders() - STILL_TO_MOVE) == []


def test_a_fixed_file_leaves_the_list():
    assert sorted(STILL_TO_MOVE - offenders()) == []


def test_the_pattern_sees_such_an_import():
    assert IMPORTS_A_TEST_FILE.search("from tests.web.test_checkin_views import comparable\n")
    assert IMPORTS_A_TEST_FILE.search("from tests.browser.conftest import box_of\n")
    assert not IMPORTS_A_TEST_FILE.search("from tests.factories import comparable\n")
