"""P1 who votes and P2 the base N that every threshold and percentage is measured against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from daihoi.rules.errors import RuleError

CongressKind = Literal["delegates", "general"]

# P1: the roles a person can have at a congress.
ROLES = frozenset({"official", "alternate", "guest", "full_member", "probationary_member"})

# P2: what may be taken off the convened count, by congress kind, with the words the minutes use.
EXCLUSIONS: Mapping[str, Mapping[str, str]] = {
    "delegates": {
        "convening_member_absent": "ủy viên cấp ủy triệu tập vắng mặt suốt thời gian đại hội",
        "absent_not_replaced": "đại biểu chính thức vắng mặt suốt thời gian đại hội, không có dự khuyết thay",
    },
    "general": {
        "temporary_transfer": "đảng viên sinh hoạt tạm thời ở đảng bộ khác",
        "exempt_absent": "đảng viên được miễn sinh hoạt, vắng mặt",
        "suspended": "đảng viên bị đình chỉ sinh hoạt",
        "prosecuted_or_detained": "đảng viên bị khởi tố, truy tố, tạm giam",
        "absent_excused": "đảng viên chính thức vắng mặt suốt thời gian đại hội có lý do được chấp nhận",
    },
}


def may_vote(
    role: str, *, congress_kind: CongressKind = "delegates", replaces_absent_official: bool = False
) -> bool:
    """P1: whether a person with `role` votes. An alternate votes only when replacing an absent official."""
    if role not in ROLES:
        raise RuleError("unknown_role", role=role)
    _check_kind(congress_kind)
    if congress_kind == "general":
        return role == "full_member"
    if role == "official":
        return True
    return role == "alternate" and replaces_absent_official


@dataclass(frozen=True)
class BaseN:
    """P2: N with how it was computed; `exclusions` are (reason code, count) in the order given."""

    value: int
    convened: int
    congress_kind: CongressKind
    exclusions: tuple[tuple[str, int], ...]

    def explain(self) -> str:
        """The line for the minutes, e.g. "N = 165 được triệu tập − 2 (…) = 163"."""
        who = "đại biểu chính thức" if self.congress_kind == "delegates" else "đảng viên chính thức"
        parts = [f"N = {self.convened} {who} được triệu tập"]
        labels = EXCLUSIONS[self.congress_kind]
        parts.extend(f" − {count} ({labels[reason]})" for reason, count in self.exclusions if count)
        return "".join(parts) + f" = {self.value}"


def _check_kind(kind: str) -> None:
    if kind not in EXCLUSIONS:
        raise RuleError("unknown_congress_kind", kind=kind)


def compute_base(
    convened: int,
    exclusions: Mapping[str, int] | Sequence[tuple[str, int]] = (),
    *,
    congress_kind: CongressKind = "delegates",
) -> BaseN:
    """P2 from counts: N = convened − the exclusions allowed for this congress kind."""
    _check_kind(congress_kind)
    if convened < 0:
        raise RuleError("negative_count", field="convened", value=convened)
    pairs = list(exclusions.items()) if isinstance(exclusions, Mapping) else list(exclusions)
    allowed = EXCLUSIONS[congress_kind]
    merged: dict[str, int] = {}
    for reason, count in pairs:
        if reason not in allowed:
            raise RuleError("unknown_exclusion", reason=reason, kind=congress_kind, allowed=sorted(allowed))
        if count < 0:
            raise RuleError("negative_count", field=reason, value=count)
        merged[reason] = merged.get(reason, 0) + count
    excluded = sum(merged.values())
    if excluded > convened:
        raise RuleError("exclusions_exceed_convened", excluded=excluded, convened=convened)
    return BaseN(convened - excluded, convened, congress_kind, tuple(merged.items()))
