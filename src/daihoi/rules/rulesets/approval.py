"""Rule set `approval`: a plain block vote; keep or strike, elected with more than half the valid ballots."""

from __future__ import annotations

from fractions import Fraction

from daihoi.rules.ruleset import RuleSet

RULESET = RuleSet(
    name="approval",
    title="Bầu cử đơn giản (quá nửa số phiếu hợp lệ)",
    ballot_form="strike",
    weighted=False,
    base_kind="valid_ballots",
    base_label="số phiếu hợp lệ",
    candidate_threshold=Fraction(1, 2),  # 2 × votes > valid ballots
    threshold_text="2 × số phiếu > số phiếu hợp lệ",
    all_struck_invalid=False,  # striking everyone is a vote for no one, and counts in the base
    recorded_reasons=frozenset({"not_issued", "added_name", "signed_or_marked", "torn"}),
    surplus_required=False,
    allows_no_surplus=True,
    max_surplus_ratio=None,
    motion_threshold=Fraction(1, 2),  # more than half of the votes cast (the caller passes them as base)
    motion_strict=True,
    motion_base_label="số phiếu biểu quyết",
    motion_base_kind="votes_cast",  # the base is the votes cast on the motion, not N of P2
    special_motion_threshold=None,
    quorum_ratio=Fraction(1, 2),
    proxies_allowed=False,
    electronic_casting_allowed=True,
    electronic_casting_settable=False,  # allowed by the rule set itself: no organizer's switch (P20 is party's)
)
