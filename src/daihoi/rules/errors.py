"""Coded errors and warnings of the rules core: a stable `code`, the numbers in `params`, Vietnamese first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# code -> (Vietnamese template, English template). Templates use str.format with the params;
# list params are shown comma-separated. A code missing here is a programming error (KeyError).
MESSAGES: Mapping[str, tuple[str, str]] = {
    # inputs
    "negative_count": ("{field} không được là số âm ({value})", "{field} must not be negative ({value})"),
    "bad_seats": ("Số lượng cần bầu phải từ 1 trở lên ({seats})", "Seats must be at least 1 ({seats})"),
    "bad_ratio": (
        "Tỷ lệ phải nằm trong khoảng 0 đến 1 ({ratio})",
        "The ratio must be between 0 and 1 ({ratio})",
    ),
    "unknown_ruleset": (
        "Không có bộ quy tắc {name} (có: {known})",
        "There is no rule set {name} (known: {known})",
    ),
    # P1, P2
    "unknown_role": ("Không rõ tư cách {role}", "Unknown role {role}"),
    "unknown_congress_kind": ("Không rõ loại đại hội {kind}", "Unknown congress kind {kind}"),
    "unknown_exclusion": (
        "Lý do trừ {reason} không áp dụng cho đại hội loại {kind} (được dùng: {allowed})",
        "Exclusion {reason} does not apply to a {kind} congress (allowed: {allowed})",
    ),
    "exclusions_exceed_convened": (
        "Số trừ ({excluded}) lớn hơn số được triệu tập ({convened})",
        "Exclusions ({excluded}) exceed those convened ({convened})",
    ),
    # P3, S1
    "present_exceeds_convened": (
        "Số có mặt ({present}) lớn hơn số được triệu tập ({convened})",
        "Present ({present}) exceeds convened ({convened})",
    ),
    "quorum_not_met": (
        "Chưa đủ số lượng: {present}/{convened} {unit} có mặt, cần {required}",
        "No quorum: {present}/{convened} {unit_en} present, {required} needed",
    ),
    "majority_impossible": (
        "Cảnh báo: số có mặt ({present}) không quá nửa N ({base}); không nội dung hay ứng cử viên nào "
        "có thể đạt quá nửa",
        "Warning: those present ({present}) are not more than half of N ({base}); no motion or candidate "
        "can pass",
    ),
    "bad_call": ("Lần triệu tập phải là 1, 2 hoặc 3 ({call})", "The call must be 1, 2 or 3 ({call})"),
    # P4, S3
    "votes_exceed_base": (
        "Tổng số biểu quyết ({votes}) lớn hơn cơ sở tính ({base})",
        "Votes cast ({votes}) exceed the base ({base})",
    ),
    "special_not_supported": (
        "Bộ quy tắc {ruleset} không có tỷ lệ riêng cho vấn đề đặc biệt",
        "Rule set {ruleset} has no special-matter ratio",
    ),
    # P15
    "unknown_delegation_mode": (
        "Không rõ cách bầu dự khuyết {mode} (separate hoặc one_ballot)",
        "Unknown delegation mode {mode} (separate or one_ballot)",
    ),
    # P7
    "convening_member_nominates_outside_list": (
        "Ủy viên cấp ủy triệu tập không được đề cử người ngoài danh sách của cấp ủy",
        "A convening-committee member may not nominate anyone outside the committee's list",
    ),
    "convening_member_not_on_list": (
        "Ủy viên cấp ủy triệu tập chỉ được ứng cử khi có tên trong danh sách của cấp ủy",
        "A convening-committee member may stand only when on the committee's list",
    ),
    # P8
    "fewer_candidates_than_seats": (
        "Danh sách có {candidates} người, ít hơn số lượng cần bầu ({seats})",
        "The list has {candidates} names, fewer than the seats ({seats})",
    ),
    "no_surplus": (
        "Danh sách bầu cử phải có số dư: {candidates} người cho {seats} chỗ",
        "The list needs a surplus: {candidates} names for {seats} seats",
    ),
    "surplus_over_cap": (
        "Số dư {surplus} vượt mức tối đa {max_surplus} ({cap} của {seats} chỗ)",
        "A surplus of {surplus} exceeds the maximum {max_surplus} ({cap} of {seats} seats)",
    ),
    "small_body_surplus": (
        "Cơ quan có {seats} chỗ chỉ được dư tối đa 1 người ({candidates} người)",
        "A body of {seats} seats may have at most 1 extra candidate ({candidates} names)",
    ),
    "cap_above_30_percent": (
        "Mức dư tối đa {cap} vượt quá 30%",
        "The surplus cap {cap} is above 30%",
    ),
    "committee_list_surplus_outside_range": (
        "Danh sách của cấp ủy có số dư {surplus}/{seats}, ngoài khoảng 10–15%",
        "The committee's list has a surplus of {surplus}/{seats}, outside 10–15%",
    ),
    # P9
    "counting_member_is_candidate": (
        "Thành viên Ban Kiểm phiếu không được có tên trong danh sách bầu cử: {names}",
        "Counting-committee members may not be candidates: {names}",
    ),
    # P11, P12, S4: ballots
    "no_candidates": ("Danh sách bầu cử trống", "The ballot list is empty"),
    "duplicate_candidate": (
        "Ứng cử viên {candidate} có tên hai lần",
        "Candidate {candidate} is listed twice",
    ),
    "duplicate_ballot": ("Phiếu {ballot} có hai lần", "Ballot {ballot} appears twice"),
    "wrong_mark_count": (
        "Phiếu {ballot} có {got} ô, cần {expected}",
        "Ballot {ballot} has {got} marks, {expected} expected",
    ),
    "bad_mark": (
        "Phiếu {ballot}: ô của {candidate} có giá trị {mark} không hợp lệ",
        "Ballot {ballot}: mark {mark} for {candidate} is not allowed",
    ),
    "bad_weight": (
        "Phiếu {ballot}: trọng số {weight} không hợp lệ",
        "Ballot {ballot}: weight {weight} is not allowed",
    ),
    "unknown_invalid_reason": (
        "Phiếu {ballot}: lý do không hợp lệ {reason} không thuộc bộ quy tắc {ruleset} (được dùng: {allowed})",
        "Ballot {ballot}: invalid reason {reason} is not a code of rule set {ruleset} (allowed: {allowed})",
    ),
    "base_required": (
        "Bộ quy tắc {ruleset} cần cơ sở tính N (số từ 1 trở lên)",
        "Rule set {ruleset} needs the base N (1 or more)",
    ),
    # P17
    "received_exceeds_issued": (
        "Không thể xác nhận: số phiếu thu vào ({received}) lớn hơn số phát ra ({issued})",
        "Cannot certify: ballots received ({received}) exceed ballots issued ({issued})",
    ),
    "issued_exceeds_present": (
        "Không thể xác nhận: số phiếu phát ra ({issued}) lớn hơn số có mặt khi bỏ phiếu ({present})",
        "Cannot certify: ballots issued ({issued}) exceed those present at the vote ({present})",
    ),
    "valid_invalid_mismatch": (
        "Không thể xác nhận: hợp lệ ({valid}) + không hợp lệ ({invalid}) khác số thu vào ({received})",
        "Cannot certify: valid ({valid}) + invalid ({invalid}) differs from received ({received})",
    ),
    "candidate_votes_exceed_valid": (
        "Không thể xác nhận: {candidate} có {votes} phiếu, nhiều hơn mức tối đa {cap}",
        "Cannot certify: {candidate} has {votes} votes, more than the maximum {cap}",
    ),
    "votes_exceed_total": (
        "Không thể xác nhận: tổng số phiếu bầu ({total}) lớn hơn mức tối đa {cap}",
        "Cannot certify: the sum of votes ({total}) exceeds the maximum {cap}",
    ),
    # P18
    "too_few_entries": (
        "Cần ít nhất hai lần nhập độc lập ({count})",
        "At least two independent entries are needed ({count})",
    ),
    "entries_disagree": (
        "Các lần nhập không khớp ở {count} phiếu: {ballots}",
        "The entries disagree on {count} ballots: {ballots}",
    ),
    # P20, S2
    "electronic_casting_not_allowed": (
        "Bộ quy tắc {ruleset} không cho bỏ phiếu điện tử nếu đại hội chưa cho phép",
        "Rule set {ruleset} does not allow electronic casting unless the congress turns it on",
    ),
    "proxies_not_allowed": (
        "Bộ quy tắc {ruleset} không cho phép ủy quyền",
        "Rule set {ruleset} does not allow proxies",
    ),
    "represented_twice": (
        "Cổ đông {holder} được đại diện hai lần",
        "Shareholder {holder} is represented twice",
    ),
    # allocation
    "no_units": ("Không có đơn vị nào để phân bổ", "There are no units to allocate to"),
    "bad_total_seats": ("Tổng số đại biểu không hợp lệ ({total_seats})", "Bad total seats ({total_seats})"),
    "bad_ex_officio": (
        "Số đại biểu đương nhiên ({ex_officio_seats}) không hợp lệ với tổng {total_seats}",
        "Ex-officio seats ({ex_officio_seats}) do not fit the total {total_seats}",
    ),
    "bad_members": (
        "Đơn vị {unit} có số đảng viên không hợp lệ ({members})",
        "Unit {unit} has a bad member count ({members})",
    ),
    "bad_minimum": ("Số tối thiểu mỗi đơn vị không hợp lệ ({minimum})", "Bad minimum per unit ({minimum})"),
    "minimum_not_met": (
        "Không đủ {seats} đại biểu để mỗi đơn vị trong {units} đơn vị có ít nhất {minimum}",
        "{seats} seats cannot give each of {units} units at least {minimum}",
    ),
}


def _show(value: object) -> str:
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return ", ".join(str(v) for v in items)
    return str(value)


def _render(template: str, params: Mapping[str, object]) -> str:
    return template.format(**{k: _show(v) for k, v in params.items()})


class RuleError(Exception):
    """A rule refused the input. `code` is stable (tests assert it); `params` hold the numbers."""

    def __init__(self, code: str, /, **params: Any) -> None:
        vi, en = MESSAGES[code]
        self.code = code
        self.params: dict[str, Any] = params
        self.message = _render(vi, params)
        self.message_en = _render(en, params)
        super().__init__(self.message)


class ReconciliationError(RuleError):
    """P17: the figures of a count do not reconcile, so it cannot be certified."""


@dataclass(frozen=True)
class RuleWarning:
    """A finding the presidium must see but that does not block (e.g. P8's 10–15% range)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _render(MESSAGES[self.code][0], self.params)

    @property
    def message_en(self) -> str:
        return _render(MESSAGES[self.code][1], self.params)
