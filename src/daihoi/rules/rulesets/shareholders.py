"""Rule set `shareholders`: a general meeting under Enterprise Law 59/2020 (shared/rules/shareholders.md)."""

from __future__ import annotations

from fractions import Fraction

from daihoi.rules.ruleset import RuleSet

# S1: the quorum by call (Art. 145): first call more than 50%, second at least 33%, third none.
FIRST_CALL_RATIO = Fraction(1, 2)
SECOND_CALL_RATIO = Fraction(33, 100)

RULESET = RuleSet(
    name="shareholders",
    title="Đại hội đồng cổ đông (Luật Doanh nghiệp 2020)",
    ballot_form="cumulative",  # S4: votes = shares × seats, spread freely
    weighted=True,
    base_kind="shares_present_x_seats",  # S4: percent of shares present × seats
    base_label="cổ phần có mặt × số lượng cần bầu",
    candidate_threshold=None,  # S4: top-N, no majority threshold
    threshold_text="không có ngưỡng; lấy từ cao xuống",
    all_struck_invalid=False,
    recorded_reasons=frozenset({"not_issued", "added_name", "torn"}),
    surplus_required=False,
    allows_no_surplus=True,
    max_surplus_ratio=None,
    motion_threshold=Fraction(1, 2),  # S3: more than 50% of the shares present
    motion_strict=True,
    motion_base_label="cổ phần có mặt",
    special_motion_threshold=Fraction(65, 100),  # S3: at least 65% for the special matters
    quorum_ratio=None,  # S1: by call, see FIRST_CALL_RATIO
    proxies_allowed=True,  # S2
    electronic_casting_allowed=True,  # S1 counts shareholders voting electronically
    electronic_casting_settable=False,  # allowed by the rule set itself: no organizer's switch (P20 is party's)
)
