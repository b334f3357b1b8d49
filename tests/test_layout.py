"""No test file imports another test file, nor a conftest: shared builders live in tests/factories.py or,
when big and specific to one area, in tests/support/ (not test files); fixtures reach tests by pytest's
injection, never by import."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
IMPORTS_A_TEST_FILE = re.compile(
    r"^\s*(?:from tests\.[\w.]*\btest_\w+ import|from tests\.\w+ import [^\n]*\btest_\w+|"
    r"import tests\.[\w.]*\btest_\w+|from tests\.\w+\.conftest import)",
    re.MULTILINE,
)


def offenders() -> set[str]:
    return {
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("*.py")
        if IMPORTS_A_TEST_FILE.search(path.read_text(encoding="utf-8"))
    }


def test_no_test_file_imports_another_test_file():
    assert sorted(offenders()) == []


def test_the_pattern_sees_such_an_import():
    assert IMPORTS_A_TEST_FILE.search("from tests.web.test_checkin_views import comparable\n")
    assert IMPORTS_A_TEST_FILE.search("from tests.browser.conftest import box_of\n")
    assert IMPORTS_A_TEST_FILE.search("    from tests.voting.test_count_actions import (\n")
    assert not IMPORTS_A_TEST_FILE.search("from tests.factories import comparable\n")
    assert not IMPORTS_A_TEST_FILE.search("from tests.support.counting import worked_example\n")
