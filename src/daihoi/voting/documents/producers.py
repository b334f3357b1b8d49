"""Producers: an election or a motion turned into a `Document`, every figure and every outcome read
from what was stored when it was decided (the certified result, the closed motion); nothing is counted
or decided again here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from daihoi.audit import anchor
from daihoi.congress.models import Congress
from daihoi.rules.minutes import REASON_LABELS
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.documents.blocks import Block, Document, Para, Signatures, Table, Title
from daihoi.voting.documents.wording import (
    anchor_paras,
    at_time,
    basis_line,
    congress_line,
    congress_title,
    header,
    number,
    outcome_line,
    place_of,
    result_label,
    roman,
    signers,
)
from daihoi.voting.models import CountingMember, Election, ElectronicBallot, Motion

Producer = Callable[[Any], Document]
PRODUCERS: dict[str, Producer] = {}


def producer(name: str) -> Callable[[Producer], Producer]:
    def register(fn: Producer) -> Producer:
        PRODUCERS[name] = fn
        return fn

    return register


def counting_members(election: Election) -> list[CountingMember]:
    return list(
        CountingMember.objects.filter(election=election)
        .select_related("delegate")
        .order_by("-is_head", "delegate__number")
    )


def _listed(election: Election, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The result's candidates in ballot order (the result keeps the list's order)."""
    return list(result.get("candidates", []))


def _seats_motion(election: Election) -> Motion | None:
    root = election
    while root.previous_round_id is not None and root.previous_round is not None:
        root = root.previous_round
    return (
        Motion.objects.filter(
            election=root, kind=Motion.Kind.SEATS, status=Motion.Status.CLOSED, is_passed=True
        )
        .order_by("-closed_at", "-pk")
        .first()
    )


def _next_round_text(result: dict[str, Any], names: dict[str, str]) -> str | None:
    nr = result.get("next_round")
    if not nr:
        return None
    who = ", ".join(names.get(c, c) for c in nr["candidates"]) or _("không có")
    if nr["reason"] == "tie":
        return _("Còn %(seats)s chỗ do bằng phiếu ở vị trí cuối; đề nghị Đại hội bầu tiếp giữa: %(who)s.") % {
            "seats": nr["seats"],
            "who": who,
        }
    return _("Còn %(seats)s chỗ do không đủ người đạt quá nửa; có thể ứng cử lại: %(who)s.") % {
        "seats": nr["seats"],
        "who": who,
    }


def _electronic_statement(election: Election) -> str | None:
    """P20: the minutes say so when ballots were cast electronically."""
    cast = ElectronicBallot.objects.filter(election=election).count()
    if not cast:
        return None
    congress = election.congress
    if get_ruleset(congress.rules).electronic_casting_by_organizer:
        return _(
            "Đại hội sử dụng hình thức bỏ phiếu điện tử theo quyết định của cấp ủy triệu tập đại hội "
            "(Ban Tổ chức đại hội bật chức năng bỏ phiếu điện tử cho đại hội); %(cast)s phiếu được bỏ "
            "bằng điện tử, các phiếu còn lại là phiếu giấy."
        ) % {"cast": cast}
    return _("Đại hội sử dụng hình thức bỏ phiếu điện tử; %(cast)s phiếu được bỏ bằng điện tử.") % {
        "cast": cast
    }


def result_view(election: Election) -> dict[str, Any]:
    from daihoi.voting.actions.counting import result_view as view

    return view(election)


def _quorum_override(obj: Election | Motion) -> str | None:
    from daihoi.voting.actions.vote_quorum import quorum_override_note

    return quorum_override_note(obj)


def convened(congress: Congress) -> int:
    """Official delegates whose credentials were not rejected (the congress's attendance figures)."""
    from daihoi.congress.attendance import attendance

    return attendance(congress).convened


def _require_result(election: Election) -> dict[str, Any]:
    if election.status != Election.Status.CERTIFIED or not election.result:
        from daihoi.congress.errors import ActionError

        raise ActionError("not_certified", _("Kết quả chưa được Ban Kiểm phiếu xác nhận."))
    return election.result


def _opening(election: Election, congress: Congress) -> str:
    values = {
        "at": at_time(election.closed_at or election.certified_at),
        "venue": congress.venue or place_of(congress),
        "congress": _("đại hội lần thứ %(ordinal)s") % {"ordinal": roman(congress.ordinal)},
        "election": election.title,
    }
    if not values["venue"]:
        return _("Vào lúc %(at)s, Ban Kiểm phiếu %(congress)s đã tiến hành kiểm phiếu %(election)s.") % values
    return (
        _("Vào lúc %(at)s, tại %(venue)s, Ban Kiểm phiếu %(congress)s đã tiến hành kiểm phiếu %(election)s.")
        % values
    )


