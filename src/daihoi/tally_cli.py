"""`daihoi tally`: count an election from candidates.csv and ballots.csv (shared/rules/tally-format.md).

Exit 0 with the result on stdout; exit 2 with one line `file:line: problem` on stderr and nothing on
stdout when the input is unusable or the figures do not reconcile.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import NoReturn

from daihoi.cells import unquote_cell
from daihoi.rules.counting import Ballot, Candidate, Election, tally
from daihoi.rules.errors import RuleError
from daihoi.rules.minutes import render_minutes
from daihoi.rules.numbers import MAX_DIGITS, NumberError, parse_int
from daihoi.rules.ruleset import RuleSet
from daihoi.rules.rulesets import DEFAULT, RULESETS, get_ruleset

Mark = int | None


class InputError(Exception):
    """Unusable input: the message is the single line printed on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(f"daihoi tally: {message}")


def _whole(text: str) -> int:
    """An argument's whole number, parsed as every number typed into the app is."""
    try:
        return parse_int(text, minimum=None, maximum=None)
    except NumberError as e:
        raise argparse.ArgumentTypeError(e.message_en) from None


def _parser() -> _Parser:
    p = _Parser(prog="daihoi tally", description="Count an election from CSV files and print the result.")
    p.add_argument("--rules", default=DEFAULT, help=f"rule set: {', '.join(sorted(RULESETS))}")
    p.add_argument("--seats", type=_whole, required=True, help="number to elect")
    p.add_argument(
        "--base", type=_whole, help="N, the base of thresholds and percentages (required for party)"
    )
    p.add_argument("--candidates", required=True, help="candidates.csv: id,name in ballot order")
    p.add_argument("--ballots", required=True, help="ballots.csv: ballot,invalid_reason[,weight],<ids>...")
    p.add_argument("--alternates", type=_whole, default=0, help="alternates elected on the same ballot")
    p.add_argument("--issued", type=_whole, help="ballots handed out (default: the rows of ballots.csv)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    return p


def _fail(path: str, line: int | None, problem: str) -> NoReturn:
    where = f"{path}:{line}" if line is not None else path
    raise InputError(f"{where}: {problem}")


def _rows(path: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank CSV row; UTF-8 with or without a BOM."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        _fail(path, None, f"cannot read the file ({e.strerror})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        _fail(path, data.count(b"\n", 0, e.start) + 1, "not valid UTF-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as e:
        _fail(path, reader.line_num, f"not valid CSV ({e})")


_LARGEST_TEXT = f"{10**MAX_DIGITS - 1:,}"


def _short(cell: str) -> str:
    """A cell as a one-line message quotes it: 5,000 digits are shown by their first few and their count."""
    return cell if len(cell) <= 24 else f"{cell.strip()[:12]}… ({len(cell.strip())} characters)"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def read_candidates(path: str) -> tuple[Candidate, ...]:
    """The list in ballot order; ids unique, names NFC."""
    rows = _rows(path)
    first = next(rows, None)
    if first is None:
        _fail(path, 1, 'the file is empty; expected the header "id,name"')
    line, header = first
    if [_nfc(h) for h in header] != ["id", "name"]:
        _fail(path, line, f'the header is "{",".join(header)}", expected "id,name"')
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if len(row) != 2:
            _fail(path, line, f"{len(row)} fields, expected 2 (id,name)")
        # A name such as "=SUM(…)" is written with a leading quote so that no spreadsheet runs it.
        cid, name = _nfc(row[0]), " ".join(_nfc(unquote_cell(row[1])).split())
        if not cid:
            _fail(path, line, "the id is empty")
        if not name:
            _fail(path, line, f"candidate {cid} has no name")
        if cid in seen:
            _fail(path, line, f'candidate id "{cid}" already on line {seen[cid]}')
        seen[cid] = line
        candidates.append(Candidate(cid, name))
    if not candidates:
        _fail(path, line, "no candidates")
    return tuple(candidates)


_STRIKE = {"0": 0, "1": 1}
_AGREE_DISAGREE: dict[str, Mark] = {"0": 0, "1": 1, "": None}


def _mark_reader(layout: str, lenient_blank: bool) -> tuple[Callable[[str], Mark], str]:
    """A cell → mark function for the ballot layout, and how a bad cell is described."""
    if layout == "cumulative":

        def votes(cell: str) -> Mark:
            if not cell.strip():
                return 0
            try:
                return parse_int(cell, minimum=0, maximum=None)
            except NumberError:
                raise KeyError(cell) from None

        return votes, "is not a whole number of votes"
    table: dict[str, Mark] = dict(_AGREE_DISAGREE if layout == "agree_disagree" or lenient_blank else _STRIKE)
    described = "is not 0, 1 or empty" if layout == "agree_disagree" else "is not 0 or 1"

    def mark(cell: str) -> Mark:
        try:
            return table[cell]
        except KeyError:
            return table[cell.strip()]

    return mark, described


def _columns(
    path: str, line: int, header: list[str], candidates: Sequence[Candidate]
) -> tuple[bool, list[int]]:
    """Whether a weight column is present, and the header index of each candidate in list order."""
    names = [_nfc(h) for h in header]
    if names[:2] != ["ballot", "invalid_reason"]:
        _fail(path, line, f'the header starts "{",".join(header[:2])}", expected "ballot,invalid_reason"')
    has_weight = len(names) > 2 and names[2] == "weight"
    first = 3 if has_weight else 2
    known = {c.id for c in candidates}
    where: dict[str, int] = {}
    for i in range(first, len(names)):
        cid = names[i]
        if cid not in known:
            _fail(path, line, f'column "{cid}" is not a candidate id in the candidates file')
        if cid in where:
            _fail(path, line, f'column "{cid}" appears twice')
        where[cid] = i
    missing = [c.id for c in candidates if c.id not in where]
    if missing:
        _fail(path, line, f"no column for candidate {', '.join(missing)}")
    return has_weight, [where[c.id] for c in candidates]


def read_ballots(path: str, election: Election) -> list[Ballot]:
    """Each row a Ballot, its marks in list order; every problem is reported with its line."""
    rules = election.ruleset
    candidates = election.candidates
    rows = _rows(path)
    first = next(rows, None)
    if first is None:
        _fail(path, 1, 'the file is empty; expected the header "ballot,invalid_reason,<candidate ids>"')
    header_line, header = first
    has_weight, idx = _columns(path, header_line, header, candidates)
    width = len(header)
    pick: Callable[[list[str]], Sequence[str]]
    if idx == list(range(idx[0], idx[0] + len(idx))):
        start = idx[0]
        pick = itemgetter(slice(start, start + len(idx)))
    elif len(idx) > 1:
        pick = itemgetter(*idx)
    else:
        pick = itemgetter(slice(idx[0], idx[0] + 1))
    layout = election.layout
    read_mark, described = _mark_reader(layout, lenient_blank=False)
    read_recorded, _ = _mark_reader(layout, lenient_blank=True)
    recorded = rules.recorded_reasons
    decided = rules.mark_reasons - recorded
    seen: dict[str, int] = {}
    ballots: list[Ballot] = []
    for line, row in rows:
        if len(row) != width:
            _fail(path, line, f"{len(row)} fields, the header has {width}")
        bid = _nfc(row[0])
        if not bid:
            _fail(path, line, "the ballot number is empty")
        if bid in seen:
            _fail(path, line, f'ballot "{bid}" already on line {seen[bid]}')
        seen[bid] = line
        reason = row[1].strip() or None
        if reason is not None and reason not in recorded:
            if reason in decided:
                _fail(path, line, f'invalid_reason "{reason}" is decided from the marks; leave it empty')
            allowed = ", ".join(sorted(recorded))
            _fail(
                path,
                line,
                f'invalid_reason "{reason}" is not a code of rule set {rules.name} (allowed: {allowed})',
            )
        weight = 1
        if has_weight:
            try:
                weight = parse_int(row[2], minimum=1, maximum=None)
            except NumberError:
                _fail(
                    path, line, f'weight "{_short(row[2])}" is not a whole number from 1 to {_LARGEST_TEXT}'
                )
            if weight != 1 and not rules.weighted:
                _fail(
                    path, line, f"weight {weight}: rule set {rules.name} is not weighted, so weight must be 1"
                )
        cells = pick(row)
        convert = read_mark if reason is None else read_recorded
        try:
            marks = tuple(map(convert, cells))
        except KeyError:
            for cand, cell in zip(candidates, cells, strict=True):
                try:
                    convert(cell)
                except KeyError:
                    _fail(path, line, f'mark "{_short(cell)}" in column {cand.id} {described}')
            raise  # unreachable: some cell failed above
        ballots.append(Ballot(bid, marks, reason, weight))
    return ballots


def _check_numbers(args: argparse.Namespace, rules: RuleSet) -> None:
    if args.seats < 1:
        raise InputError(f"daihoi tally: --seats must be at least 1, not {args.seats}")
    if args.alternates < 0:
        raise InputError(f"daihoi tally: --alternates must not be negative, not {args.alternates}")
    if args.issued is not None and args.issued < 0:
        raise InputError(f"daihoi tally: --issued must not be negative, not {args.issued}")
    if rules.needs_given_base:
        if args.base is None:
            raise InputError(f"daihoi tally: --base (N) is required for rule set {rules.name}")
        if args.base < 1:
            raise InputError(f"daihoi tally: --base must be at least 1, not {args.base}")


def run(argv: Sequence[str]) -> str:
    """The text to print for `argv`, or InputError with the one-line message."""
    args = _parser().parse_args(list(argv))
    try:
        rules = get_ruleset(args.rules)
    except RuleError as e:
        raise InputError(f"daihoi tally: --rules: {e.message_en}") from None
    _check_numbers(args, rules)
    candidates = read_candidates(args.candidates)
    try:
        election = Election(
            candidates,
            args.seats,
            alternates=args.alternates,
            base=args.base if rules.needs_given_base else None,
            ruleset=rules,
        )
    except RuleError as e:
        raise InputError(f"{args.candidates}: {e.message_en}") from None
    ballots = read_ballots(args.ballots, election)
    try:
        result = tally(election, ballots, issued=args.issued)
    except RuleError as e:
        raise InputError(f"{args.ballots}: {e.message_en}") from None
    if args.format == "text":
        return render_minutes(result)
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    """`daihoi tally ...` (argv without the word "tally"): 0 when counted, 2 when the input is unusable."""
    try:
        output = run(argv)
    except InputError as e:
        print(str(e).replace("\n", " "), file=sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
