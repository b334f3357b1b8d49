"""Ballots for anyone to re-count (shared/rules/tally-format.md): the CSVs and the `daihoi tally`
command, as a folder or a zip."""

from __future__ import annotations

import csv
import io
import json
import shlex
import zipfile
from dataclasses import dataclass
from pathlib import Path

from daihoi.cells import safe_cell
from daihoi.voting.actions.counting import gather
from daihoi.voting.models import Election

# Paper ballots keep their paper numbers. Electronic ballots are written in random-key order and numbered
# E1, E2... for this export only: no voter, no database id, nothing in casting order.


@dataclass(frozen=True)
class Export:
    candidates_csv: str
    ballots_csv: str
    command: list[str]  # the `daihoi tally` arguments that re-count it (file names relative)
    electronic: int = 0  # encrypted e-ballots, counted from their decrypted totals, not in ballots.csv


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[safe_cell(v) for v in row] for row in rows])  # names are data, never formulas
    return out.getvalue()


def _cell(mark: int | None) -> str:
    return "" if mark is None else str(mark)


def export_election(election: Election) -> Export:
    g = gather(election)
    ids = [c.id for c in g.election.candidates]
    candidates = _csv([["id", "name"], *([c.id, c.name] for c in g.election.candidates)])
    ballots = _csv(
        [
            ["ballot", "invalid_reason", *ids],
            *([b.id, b.invalid_reason or "", *map(_cell, b.marks)] for b in g.ballots),
        ]
    )
    command = ["daihoi", "tally", "--rules", g.election.ruleset.name, "--seats", str(g.election.seats)]
    if g.election.base is not None:
        command += ["--base", str(g.election.base)]
    if g.election.alternates:
        command += ["--alternates", str(g.election.alternates)]
    if g.issued is not None:
        command += ["--issued", str(g.issued)]
    command += ["--candidates", "candidates.csv", "--ballots", "ballots.csv"]
    return Export(candidates, ballots, command, g.electronic)


README = """Election {pk}: {title}
Re-count with (from this folder):

    {command}

"""

README_PAPER = """The result must equal result.json (the certified result), except where a tie round was decided
without the majority test (see the minutes).
"""

README_ELECTRONIC = """This election also had {electronic} electronic ballots. They are encrypted and never decrypted one
by one, so ballots.csv holds the paper ballots only and the command above re-counts the paper part alone.
The whole count (the electronic totals decrypted by the counting committee, plus these paper ballots)
is checked from the published election record, record.json (written here by
`daihoi tally --from-db ELECTION --export-dir DIR` once the result is certified, and downloadable from
the election's page), which holds the paper totals too:

    daihoi verify record.json
"""


def readme(election: Election, exp: Export) -> str:
    text = README.format(pk=election.pk, title=election.title, command=shlex.join(exp.command))
    return text + (README_ELECTRONIC.format(electronic=exp.electronic) if exp.electronic else README_PAPER)


def write_dir(election: Election, directory: Path) -> Export:
    exp = export_election(election)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "candidates.csv").write_text(exp.candidates_csv, encoding="utf-8")
    (directory / "ballots.csv").write_text(exp.ballots_csv, encoding="utf-8")
    (directory / "README.txt").write_text(readme(election, exp), encoding="utf-8")
    if election.result:
        (directory / "result.json").write_text(
            json.dumps(election.result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return exp


def zip_bytes(election: Election) -> bytes:
    exp = export_election(election)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("candidates.csv", exp.candidates_csv)
        z.writestr("ballots.csv", exp.ballots_csv)
        z.writestr("README.txt", readme(election, exp))
        if election.result:
            z.writestr("result.json", json.dumps(election.result, ensure_ascii=False, indent=2) + "\n")
    return out.getvalue()
