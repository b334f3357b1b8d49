"""Every error code the core raises has a Vietnamese and an English message."""

from __future__ import annotations

import pathlib
import re

import daihoi.rules
from daihoi.rules.errors import MESSAGES, RuleError, RuleWarning


def test_every_raised_code_has_messages():
    root = pathlib.Path(daihoi.rules.__file__).parent
    pattern = re.compile(r'(?:RuleError|ReconciliationError|RuleWarning)\(\s*"([a-z_0-9]+)"')
    used = {code for path in root.rglob("*.py") for code in pattern.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 40
    assert used <= set(MESSAGES), used - set(MESSAGES)
    assert set(MESSAGES) <= used, set(MESSAGES) - used  # no dead messages either


def test_lists_are_shown_comma_separated_in_both_languages():
    e = RuleError("entries_disagree", count=2, ballots=["3", "17"])
    assert e.message == "Các lần nhập không khớp ở 2 phiếu: 3, 17"
    assert e.message_en == "The entries disagree on 2 ballots: 3, 17"
    w = RuleWarning("majority_impossible", {"present": 15, "base": 30})
    assert "15" in w.message and "30" in w.message_en
