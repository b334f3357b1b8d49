"""Paper ballots entered by the counting committee: batches, keyboard entry by two teams, mismatches
ballot by ballot, resolution by the head, and agreed ballots (P18).

Keyboard entry: a clerk types the ballot-position numbers of the struck names, each with the same
number of digits (1 digit for lists up to 9, 2 up to 99), then Enter: "0307" strikes 3 and 7, and an
empty line is a ballot with every name kept. "*" and a letter records an invalid-ballot reason
(`REASON_KEYS`). On a list with no surplus the numbers mark "disagree", and "+" then numbers marks
names whose two boxes were both ticked or left empty. Reasons decided by the marks (too many kept,
all struck) are never typed: the rules core computes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.rules.entries import compare_entries
from daihoi.rules.minutes import REASON_LABELS
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.actions.counting import ballot_list
from daihoi.voting.models import Candidate, Election, PaperBallot, PaperBatch, PaperEntry

# One key per reason the counting committee records (P12); the rule set says which apply.
REASON_KEYS: Mapping[str, str] = {
    "k": "not_issued",  # không phải phiếu phát ra / không dấu
    "t": "added_name",  # ghi thêm tên
    "d": "signed_or_marked",  # đánh dấu, ký tên
    "r": "torn",  # rách
    "h": "single_both_or_none",  # danh sách một người: hai ô hoặc không ô nào
}
TEAMS = (1, 2, 3)
_SEPARATORS = re.compile(r"[\s,.;/]+")


def reason_keys(ruleset: str) -> dict[str, str]:
    """The reason keys that apply under `ruleset`: key → reason code."""
    recorded = get_ruleset(ruleset).recorded_reasons
    return {k: code for k, code in REASON_KEYS.items() if code in recorded}


def reason_label(code: str) -> str:
    return REASON_LABELS.get(code, code)


@dataclass(frozen=True)
class Reading:
    """What a clerk read from one ballot: positions struck (1-based), positions blank, or a reason."""

    struck: tuple[int, ...] = ()
    blank: tuple[int, ...] = ()
    reason: str = ""

    def marks(self, listed: Sequence[Candidate]) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for position, c in enumerate(listed, start=1):
            out[c.code] = None if position in self.blank else 0 if position in self.struck else 1
        return out


def digits_per_number(candidates: int) -> int:
    return len(str(max(candidates, 1)))


def _positions(text: str, n: int, width: int) -> tuple[int, ...]:
    text = text.strip()
    if not text:
        return ()
    if _SEPARATORS.search(text):
        tokens = [t for t in _SEPARATORS.split(text) if t]
    else:
        if len(text) % width:
            raise ActionError(
                "keys_width",
                _("Mỗi số thứ tự gõ đủ %(width)s chữ số (ví dụ %(example)s); đã gõ “%(text)s”.")
                % {
                    "width": width,
                    "example": "03" if width == 2 else "3" if width == 1 else "003",
                    "text": text,
                },
            )
        tokens = [text[i : i + width] for i in range(0, len(text), width)]
    out: list[int] = []
    for t in tokens:
        if not t.isascii() or not t.isdigit():
            raise ActionError("keys_not_number", _("“%(token)s” không phải số thứ tự.") % {"token": t})
        p = int(t)
        if not 1 <= p <= n:
            raise ActionError(
                "keys_out_of_range",
                _("Số thứ tự %(position)s không có trên phiếu (1–%(n)s).") % {"position": p, "n": n},
            )
        if p in out:
            raise ActionError("keys_repeated", _("Số thứ tự %(position)s gõ hai lần.") % {"position": p})
        out.append(p)
    return tuple(sorted(out))


def parse_keys(keys: str, *, candidates: int, ruleset: str) -> Reading:
    """Turn what the clerk typed into a Reading, or ActionError saying what is wrong in the keys."""
    text = keys.strip()
    if text.startswith("*"):
        key = text[1:].strip().lower()
        allowed = reason_keys(ruleset)
        if key not in allowed:
            listed = ", ".join(f"*{k} = {reason_label(c)}" for k, c in allowed.items())
            raise ActionError(
                "keys_reason",
                _("Mã phiếu không hợp lệ “%(key)s” không có; dùng: %(allowed)s")
                % {"key": key, "allowed": listed},
            )
        return Reading(reason=allowed[key])
    width = digits_per_number(candidates)
    struck_text, _plus, blank_text = text.partition("+")
    struck = _positions(struck_text, candidates, width)
    blank = _positions(blank_text, candidates, width)
    both = set(struck) & set(blank)
    if both:
        raise ActionError(
            "keys_both",
            _("Số thứ tự %(positions)s vừa gạch vừa để trống.")
            % {"positions": ", ".join(map(str, sorted(both)))},
        )
    return Reading(struck=struck, blank=blank)


def normalize_ballot_number(raw: str) -> str:
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ActionError(
            "bad_ballot_number", _("Số phiếu “%(number)s” phải là số nguyên dương.") % {"number": raw}
        )
    return str(int(text))


def describe(
    marks: Mapping[str, int | None] | None, reason: str, listed: Sequence[Candidate]
) -> dict[str, Any]:
    """A reading for people: the struck names (and blank ones), or the invalid reason."""
    if marks is None:
        return {"missing": True, "text": _("(chưa nhập)")}
    if reason:
        return {"reason": reason, "text": _("Không hợp lệ: %(reason)s") % {"reason": reason_label(reason)}}
    struck = [f"{i}. {c.full_name}" for i, c in enumerate(listed, start=1) if marks.get(c.code) == 0]
    blank = [f"{i}. {c.full_name}" for i, c in enumerate(listed, start=1) if marks.get(c.code) is None]
    text = _("Gạch: %(names)s") % {"names": "; ".join(struck)} if struck else _("Không gạch tên nào")
    if blank:
        text += " — " + _("Hai ô hoặc không ô: %(names)s") % {"names": "; ".join(blank)}
    return {"struck": struck, "blank": blank, "text": text}


def _check_election(election: Election) -> None:
    if not election.allows_paper:
        raise ActionError("paper_not_allowed", _("Cuộc bầu cử này không dùng phiếu giấy."))
    if election.status != Election.Status.CLOSED:
        raise ActionError(
            "election_state",
            _("Chỉ nhập phiếu giấy khi đã đóng bỏ phiếu và chưa xác nhận kết quả (hiện: %(state)s).")
            % {"state": election.get_status_display()},
        )


def _locked_batch(batch: PaperBatch) -> PaperBatch:
    b = PaperBatch.objects.select_for_update().select_related("election__congress").get(pk=batch.pk)
    # The election row too: certification (which locks it) then sees every entry or none of a write.
    b.election = Election.objects.select_for_update().select_related("congress").get(pk=b.election_id)
    _check_election(b.election)
    if b.is_reconciled:
        raise ActionError("batch_closed", _("Lô phiếu %(number)s đã chốt.") % {"number": b.number})
    return b


def create_batch(election: Election, actor: Actor, *, label: str = "") -> PaperBatch:
    with transaction.atomic():
        e = Election.objects.select_for_update().select_related("congress").get(pk=election.pk)
        _check_election(e)
        number = (e.paper_batches.aggregate(m=Max("number"))["m"] or 0) + 1
        batch = PaperBatch.objects.create(election=e, number=number, label=label.strip()[:100])
        audit.record(
            actor=actor.label,
            action="paper.batch_create",
            congress_id=e.congress_id,
            obj=batch,
            after={"election": e.pk, "number": number, "label": batch.label},
        )
    return batch


@dataclass(frozen=True)
class Saved:
    entry: PaperEntry
    reading: dict[str, Any]
    next_ballot_number: str


def _entry_state(entry: PaperEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "team": entry.team,
        "ballot_number": entry.ballot_number,
        "invalid_reason": entry.invalid_reason,
        "marks": entry.marks,
        "entered_by": entry.entered_by,
    }


def record_entry(batch: PaperBatch, actor: Actor, *, team: int, ballot_number: str, keys: str) -> Saved:
    """Save one team's reading of one ballot. Typing the same ballot again replaces that team's reading
    (a retried Enter changes nothing)."""
    if team not in TEAMS:
        raise ActionError("bad_team", _("Tổ nhập phải là 1, 2 hoặc 3."))
    number = normalize_ballot_number(ballot_number)
    with transaction.atomic():
        b = _locked_batch(batch)
        listed = ballot_list(b.election)
        reading = parse_keys(keys, candidates=len(listed), ruleset=b.election.congress.rules)
        elsewhere = (
            PaperEntry.objects.filter(batch__election=b.election, ballot_number=number)
            .exclude(batch=b)
            .values_list("batch__number", flat=True)
            .first()
        )
        if elsewhere is not None:
            raise ActionError(
                "ballot_in_other_batch",
                _("Phiếu số %(ballot)s đã được nhập ở lô %(batch)s.")
                % {"ballot": number, "batch": elsewhere},
            )
        previous = PaperEntry.objects.filter(batch=b, team=team, ballot_number=number).first()
        before = _entry_state(previous)
        if previous is not None:
            previous.delete()  # re-created so that "the last entry" (undo) is this one
        _reopen(b, team)
        entry = PaperEntry.objects.create(
            batch=b,
            team=team,
            ballot_number=number,
            invalid_reason=reading.reason,
            marks=reading.marks(listed),
            entered_by=actor.label[:150],
        )
        audit.record(
            actor=actor.label,
            action="paper.entry",
            congress_id=b.election.congress_id,
            obj=b,
            before=before,
            after=_entry_state(entry),
        )
    reading_out = describe(entry.marks, entry.invalid_reason, listed)
    decided = judged_reason(b.election, listed, entry)
    if decided:
        reading_out["decided_reason"] = decided
        reading_out["text"] += " — " + _("Không hợp lệ: %(reason)s") % {"reason": reason_label(decided)}
    return Saved(entry, reading_out, str(int(number) + 1))


def judged_reason(election: Election, listed: Sequence[Candidate], entry: PaperEntry) -> str:
    """The reason the rules core finds in the marks alone (too many kept, all struck), shown to the clerk."""
    if entry.invalid_reason:
        return ""
    from daihoi.rules import counting as core
    from daihoi.voting.actions.counting import core_election

    marks = tuple(entry.marks.get(c.code) for c in listed)
    counted = core.count_ballots(core_election(election, listed), [core.Ballot(entry.ballot_number, marks)])
    return next(iter(counted.invalid_by_reason), "")


def undo_last_entry(batch: PaperBatch, actor: Actor, *, team: int) -> PaperEntry | None:
    """Remove this team's last saved ballot in the batch; returns it (unsaved) or None."""
    with transaction.atomic():
        b = _locked_batch(batch)
        last = PaperEntry.objects.filter(batch=b, team=team).order_by("-pk").first()
        if last is None:
            return None
        before = _entry_state(last)
        last.delete()
        _reopen(b, team)
        audit.record(
            actor=actor.label,
            action="paper.undo",
            congress_id=b.election.congress_id,
            obj=b,
            before=before,
            after=None,
        )
    return last


