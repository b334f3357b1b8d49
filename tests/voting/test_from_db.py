"""`daihoi tally --from-db`: the stored ballots re-count to the certified result; the CSV export re-counts
with plain `daihoi tally` to the same result."""

from __future__ import annotations

import io
import json
import zipfile
from contextlib import redirect_stdout

import pytest
from django.core.management import CommandError, call_command

from daihoi import cli, tally_cli
from daihoi.voting import documents
from daihoi.voting.actions import counting
from daihoi.voting.models import ElectronicBallot, PaperBallot
from tests.factories import make_congress
from tests.support.counting import HEAD, cast_electronic, listed_codes, make_election, worked_example

pytestmark = pytest.mark.django_db


def run_tally(*args: str) -> dict:
    out = io.StringIO()
    call_command("tally", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def mixed():
    """Paper ballots (the worked example) plus e-ballots cast on phones."""
    election = worked_example()
    election.allows_electronic = True
    election.present_at_vote = 30
    election.save()
    codes = listed_codes(election)
    cast_electronic(election, [dict.fromkeys(codes[:5], 1) | dict.fromkeys(codes[5:], 0)] * 2)
    counting.certify(election, HEAD)
    return election


def test_the_recount_from_the_database_equals_the_certified_result(mixed):
    assert run_tally("--from-db", str(mixed.pk)) == mixed.result


def test_a_ballot_changed_after_certification_makes_the_recount_fail(mixed):
    ballot = PaperBallot.objects.filter(election=mixed, invalid_reason="").first()
    ballot.marks = dict.fromkeys(ballot.marks, 0) | {listed_codes(mixed)[6]: 1}
    ballot.save()
    with pytest.raises(CommandError) as e:
        run_tally("--from-db", str(mixed.pk))
    assert e.value.returncode == 1 and "differs" in str(e.value)


def test_an_unknown_election_exits_with_2():
    with pytest.raises(SystemExit) as e:
        cli.main(["tally", "--from-db", "999999"])
    assert e.value.code == 2


def test_the_text_format_prints_the_minutes(mixed):
    out = io.StringIO()
    call_command("tally", "--from-db", str(mixed.pk), "--format", "text", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert text.startswith("BIÊN BẢN KIỂM PHIẾU")
    assert "Số được triệu tập: 30" in text and "Có mặt khi bỏ phiếu: 30" in text
    assert "Trưởng ban: " + mixed.countingmember_set.get(is_head=True).delegate.full_name in text


def test_the_export_recounts_with_plain_daihoi_tally(tmp_path):
    mixed = worked_example()  # paper only: encrypted e-ballots are re-counted from the election record
    counting.certify(mixed, HEAD)
    run_tally("--from-db", str(mixed.pk), "--export-dir", str(tmp_path))
    command = documents.export_election(mixed).command
    assert command[:2] == ["daihoi", "tally"]
    args = [a.replace("candidates.csv", str(tmp_path / "candidates.csv")) for a in command[2:]]
    args = [a.replace("ballots.csv", str(tmp_path / "ballots.csv")) for a in args]
    out = io.StringIO()
    with redirect_stdout(out):
        assert tally_cli.main(args) == 0
    assert json.loads(out.getvalue()) == mixed.result
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8")) == mixed.result
    assert "must equal result.json" in (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "record.json").exists()  # no electronic ballot, no election record


def test_the_export_carries_no_electronic_ballot_no_voter_and_no_database_id(mixed, tmp_path):
    documents.write_dir(mixed, tmp_path)
    rows = (tmp_path / "ballots.csv").read_text(encoding="utf-8").splitlines()
    # Encrypted ballots are never decrypted one by one: they are in the election record, not here.
    assert not [r for r in rows if r.startswith("E")]
    assert len(rows) == 1 + PaperBallot.objects.filter(election=mixed).count()
    ids = {str(pk) for pk in ElectronicBallot.objects.values_list("id", flat=True)}
    text = "\n".join(rows)
    assert not any(pk in text for pk in ids)
    names = mixed.congress.delegates.values_list("full_name", flat=True)
    assert not any(
        name in text for name in names if name not in documents.export_election(mixed).candidates_csv
    )
    assert rows[0] == "ballot,invalid_reason," + ",".join(listed_codes(mixed))


def test_the_zip_download_holds_both_files_and_the_result(mixed):
    z = zipfile.ZipFile(io.BytesIO(documents.zip_bytes(mixed)))
    assert sorted(z.namelist()) == ["README.txt", "ballots.csv", "candidates.csv", "result.json"]
    assert "--issued 28" in z.read("README.txt").decode()  # the paper ballots issued


def test_an_uncertified_election_is_recounted_without_comparison():
    election = make_election(make_congress(delegates=6), candidates=3, seats=2, base=6)
    result = run_tally("--from-db", str(election.pk))
    assert result["ballots"]["received"] == 0


def test_the_recount_from_the_database_includes_the_decrypted_electronic_totals(mixed):
    result = run_tally("--from-db", str(mixed.pk))
    # The worked example's 28 paper ballots, plus 2 e-ballots keeping the first five names.
    assert result["ballots"]["received"] == 30 and result["ballots"]["issued"] == 30
    votes = {c["id"]: c["votes"] for c in result["candidates"]}
    codes = listed_codes(mixed)
    assert [votes[c] for c in codes] == [24 + 2, 22 + 2, 20 + 2, 16 + 2, 16 + 2, 15, 9]


def test_the_recount_refuses_while_the_electronic_totals_are_not_decrypted():
    election = make_election(
        make_congress(delegates=12), candidates=3, seats=2, base=12, status="open", allows_electronic=True
    )
    codes = listed_codes(election)
    cast_electronic(election, [{codes[0]: 1, codes[1]: 1, codes[2]: 0}] * 3)
    election.status = "closed"
    election.save(update_fields=["status"])
    with pytest.raises(CommandError) as e:
        run_tally("--from-db", str(election.pk))
    assert e.value.returncode == 1
    assert str(e.value) == (
        f"election {election.pk}: Cần 2 thành viên Ban Kiểm phiếu giải mã tổng số phiếu điện tử trước khi kiểm phiếu."
    )


def test_the_export_of_a_mixed_election_adds_the_record_that_verifies_the_whole_count(mixed, tmp_path):
    run_tally("--from-db", str(mixed.pk), "--export-dir", str(tmp_path))
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "2 electronic ballots" in readme and "daihoi verify record.json" in readme
    assert "must equal result.json" not in readme  # the CSV re-counts the paper part only
    record = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    assert record["result"] == mixed.result
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["verify", str(tmp_path / "record.json")]) == 0
    assert out.getvalue().startswith("daihoi verify: OK")