@producer("minutes")
def minutes(election: Election) -> Document:
    """P16: the counting minutes, every figure from the certified result."""
    r = _require_result(election)
    congress = election.congress
    b = r["ballots"]
    names = {c["id"]: c["name"] for c in r["candidates"]}
    members = counting_members(election)
    alternates_round = bool(getattr(election, "elects_alternates", False))
    blocks: list[Block] = [
        header(congress, _("BAN KIỂM PHIẾU"), election.certified_at),
        Title(
            _("BIÊN BẢN KIỂM PHIẾU"),
            (
                election.title
                + (_(" (lần bầu %(round)s)") % {"round": election.round} if election.round > 1 else ""),
                congress_title(congress),
            ),
        ),
        Para(_opening(election, congress)),
        Para(_("I. BAN KIỂM PHIẾU"), bold=True, indent=False),
        Table(
            (_("STT"), _("Họ và tên"), _("Chức danh")),
            tuple(
                (str(i), m.delegate.full_name, _("Trưởng ban") if m.is_head else _("Thành viên"))
                for i, m in enumerate(members, start=1)
            ),
            frozenset({0}),
            (1, 6, 3),
        ),
        Para(_("II. SỐ LƯỢNG CẦN BẦU VÀ DANH SÁCH BẦU CỬ"), bold=True, indent=False),
    ]
    seats_text = _("Số lượng cần bầu: %(seats)s.") % {"seats": r["seats"]}
    motion = _seats_motion(election)
    if motion is not None and election.round == 1:
        seats_text += " " + _("Theo biểu quyết của Đại hội “%(title)s”: tán thành %(yes)s/%(base)s.") % {
            "title": motion.title,
            "yes": motion.yes,
            "base": motion.base,
        }
    elif election.round > 1:
        seats_text += " " + _("Số chỗ còn trống sau lần bầu trước, theo quyết định của Đại hội.")
    blocks.append(Para(seats_text))
    if r.get("alternates"):
        blocks.append(Para(_("Số đại biểu dự khuyết cần bầu (cùng phiếu): %(n)s.") % {"n": r["alternates"]}))
    blocks.append(
        Para(_("Danh sách bầu cử (theo thứ tự trên phiếu bầu) gồm %(n)s người:") % {"n": len(names)})
    )
    blocks.append(
        Table(
            (_("STT"), _("Họ và tên")),
            tuple((str(i), c["name"]) for i, c in enumerate(_listed(election, r), start=1)),
            frozenset({0}),
            (1, 9),
        )
    )
    convened_count = convened(congress)
    present = election.present_at_vote
    blocks += [
        Para(_("III. SỐ ĐẠI BIỂU VÀ SỐ PHIẾU"), bold=True, indent=False),
        Para(_("Số đại biểu được triệu tập: %(n)s.") % {"n": convened_count}),
        # One N, stated once, the same line as the count page and the projector.
        Para(_("Cơ sở tính tỷ lệ: %(statement)s.") % {"statement": result_view(election)["base_statement"]}),
    ]
    if present is not None:
        blocks.append(Para(_("Số đại biểu có mặt khi bỏ phiếu: %(n)s.") % {"n": present}))
        blocks.append(Para(_("Số đại biểu vắng mặt: %(n)s.") % {"n": max(0, convened_count - present)}))
    override = _quorum_override(election)  # P3: opened below quorum by the presidium's decision
    if override:
        blocks.append(Para(override, bold=True))
    blocks += [
        Table(
            (_("Số phiếu"), _("Số lượng")),
            (
                (_("Phát ra"), str(b["issued"])),
                (_("Thu vào"), str(b["received"])),
                (_("Hợp lệ"), str(b["valid"])),
                (_("Không hợp lệ"), str(b["invalid"])),
                *(
                    ("    " + _("trong đó: %(reason)s") % {"reason": REASON_LABELS.get(code, code)}, str(n))
                    for code, n in b["invalid_by_reason"].items()
                ),
            ),
            frozenset({1}),
            (7, 3),
        ),
    ]
    electronic = _electronic_statement(election)
    if electronic:
        blocks.append(Para(electronic))
    blocks += [
        Para(_("IV. KẾT QUẢ KIỂM PHIẾU (theo thứ tự trong danh sách bầu cử)"), bold=True, indent=False),
        Table(
            (_("STT"), _("Họ và tên"), _("Số phiếu bầu"), _("Tỷ lệ % so với N"), _("Kết quả")),
            tuple(
                (
                    str(i),
                    c["name"],
                    str(c["votes"]),
                    number(c["percent"]),
                    result_label(
                        "elected_alternate" if alternates_round and c["result"] == "elected" else c["result"]
                    ),
                )
                for i, c in enumerate(_listed(election, r), start=1)
            ),
            frozenset({0, 2, 3}),
            (1, 5, 2, 2, 3),
        ),
        Para(
            _(
                "Tỷ lệ phần trăm tính trên N = %(base)s, làm tròn hai chữ số thập phân (làm tròn lên từ 5). "
                "Người trúng cử phải có số phiếu bầu quá một nửa so với N."
            )
            % {"base": r["base"]}
        ),
        Para(
            _("V. NHỮNG NGƯỜI TRÚNG CỬ DỰ KHUYẾT (theo thứ tự thay thế)")
            if alternates_round
            else _("V. NHỮNG NGƯỜI TRÚNG CỬ (theo số phiếu từ cao xuống)"),
            bold=True,
            indent=False,
        ),
    ]
    by_id = {c["id"]: c for c in r["candidates"]}
    elected = [
        (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), number(by_id[cid]["percent"]))
        for i, cid in enumerate(r["elected"], start=1)
    ]
    blocks.append(
        Table(
            (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ %")),
            tuple(elected),
            frozenset({0, 2, 3}),
            (1, 6, 2, 2),
        )
        if elected
        else Para(_("Không có người trúng cử."))
    )
    if r.get("alternates"):
        alternates = [
            (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), number(by_id[cid]["percent"]))
            for i, cid in enumerate(r["elected_alternates"], start=1)
        ]
        blocks.append(Para(_("Những người trúng cử dự khuyết (theo thứ tự thay thế):"), indent=False))
        blocks.append(
            Table(
                (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ %")),
                tuple(alternates),
                frozenset({0, 2, 3}),
                (1, 6, 2, 2),
            )
            if alternates
            else Para(_("Không có người trúng cử dự khuyết."))
        )
    blocks.append(Para(_("Số chỗ còn trống: %(n)s.") % {"n": r["unfilled_seats"]}))
    next_round = _next_round_text(r, names)
    if next_round:
        blocks.append(Para(next_round, bold=True))
    blocks += [
        Para(
            _(
                "Biên bản lập xong vào lúc %(at)s, đã đọc lại cho Ban Kiểm phiếu cùng nghe, nhất trí và ký tên."
            )
            % {"at": at_time(election.certified_at)},
            keep_with_next=True,
        ),
        *anchor_paras(anchor.latest(f"election:{election.pk}", ("election.certify",))),
        Signatures(signers(members)),
    ]
    return Document(
        filename=f"bien-ban-kiem-phieu-{election.pk}",
        title=_("Biên bản kiểm phiếu"),
        blocks=tuple(blocks),
        meta={"election": election.pk},
    )


@producer("announcement")
def announcement(election: Election) -> Document:
    """The result the head of the counting committee reads to the congress."""
    r = _require_result(election)
    congress = election.congress
    b = r["ballots"]
    names = {c["id"]: c["name"] for c in r["candidates"]}
    by_id = {c["id"]: c for c in r["candidates"]}
    members = counting_members(election)
    head = next((m for m in members if m.is_head), None)
    blocks: list[Block] = [
        header(congress, _("BAN KIỂM PHIẾU"), election.certified_at),
        Title(_("THÔNG BÁO KẾT QUẢ BẦU CỬ"), (election.title, congress_line(congress))),
        Para(
            _(
                "Số phiếu phát ra: %(issued)s; thu vào: %(received)s; hợp lệ: %(valid)s; không hợp lệ: %(invalid)s. "
                "Cơ sở tính N = %(base)s."
            )
            % {**b, "base": r["base"]}
        ),
        Para(_("Những người trúng cử (theo số phiếu từ cao xuống):"), bold=True, indent=False),
        Table(
            (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ % so với N")),
            tuple(
                (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), number(by_id[cid]["percent"]))
                for i, cid in enumerate(r["elected"], start=1)
            ),
            frozenset({0, 2, 3}),
            (1, 6, 2, 3),
        ),
    ]
    if r.get("elected_alternates"):
        blocks.append(
            Para(_("Những người trúng cử dự khuyết (theo thứ tự thay thế):"), bold=True, indent=False)
        )
        blocks.append(
            Table(
                (_("STT"), _("Họ và tên"), _("Số phiếu"), _("Tỷ lệ % so với N")),
                tuple(
                    (str(i), by_id[cid]["name"], str(by_id[cid]["votes"]), number(by_id[cid]["percent"]))
                    for i, cid in enumerate(r["elected_alternates"], start=1)
                ),
                frozenset({0, 2, 3}),
                (1, 6, 2, 3),
            )
        )
    next_round = _next_round_text(r, names)
    if next_round:
        blocks.append(Para(next_round, bold=True))
    electronic = _electronic_statement(election)
    if electronic:
        blocks.append(Para(electronic))
    blocks += anchor_paras(anchor.latest(f"election:{election.pk}", ("election.release", "election.certify")))
    signer = (("T/M BAN KIỂM PHIẾU\nTRƯỞNG BAN", head.delegate.full_name),) if head else ()
    blocks.append(Signatures(signer))
    return Document(
        filename=f"thong-bao-ket-qua-{election.pk}",
        title=_("Thông báo kết quả bầu cử"),
        blocks=tuple(blocks),
        meta={"election": election.pk},
    )


@producer("motion_minutes")
def motion_document(motion: Motion) -> Document:
    """The minutes of one motion: the counts with percents of N, and the outcome exactly as stored when the
    vote closed (the verdict and the test that was applied: P4 against N, P7 against those present...)."""
    from daihoi.voting.actions.motions import motion_minutes

    congress = motion.congress
    if motion.status != Motion.Status.CLOSED:
        from daihoi.congress.errors import ActionError

        raise ActionError("motion_not_closed", _("Nội dung này chưa biểu quyết xong."))
    if motion.is_passed is None:
        from daihoi.congress.errors import ActionError

        raise ActionError("motion_not_decided", _("Nội dung này không có kết quả được ghi nhận."))
    facts = motion_minutes(motion)
    f = facts.get("figures") or {}
    present = motion.present
    blocks: list[Block] = [
        header(congress, _("ĐOÀN CHỦ TỊCH"), motion.closed_at),
        Title(_("BIÊN BẢN BIỂU QUYẾT"), (motion.title, congress_line(congress))),
        Para(
            _("Vào lúc %(at)s, Đại hội biểu quyết nội dung: “%(title)s”, hình thức: %(method)s.")
            % {"at": at_time(motion.closed_at), "title": motion.title, "method": motion.get_method_display()}
        ),
        Para(
            _("Cơ sở tính tỷ lệ: %(statement)s.")
            % {"statement": f.get("base_explanation") or f"N = {motion.base}"}
        ),
    ]
    if present is not None:
        blocks.append(Para(_("Số đại biểu có mặt khi biểu quyết: %(n)s.") % {"n": present}))
    override = _quorum_override(motion)  # P3: opened below quorum by the presidium's decision
    if override:
        blocks.append(Para(override, bold=True))
    blocks.append(
        Table(
            (_("Ý kiến"), _("Số đại biểu"), _("Tỷ lệ % so với N")),
            (
                (_("Tán thành"), str(motion.yes or 0), number(f.get("yes_percent"))),
                (_("Không tán thành"), str(motion.no or 0), number(f.get("no_percent"))),
                (_("Không biểu quyết"), str(motion.abstain or 0), number(f.get("abstain_percent"))),
            ),
            frozenset({1, 2}),
            (5, 2, 3),
        )
    )
    blocks.append(Para(outcome_line(motion.is_passed), bold=True))
    if motion.outcome:
        blocks.append(Para(basis_line(motion.outcome)))
    roll = facts.get("roll") or []
    if roll:
        blocks.append(Para(_("Danh sách biểu quyết công khai:"), bold=True, indent=False))
        blocks.append(
            Table(
                (_("Số"), _("Họ và tên"), _("Ý kiến")),
                tuple((str(v["number"]), v["full_name"], v["choice_label"]) for v in roll),
                frozenset({0}),
                (1, 6, 3),
            )
        )
    blocks += anchor_paras(anchor.latest(f"motion:{motion.pk}", ("motion.close",)))
    blocks.append(Signatures(((_("T/M ĐOÀN CHỦ TỊCH"), ""), (_("THƯ KÝ ĐẠI HỘI"), ""))))
    return Document(
        filename=f"bien-ban-bieu-quyet-{motion.pk}",
        title=_("Biên bản biểu quyết"),
        blocks=tuple(blocks),
        meta={"motion": motion.pk},
    )


def produce(name: str, obj: Any) -> Document:
    return PRODUCERS[name](obj)
