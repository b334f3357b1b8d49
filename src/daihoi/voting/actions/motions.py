"""Motions (biểu quyết, P4, P5): create, open, cast from a phone, close with the rules core's outcome.

A motion passes against the base N of P2, never against those present (P4). N and the present count
are fixed when the vote closes and stored on the motion with how N was computed.

Anonymous electronic motions are encrypted like electronic ballots (issue 10, `motion_ballots`): the
phone encrypts its answer under the congress's motion key, the server keeps `MotionParticipation` (who)
and `MotionEncryptedBallot` (ciphertext only); at the close the motion waits in `counting` until t key
holders decrypt the totals, and only then is the verdict decided, here, once (`_decide`). Named motions
(roll call) are public: `NamedVote` keeps who answered what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import anchor
from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress, Delegate
from daihoi.rules.errors import RuleError
from daihoi.rules.motions import decide_motion, motion_base
from daihoi.rules.nomination import FloorNomineeOutcome, decide_floor_nominee
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.actions import motion_ballots
from daihoi.voting.actions.vote_quorum import (
    check_quorum,
    congress_base,
    present_voters,
    record_quorum_override,
)
from daihoi.voting.actions.voters import check_may_vote
from daihoi.voting.models import Candidate, Choice, Election, Motion, MotionParticipation, NamedVote

MAX_NONCE = 64
CHOICES = frozenset(Choice.values)


# --- the motion kinds another module carries out ---------------------------------------------------


@dataclass(frozen=True)
class MotionKindHooks:
    """What a motion of a given kind does beyond its vote: `check_may_open` refuses to open it (called by
    `open_motion`), `apply` carries out what it decided (called by `close_motion`, in its transaction)."""

    check_may_open: Callable[[Motion], None]
    apply: Callable[[Motion, Actor], None]


_kind_hooks: dict[str, MotionKindHooks] = {}


def register_motion_kinds(kinds: Iterable[str], hooks: MotionKindHooks) -> None:
    """Called once at import by the module that owns these kinds (the elections' steps register theirs)."""
    for kind in kinds:
        _kind_hooks[kind] = hooks


def _hooks(motion: Motion) -> MotionKindHooks | None:
    """The hooks of an election's motion; a kind no step registered (a resolution) has none."""
    if motion.election_id is None:
        return None
    # `daihoi.voting.actions` imports the elections' steps, which register their kinds: never skipped.
    assert _kind_hooks, "no motion kinds registered: import daihoi.voting.actions.elections"
    return _kind_hooks.get(motion.kind)


# --- facts for audit, screens and minutes ----------------------------------------------------------


def motion_facts(motion: Motion) -> dict[str, Any]:
    return {
        "title": motion.title,
        "kind": motion.kind,
        "method": motion.method,
        "status": motion.status,
        "payload": motion.payload,
        "yes": motion.yes,
        "no": motion.no,
        "abstain": motion.abstain,
        "base": motion.base,
        "present": motion.present,
        "is_passed": motion.is_passed,
    }


def vote_count(motion: Motion) -> int:
    """How many have answered an electronic or named motion so far (never what)."""
    if motion.method == Motion.Method.NAMED:
        return motion.named_votes.count()
    if motion.method == Motion.Method.ELECTRONIC:
        return motion.participations.count()
    return 0


# --- create, open ----------------------------------------------------------------------------------


def create_motion(
    congress: Congress,
    *,
    actor: Actor,
    title: str,
    kind: str = Motion.Kind.OTHER,
    method: str = Motion.Method.SHOW_OF_HANDS,
    payload: Any = None,
    election: Election | None = None,
    candidate: Candidate | None = None,
    agenda_item: AgendaItem | None = None,
) -> Motion:
    """A draft motion. Election steps create theirs through `daihoi.voting.actions.elections`."""
    title = " ".join((title or "").split())
    if not title:
        raise ActionError("title_required", _("Cần nhập nội dung biểu quyết."))
    if len(title) > 500:
        raise ActionError(
            "title_too_long", _("Nội dung biểu quyết dài quá 500 ký tự (%(n)s).") % {"n": len(title)}
        )
    if kind not in Motion.Kind.values:
        raise ActionError("bad_kind", _("Không rõ loại biểu quyết “%(kind)s”.") % {"kind": kind})
    if method not in Motion.Method.values:
        raise ActionError("bad_method", _("Không rõ hình thức biểu quyết “%(method)s”.") % {"method": method})
    for obj in (election, agenda_item):
        if obj is not None and obj.congress_id != congress.pk:
            raise ActionError("wrong_congress", _("Nội dung này thuộc đại hội khác."))
    with transaction.atomic():
        motion = Motion.objects.create(
            congress=congress,
            title=title,
            kind=kind,
            method=method,
            payload=payload,
            election=election,
            candidate=candidate,
            agenda_item=agenda_item,
        )
        audit.record(
            actor=actor.label,
            action="motion.created",
            congress_id=congress.pk,
            obj=motion,
            after=motion_facts(motion),
        )
        live.publish(congress)
    return motion


def _locked(motion: Motion) -> Motion:
    return Motion.objects.select_for_update().select_related("congress").get(pk=motion.pk)


def _require_session(congress: Congress) -> None:
    if congress.state != Congress.State.IN_SESSION:
        raise ActionError(
            "not_in_session",
            _("Chỉ biểu quyết khi đại hội đang họp (trạng thái: %(state)s).")
            % {"state": congress.get_state_display()},
        )


def open_motion(motion: Motion, *, actor: Actor, quorum_override: bool = False) -> Motion:
    """Put a draft motion to the vote. One motion is open at a time in a congress, and only with quorum
    (P3; below it only by the presidium's recorded override, where the rule set allows one)."""
    with transaction.atomic():
        m = _locked(motion)
        _require_session(m.congress)
        override = check_quorum(m.congress, override=quorum_override)
        if m.status != Motion.Status.DRAFT:
            raise ActionError(
                "motion_not_draft",
                _("Nội dung “%(title)s” đã được đưa ra biểu quyết.") % {"title": m.title},
            )
        other = (
            Motion.objects.filter(congress_id=m.congress_id, status=Motion.Status.OPEN)
            .exclude(pk=m.pk)
            .first()
        )
        if other is not None:
            raise ActionError(
                "another_motion_open",
                _("Đang biểu quyết “%(title)s”; hãy kết thúc trước khi mở nội dung khác.")
                % {"title": other.title},
            )
        hooks = _hooks(m)
        if hooks is not None:
            hooks.check_may_open(m)
        if motion_ballots.is_secret(m):
            motion_ballots.require_motion_key(m.congress)
        before = motion_facts(m)
        m.status = Motion.Status.OPEN
        m.opened_at = timezone.now()
        m.save(update_fields=["status", "opened_at"])
        audit.record(
            actor=actor.label,
            action="motion.opened",
            congress_id=m.congress_id,
            obj=m,
            before=before,
            after=motion_facts(m),
        )
        if override is not None:
            record_quorum_override(actor, m, m.congress_id, override)
        live.publish(m.congress)
    return m


# --- cast from a phone -----------------------------------------------------------------------------


def cast_motion_vote(motion: Motion, *, actor: Actor, choice: str, nonce: str) -> bool:
    """A delegate's public answer to an open named motion. Returns False when `nonce` was already
    counted (a double tap or a network retry): the answer counts once. An anonymous electronic motion
    takes only an encrypted answer (`motion_ballots.cast_encrypted`)."""
    if choice not in CHOICES:
        raise ActionError("bad_choice", _("Lựa chọn không hợp lệ: “%(choice)s”.") % {"choice": choice})
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > MAX_NONCE:
        raise ActionError(
            "bad_nonce", _("Thiếu mã lần gửi (nonce) hoặc mã dài quá %(n)s ký tự.") % {"n": MAX_NONCE}
        )
    delegate = actor.delegate
    if motion_ballots.is_secret(motion):
        raise ActionError(
            "encrypted_answer_required",
            _("Biểu quyết kín: câu trả lời phải được mã hóa trên điện thoại; xin tải lại trang."),
        )
    seen_model = NamedVote
    try:
        with transaction.atomic():
            m = _locked(motion)
            seen = seen_model.objects.filter(nonce=nonce).first()
            if seen is not None:
                if delegate is not None and seen.motion_id == m.pk and seen.delegate_id == delegate.pk:
                    return False
                raise ActionError(
                    "nonce_reused", _("Mã lần gửi này đã được dùng cho một lần biểu quyết khác.")
                )
            if m.method == Motion.Method.SHOW_OF_HANDS:
                raise ActionError(
                    "not_electronic", _("Nội dung này biểu quyết bằng giơ tay, không qua điện thoại.")
                )
            if m.status != Motion.Status.OPEN:
                raise ActionError(
                    "motion_not_open", _("Nội dung “%(title)s” không đang biểu quyết.") % {"title": m.title}
                )
            d = check_may_vote(m.congress_id, delegate, refresh=True)
            if seen_model.objects.filter(motion=m, delegate=d).exists():
                raise ActionError("already_voted", _("Đồng chí đã biểu quyết nội dung này."))
            if m.method != Motion.Method.NAMED:
                raise ActionError(
                    "encrypted_answer_required",
                    _("Biểu quyết kín: câu trả lời phải được mã hóa trên điện thoại; xin tải lại trang."),
                )
            NamedVote.objects.create(motion=m, delegate=d, choice=choice, nonce=nonce)
            after: dict[str, Any] = {"delegate": d.number, "choice": choice}
            audit.record(
                actor=actor.label, action="motion.voted", congress_id=m.congress_id, obj=m, after=after
            )
            live.motion_count(m.congress_id, m.pk)
            return True
    except IntegrityError:
        # A concurrent twin of this request won the race; it counted, this one does not.
        if (
            delegate is not None
            and seen_model.objects.filter(motion_id=motion.pk, delegate_id=delegate.pk).exists()
        ):
            if seen_model.objects.filter(nonce=nonce).exists():
                return False
            raise ActionError("already_voted", _("Đồng chí đã biểu quyết nội dung này.")) from None
        raise


# --- close -----------------------------------------------------------------------------------------


def _counted(m: Motion) -> tuple[int, int, int]:
    rows = m.named_votes.values("choice").annotate(n=Count("pk"))
    by = {r["choice"]: r["n"] for r in rows}
    return by.get(Choice.YES, 0), by.get(Choice.NO, 0), by.get(Choice.ABSTAIN, 0)


def _hand_counts(yes: Any, no: Any, abstain: Any, present: int) -> tuple[int, int, int]:
    values: list[int] = []
    for label, raw in ((_("Tán thành"), yes), (_("Không tán thành"), no), (_("Không biểu quyết"), abstain)):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise ActionError(
                "count_required", _("Cần nhập số “%(field)s”.") % {"field": label}, field=str(label)
            )
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ActionError(
                "count_not_number",
                _("“%(field)s” phải là số nguyên (%(value)s).") % {"field": label, "value": raw},
                field=str(label),
            ) from None
        if value < 0:
            raise ActionError(
                "negative_count",
                _("“%(field)s” không được là số âm (%(value)s).") % {"field": label, "value": value},
                field=str(label),
            )
        values.append(value)
    total = sum(values)
    if total > present:
        raise ActionError(
            "counts_exceed_present",
            _("Tổng số biểu quyết (%(total)s) lớn hơn số đại biểu có mặt (%(present)s).")
            % {"total": total, "present": present},
            total=total,
            present=present,
        )
    return values[0], values[1], values[2]


def _percent_text(share: Fraction) -> str:
    pct = share * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else f"{pct.numerator}/{pct.denominator}%"


def floor_nominee_text(outcome: FloorNomineeOutcome, threshold: Fraction = Fraction(3, 10)) -> str:
    """P7's outcome line, with the core's figures: more than the rule set's share of those present."""
    verdict = _("Đưa vào danh sách") if outcome.admitted else _("Không đưa vào danh sách")
    return _(
        "%(verdict)s: %(agree)s/%(present)s đại biểu có mặt tán thành; cần hơn %(share)s số đại biểu có mặt, "
        "tức ít nhất %(needed)s"
    ) % {
        "verdict": verdict,
        "agree": outcome.agree,
        "present": outcome.present,
        "needed": outcome.required,
        "share": _percent_text(threshold),
    }


def close_motion(
    motion: Motion, *, actor: Actor, yes: Any = None, no: Any = None, abstain: Any = None
) -> Motion:
    """End the vote. Show of hands takes the counts the presidium entered; named votes count the stored
    answers; an anonymous electronic motion checks its ballots' proofs, adds them up encrypted and waits
    in `counting` for t key holders to decrypt the totals (`decrypt_motion`), fixing N and those present
    now. The rules core decides against N (P4), or against those present for a floor nominee (P7), and
    the election step the motion decides (seats, list, withdrawal...) is applied in the same transaction."""
    with transaction.atomic():
        m = _locked(motion)
        congress = m.congress
        if m.status != Motion.Status.OPEN:
            raise ActionError(
                "motion_not_open", _("Nội dung “%(title)s” không đang biểu quyết.") % {"title": m.title}
            )
        present = present_voters(congress)
        base = congress_base(congress)
        before = motion_facts(m)
        if motion_ballots.is_secret(m):
            motion_ballots.seal_totals(m)
            m.base, m.present, m.base_explanation = base.value, present, base.explain()
            m.status = Motion.Status.COUNTING
            m.closed_at = timezone.now()
            m.save()
            audit.record(
                actor=actor.label,
                action="motion.closed_for_count",
                congress_id=congress.pk,
                obj=m,
                before=before,
                after={
                    **motion_facts(m),
                    "accepted": m.ballots_accepted,
                    "bad_proof": m.ballots_rejected,
                },
            )
            live.publish(congress)
            return m
        if m.method == Motion.Method.SHOW_OF_HANDS:
            y, n, a = _hand_counts(yes, no, abstain, present)
        else:
            y, n, a = _counted(m)
        _decide(m, actor, (y, n, a), present, base.value, base.explain(), before)
    return m


def decrypt_motion(motion: Motion, *, actor: Actor, partial: Any) -> Motion:
    """A key holder's partial decryption of a counting motion's totals, from their own device. With t
    valid ones the totals are read and the verdict decided, once, from them (`_decide`)."""
    delegate = actor.delegate
    if delegate is None:
        raise ActionError("not_key_holder", _("Bạn không phải người giữ khóa biểu quyết kín của đại hội."))
    with transaction.atomic():
        m = _locked(motion)
        before = motion_facts(m)
        counts = motion_ballots.add_partial(m, delegate, partial)
        if counts is None:
            m.save(update_fields=["partials"])
            live.publish(m.congress)
            return m
        assert m.base is not None and m.present is not None
        _decide(m, actor, counts, m.present, m.base, m.base_explanation, before)
    return m


def _decide(
    m: Motion,
    actor: Actor,
    counts: tuple[int, int, int],
    present: int,
    given_base: int,
    given_explanation: str,
    before: dict[str, Any],
) -> None:
    """The one place a motion's verdict is decided and stored (in the caller's transaction, the motion
    locked): the rules core on (yes, no, abstain), whichever way they were counted."""
    congress = m.congress
    y, n, a = counts
    try:
        # One base, from the core: N of P2 (party) or the votes cast (approval); stored with its line.
        measured = motion_base(
            yes=y,
            no=n,
            abstain=a,
            given=given_base,
            given_explanation=given_explanation,
            ruleset=congress.rules,
        )
        outcome = decide_motion(
            yes=y, no=n, abstain=a, base=measured.value, ruleset=congress.rules, special=m.is_special
        )
        threshold = get_ruleset(congress.rules).floor_nominee_threshold
        if m.kind == Motion.Kind.FLOOR_NOMINEE and threshold is not None:
            nominee = decide_floor_nominee(agree=y, present=present, threshold=threshold)
            passed, text = nominee.admitted, floor_nominee_text(nominee, threshold)
        else:
            passed, text = outcome.passed, outcome.explain()
    except RuleError as e:
        raise rule_error(e) from e
    m.yes, m.no, m.abstain = y, n, a
    m.base, m.present, m.base_explanation = measured.value, present, measured.explanation
    m.is_passed, m.outcome = passed, text
    m.status = Motion.Status.CLOSED
    m.closed_at = m.closed_at or timezone.now()
    m.save()
    audit.record(
        actor=actor.label,
        action="motion.closed",
        congress_id=congress.pk,
        obj=m,
        before=before,
        after={**motion_facts(m), "outcome": m.outcome, "base_explanation": m.base_explanation},
    )
    hooks = _hooks(m)
    if hooks is not None:
        hooks.apply(m, actor)
    anchor.record("motion.close", f"motion:{m.pk}", congress_id=congress.pk)
    live.publish(congress)


# --- what the delegate and the minutes see ----------------------------------------------------------


def delegate_motions(congress: Congress, delegate: Delegate) -> dict[str, Any]:
    """The open motion (if any) and whether this delegate answered it, and the motions they answered:
    for an anonymous motion only that they did; for a named one, their public answer."""
    answered_anon = set(
        MotionParticipation.objects.filter(delegate=delegate).values_list("motion_id", flat=True)
    )
    named = dict(NamedVote.objects.filter(delegate=delegate).values_list("motion_id", "choice"))
    labels = dict(Choice.choices)
    open_motion_row = (
        congress.motions.filter(status=Motion.Status.OPEN)
        .exclude(method=Motion.Method.SHOW_OF_HANDS)
        .order_by("-opened_at")
        .first()
    )
    history = []
    for m in congress.motions.filter(pk__in=answered_anon | set(named)).order_by("-opened_at", "-pk"):
        history.append(
            {
                "motion": m,
                "choice": labels.get(named[m.pk]) if m.pk in named else None,
                "is_named": m.pk in named,
            }
        )
    return {
        "open": open_motion_row,
        "has_voted_open": open_motion_row is not None
        and (open_motion_row.pk in answered_anon or open_motion_row.pk in named),
        "history": history,
    }


def motion_minutes(motion: Motion) -> dict[str, Any]:
    """Every figure of a motion for its minutes (rendered by the documents code): the congress, what was
    decided, how, the counts with percents of N, the test applied, the result, and for a named vote the roll."""
    from daihoi.rules.figures import percent

    m = Motion.objects.select_related("congress", "congress__organization", "election", "candidate").get(
        pk=motion.pk
    )
    congress = m.congress
    closed = m.status == Motion.Status.CLOSED
    base = m.base or 0
    figures: dict[str, Any] = {}
    if closed:
        figures = {
            "yes": m.yes,
            "no": m.no,
            "abstain": m.abstain,
            "voted": (m.yes or 0) + (m.no or 0) + (m.abstain or 0),
            "not_voted": max(0, (m.present or 0) - ((m.yes or 0) + (m.no or 0) + (m.abstain or 0))),
            "yes_percent": percent(m.yes or 0, base),
            "no_percent": percent(m.no or 0, base),
            "abstain_percent": percent(m.abstain or 0, base),
            "base": m.base,
            "base_explanation": m.base_explanation,
            "present": m.present,
            "absent": max(0, base - (m.present or 0)),
            "is_passed": m.is_passed,
            "outcome": m.outcome,
        }
    roll = []
    if m.method == Motion.Method.NAMED and closed:
        labels = dict(Choice.choices)
        for v in m.named_votes.select_related("delegate").order_by("delegate__number"):
            roll.append(
                {"number": v.delegate.number, "full_name": v.delegate.full_name, "choice": v.choice,
                 "choice_label": str(labels[v.choice])}
            )  # fmt: skip
    return {
        "congress": {
            "organization": congress.organization.name,
            "name": congress.name,
            "ordinal": congress.ordinal,
            "term": congress.term,
            "venue": congress.venue,
            "rules": congress.rules,
        },
        "motion": {
            "id": m.pk,
            "title": m.title,
            "kind": m.kind,
            "kind_label": str(m.get_kind_display()),
            "method": m.method,
            "method_label": str(m.get_method_display()),
            "status": m.status,
            "payload": m.payload,
            "election": m.election.title if m.election else None,
            "candidate": m.candidate.full_name if m.candidate else None,
            "opened_at": m.opened_at,
            "closed_at": m.closed_at,
        },
        "figures": figures,
        "roll": roll,
    }