# --- P18: independent until both teams have finished ---------------------------------------------


def _reopen(b: PaperBatch, team: int) -> None:
    if team in (b.finished_teams or []):
        b.finished_teams = [t for t in b.finished_teams if t != team]
        b.save(update_fields=["finished_teams"])


def both_finished(batch: PaperBatch) -> bool:
    """Whether teams 1 and 2 have both finished the batch: only then may either see the other's entries
    and the mismatches (P18: the two entries are independent)."""
    return batch.is_reconciled or {1, 2} <= set(batch.finished_teams or [])


def finish_team(batch: PaperBatch, actor: Actor, *, team: int) -> PaperBatch:
    """This team has entered every ballot of the batch. Entering or undoing again reopens it."""
    if team not in TEAMS:
        raise ActionError("bad_team", _("Tổ nhập phải là 1, 2 hoặc 3."))
    with transaction.atomic():
        b = _locked_batch(batch)
        if not PaperEntry.objects.filter(batch=b, team=team).exists():
            raise ActionError(
                "team_has_no_entries",
                _("Tổ %(team)s chưa nhập phiếu nào trong lô %(batch)s.") % {"team": team, "batch": b.number},
            )
        before = {"finished_teams": list(b.finished_teams or [])}
        if team not in before["finished_teams"]:
            b.finished_teams = sorted([*before["finished_teams"], team])
            b.save(update_fields=["finished_teams"])
        audit.record(
            actor=actor.label,
            action="paper.team_finished",
            congress_id=b.election.congress_id,
            obj=b,
            before=before,
            after={"finished_teams": b.finished_teams, "team": team},
        )
    return b


