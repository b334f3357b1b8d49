"""Rule set `party`: QĐ 190-QĐ/TW elections and Charter motions (shared/rules/party.md, P1–P20)."""

from __future__ import annotations

from fractions import Fraction

from daihoi.rules.ruleset import RuleSet

RULESET = RuleSet(
    name="party",
    title="Đại hội Đảng bộ (QĐ 190-QĐ/TW)",
    ballot_form="strike",
    weighted=False,
    base_kind="given",  # P2: N, the official delegates convened less the exclusions
    base_label="N",
    candidate_threshold=Fraction(1, 2),  # P13: 2 × votes > N
    threshold_text="2 × số phiếu > N",
    all_struck_invalid=True,  # P12
    recorded_reasons=frozenset(
        {"not_issued", "added_name", "signed_or_marked", "single_both_or_none", "torn"}
    ),
    surplus_required=True,  # P8
    allows_no_surplus=True,  # P8: secretary or deputy only; the election says whether it applies
    max_surplus_ratio=Fraction(3, 10),
    motion_threshold=Fraction(1, 2),  # P4: 2 × yes > N
    motion_strict=True,
    motion_base_label="N",
    special_motion_threshold=None,
    quorum_ratio=Fraction(2, 3),  # P3 default, settable
    proxies_allowed=False,  # P20
    electronic_casting_allowed=False,  # P20: off by default, the organizer may turn it on
    electronic_casting_settable=True,
    small_body_seats=(3, 5),  # P8: bodies of 3–5 seats, at most 1 extra
    small_body_max_surplus=1,
    committee_list_range=(Fraction(10, 100), Fraction(15, 100)),  # P8: warn outside, never block
    floor_nominee_threshold=Fraction(3, 10),  # P7: more than 30% of those present
    convening_committee_list_only=True,  # P7
    quorum_settable=True,  # P3: the Party texts found set no quorum; ⅔ is a default the congress may change
    quorum_override_allowed=True,  # P3: the presidium may proceed below it, and the minutes say so
    electronic_casting_by_organizer=True,  # P20
)
