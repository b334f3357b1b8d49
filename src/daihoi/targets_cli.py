"""`daihoi targets --file targets.json`: judge a term's targets (shared/rules/targets.md, T1–T6).

Exit 0 with the result on stdout; exit 2 with one line `file: target: problem` on stderr and nothing
on stdout when the input is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NoReturn

from daihoi.rules.targets import (
    Kind,
    Mean,
    Review,
    Target,
    TargetError,
    Term,
    parse_decimal,
    parse_direction,
    parse_kind,
    parse_mean,
    parse_year,
    review,
)

OUTCOME_VI = {"exceeded": "vượt", "met": "đạt", "missed": "không đạt", "missing": "thiếu số liệu"}


class InputError(Exception):
    """Unusable input: the message is the single line printed on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(f"daihoi targets: {message}")


def _parser() -> _Parser:
    p = _Parser(prog="daihoi targets", description="Judge a term's targets from a JSON file.")
    p.add_argument("--file", required=True, help="targets.json (shared/rules/targets.md)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    return p


def _term(path: str, data: dict[str, Any]) -> Term:
    raw = data.get("term")
    if not isinstance(raw, list) or len(raw) != 2:
        raise InputError(f'{path}: "term" must be [base year, end year], not {json.dumps(raw)}')
    try:
        return Term(parse_year(raw[0]), parse_year(raw[1]))
    except TargetError as e:
        raise InputError(f"{path}: term: {e.message_en}") from None


def _target(path: str, index: int, term: Term, raw: object) -> tuple[Target, dict[int, Decimal]]:
    where = f"{path}: targets[{index}]"
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a target must be an object")
    tid = raw.get("id")
    if not isinstance(tid, str) or not tid.strip():
        raise InputError(f'{where}: "id" must be a non-empty string')
    where = f"{path}: target {tid}"
    for key in ("kind", "direction", "target"):
        if key not in raw:
            raise InputError(f'{where}: "{key}" is missing')
    values_raw = raw.get("values", {})
    if not isinstance(values_raw, dict):
        raise InputError(f'{where}: "values" must map a year to a decimal string')
    try:
        kind = parse_kind(raw["kind"], tid)
        target = Target(
            id=tid,
            kind=kind,
            direction=parse_direction(raw["direction"], tid),
            target=parse_decimal(raw["target"], target=tid, field_name="target"),
            name=str(raw.get("name", "")),
            unit=str(raw.get("unit", "")),
            mean=parse_mean(raw.get("mean", "compound"), tid) if kind is Kind.GROWTH_AVG else Mean.COMPOUND,
        )
        values: dict[int, Decimal] = {}
        for year_text, value in values_raw.items():
            year = parse_year(year_text, target=tid)
            values[year] = parse_decimal(value, target=tid, field_name=f"the value of {year_text}")
    except TargetError as e:
        raise InputError(f"{path}: {e.message_en}") from None
    return target, values


def read(path: str) -> tuple[Term, list[tuple[Target, dict[int, Decimal]]]]:
    """The term and each target with its values; InputError names the file, the target and the problem."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    if not isinstance(data, dict):
        raise InputError(f'{path}: expected an object with "term" and "targets"')
    term = _term(path, data)
    targets_raw = data.get("targets")
    if not isinstance(targets_raw, list):
        raise InputError(f'{path}: "targets" must be a list')
    return term, [_target(path, i, term, t) for i, t in enumerate(targets_raw)]


def render_text(term: Term, targets: Sequence[tuple[Target, dict[int, Decimal]]], result: Review) -> str:
    lines = [f"Nhiệm kỳ {term.base}–{term.end} (n = {term.n})"]
    for (target, _), j in zip(targets, result.judgements, strict=True):
        label = f"{target.id} {target.name}".strip()
        detail = (
            f"đạt được {j.achieved}"
            if j.achieved is not None
            else "thiếu năm " + ", ".join(str(y) for y in j.missing_years)
        )
        if j.ratio is not None:
            detail += f", {j.ratio}% chỉ tiêu"
        if target.kind is Kind.GROWTH_AVG:
            detail += f" (bình quân {'cộng' if target.mean is Mean.ARITHMETIC else 'kép'})"
        lines.append(f"{label}: {OUTCOME_VI[j.outcome.value]} ({j.outcome.value}); {detail}")
    s = result.summary
    total = len(result.judgements)
    lines.append(
        f"{result.met_or_exceeded}/{total} chỉ tiêu đạt và vượt "
        f"(vượt {s['exceeded']}, đạt {s['met']}, không đạt {s['missed']}, thiếu số liệu {s['missing']})"
    )
    return "\n".join(lines) + "\n"


def run(argv: Sequence[str]) -> str:
    """The text to print for `argv`, or InputError with the one-line message."""
    args = _parser().parse_args(list(argv))
    term, targets = read(args.file)
    try:
        result = review(term, targets)
    except TargetError as e:
        raise InputError(f"{args.file}: {e.message_en}") from None
    if args.format == "text":
        return render_text(term, targets, result)
    return json.dumps(result.to_dict(), ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """`daihoi targets ...` (argv without the word "targets"): 0 when judged, 2 when the input is unusable."""
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
