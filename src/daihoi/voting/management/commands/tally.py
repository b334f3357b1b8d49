"""`daihoi tally --from-db ELECTION`: re-count a stored election from its ballots with the rules core and
compare with the certified result. Exit 0 when they agree (or nothing is certified yet), 1 when they
disagree or the ballots do not count, 2 when there is no such election.

`--export-dir DIR` also writes candidates.csv and ballots.csv (shared/rules/tally-format.md), so the
count can be checked with plain `daihoi tally` on any laptop. Encrypted electronic ballots are counted from
their decrypted totals (the count refuses until t members have decrypted them); they are never in the
CSV, so for such an election DIR also gets the election record, record.json, once certified, which
`daihoi verify` checks with the paper totals.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daihoi.congress.errors import ActionError
from daihoi.rules.minutes import MinutesContext, render_minutes
from daihoi.rules.numbers import NumberError, parse_int
from daihoi.voting import documents
from daihoi.voting.actions import evote
from daihoi.voting.actions.counting import count_election
from daihoi.voting.models import Election


class Command(BaseCommand):
    help = "Re-count a stored election from its ballots and compare with the certified result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-db", dest="election", required=True, help="the election's id")
        parser.add_argument("--export-dir", help="also write candidates.csv and ballots.csv here")
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        election = self.load(options["election"])
        try:
            result = count_election(election)
        except ActionError as e:
            raise CommandError(f"election {election.pk}: {e.message}", returncode=1) from e
        if options["export_dir"]:
            self.export(election, Path(options["export_dir"]))
        recount = result.to_dict()
        if options["format"] == "text":
            self.stdout.write(render_minutes(result, self.context(election)), ending="")
        else:
            self.stdout.write(json.dumps(recount, ensure_ascii=False, indent=2))
        self.compare(election, recount)

    def export(self, election: Election, directory: Path) -> None:
        """The paper ballots as CSV; with electronic ballots, once certified, the published election record
        too: they are never decrypted one by one, and `daihoi verify` re-checks their totals with the paper."""
        exported = documents.write_dir(election, directory)
        if exported.electronic and election.status == Election.Status.CERTIFIED:
            record = evote.election_record(election)
            (directory / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            self.stderr.write(f"{directory / 'record.json'}: the election record (daihoi verify)")

    def context(self, election: Election) -> MinutesContext:
        """What the count alone does not know, for the text minutes."""
        congress = election.congress
        members = documents.counting_members(election)
        return MinutesContext(
            organization=congress.organization.name,
            congress=documents.congress_title(congress),
            election=election.title,
            held_at=documents.at_time(election.closed_at) if election.closed_at else "",
            base_explanation=election.base_explanation,
            convened=documents.convened(congress),
            present=election.present_at_vote,
            counting_committee=[m.delegate.full_name for m in members],
        )

    def load(self, raw: str) -> Election:
        try:
            pk = parse_int(raw, field="--from-db", minimum=1)
        except NumberError as e:
            raise CommandError(f"{e.message_en} It is not an election id.", returncode=2) from None
        election = Election.objects.select_related("congress").filter(pk=pk).first()
        if election is None:
            raise CommandError(f"--from-db: there is no election {raw}", returncode=2)
        return election

    def compare(self, election: Election, recount: dict[str, Any]) -> None:
        if election.status != Election.Status.CERTIFIED or election.result is None:
            self.stderr.write(f"election {election.pk} is not certified yet: nothing to compare with")
            return
        if recount != election.result:
            differing = sorted(
                k for k in set(recount) | set(election.result) if recount.get(k) != election.result.get(k)
            )
            raise CommandError(
                f"election {election.pk}: the re-count differs from the certified result in {', '.join(differing)}",
                returncode=1,
            )
        self.stderr.write(f"election {election.pk}: the re-count agrees with the certified result")