def next_ballot_number(batch: PaperBatch, team: int) -> str:
    """The number after this team's last saved ballot, or after the batches before this one."""
    last = PaperEntry.objects.filter(batch=batch, team=team).order_by("-pk").first()
    if last is not None:
        return str(int(last.ballot_number) + 1)
    numbers = PaperEntry.objects.filter(batch__election_id=batch.election_id).exclude(batch=batch)
    highest = max((int(n) for n in numbers.values_list("ballot_number", flat=True)), default=0)
    return str(highest + 1)


def _readings(batch: PaperBatch, listed: Sequence[Candidate]) -> dict[int, dict[str, Any]]:
    by_team: dict[int, dict[str, Any]] = {}
    for e in PaperEntry.objects.filter(batch=batch):
        by_team.setdefault(e.team, {})[e.ballot_number] = (
            e.invalid_reason,
            tuple(e.marks.get(c.code) for c in listed) if not e.invalid_reason else (),
            e,
        )
    return by_team


@dataclass(frozen=True)
class Comparison:
    """Where the teams stand on one batch: ballots entered per team and the mismatches as names."""

    teams: tuple[int, ...]
    entered: dict[int, int]
    ballots: int
    mismatches: list[dict[str, Any]]

    @property
    def agree(self) -> bool:
        return not self.mismatches and all(self.entered.get(t, 0) for t in (1, 2))


def compare_batch(batch: PaperBatch) -> Comparison:
    """P18: compare team 1 with team 2 (and team 3 when it entered), ballot by ballot, via the core."""
    listed = ballot_list(batch.election)
    readings = _readings(batch, listed)
    teams = tuple(sorted({1, 2} | set(readings)))
    entered = {t: len(readings.get(t, {})) for t in teams}
    if not any(entered.values()):
        return Comparison(teams, entered, 0, [])
    values = [{n: v[:2] for n, v in readings.get(t, {}).items()} for t in teams]
    result = compare_entries(values)
    mismatches = []
    for m in result.mismatches:
        row: dict[str, Any] = {"ballot_number": m.ballot, "teams": []}
        for t in teams:
            found = readings.get(t, {}).get(m.ballot)
            entry = found[2] if found else None
            row["teams"].append(
                {
                    "team": t,
                    **describe(
                        None if entry is None else entry.marks,
                        "" if entry is None else entry.invalid_reason,
                        listed,
                    ),
                }
            )
        mismatches.append(row)
    return Comparison(teams, entered, result.ballots, mismatches)


def resolve_ballot(
    batch: PaperBatch, actor: Actor, *, ballot_number: str, keys: str = "", discard: bool = False
) -> None:
    """The head of the counting committee settles one mismatched ballot after looking at the paper:
    every team's reading becomes `keys` (or the ballot is removed when `discard`), with the teams'
    readings kept in the audit log."""
    number = normalize_ballot_number(ballot_number)
    with transaction.atomic():
        b = _locked_batch(batch)
        listed = ballot_list(b.election)
        existing = list(PaperEntry.objects.filter(batch=b, ballot_number=number).order_by("team"))
        if not existing:
            raise ActionError(
                "no_such_ballot",
                _("Lô %(batch)s không có phiếu số %(ballot)s.") % {"batch": b.number, "ballot": number},
            )
        before = [_entry_state(e) for e in existing]
        for e in existing:
            e.delete()
        after: list[dict[str, Any] | None] = []
        if not discard:
            reading = parse_keys(keys, candidates=len(listed), ruleset=b.election.congress.rules)
            teams = sorted({1, 2} | {e.team for e in existing})
            for t in teams:
                entry = PaperEntry.objects.create(
                    batch=b,
                    team=t,
                    ballot_number=number,
                    invalid_reason=reading.reason,
                    marks=reading.marks(listed),
                    entered_by=f"resolved:{actor.label}"[:150],
                )
                after.append(_entry_state(entry))
        audit.record(
            actor=actor.label,
            action="paper.discard" if discard else "paper.resolve",
            congress_id=b.election.congress_id,
            obj=b,
            before=before,
            after=after,
        )


def finalize_batch(batch: PaperBatch, actor: Actor) -> int:
    """When teams 1 and 2 agree on every ballot of the batch, create its counted ballots (atomic);
    otherwise refuse with the mismatched ballot numbers."""
    with transaction.atomic():
        b = _locked_batch(batch)
        comparison = compare_batch(b)
        if comparison.mismatches:
            numbers = ", ".join(m["ballot_number"] for m in comparison.mismatches)
            raise ActionError(
                "entries_disagree",
                _("Lô %(batch)s: %(count)s phiếu chưa khớp giữa các tổ: %(ballots)s")
                % {"batch": b.number, "count": len(comparison.mismatches), "ballots": numbers},
                ballots=[m["ballot_number"] for m in comparison.mismatches],
            )
        if not comparison.agree:
            raise ActionError(
                "too_few_entries",
                _("Lô %(batch)s cần hai tổ nhập độc lập trước khi chốt.") % {"batch": b.number},
            )
        agreed = PaperEntry.objects.filter(batch=b, team=1).order_by("pk")
        try:
            with transaction.atomic():
                PaperBallot.objects.bulk_create(
                    PaperBallot(
                        election=b.election,
                        batch=b,
                        ballot_number=e.ballot_number,
                        invalid_reason=e.invalid_reason,
                        marks=e.marks,
                    )
                    for e in agreed
                )
        except IntegrityError as exc:
            raise ActionError(
                "ballot_counted_twice",
                _("Một số phiếu của lô %(batch)s đã được tính ở lô khác.") % {"batch": b.number},
            ) from exc
        b.is_reconciled = True
        b.save(update_fields=["is_reconciled"])
        count = comparison.entered[1]
        audit.record(
            actor=actor.label,
            action="paper.batch_agreed",
            congress_id=b.election.congress_id,
            obj=b,
            before={"is_reconciled": False},
            after={"is_reconciled": True, "ballots": count},
        )
    batch.refresh_from_db()
    return count
