"""Anonymous electronic motions, encrypted (issue 10, item 6): the congress's motion key, the phone's
encrypted answer, the close into `counting`, the 2-of-3 decryption, the verdict stored once, the record."""

from __future__ import annotations

import json

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.cli import main
from daihoi.congress.access import SYSTEM, Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.crypto.elgamal import Ciphertext
from daihoi.crypto.threshold import partial_decrypt
from daihoi.rules.motions import decide_motion
from daihoi.voting.actions import motion_ballots
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import KeyCeremony, Motion, MotionEncryptedBallot, MotionParticipation
from tests.factories import make_congress
from tests.voting.evote_helpers import (
    MOTION_DEVICES,
    decrypt_motion,
    encrypt_answer,
    phone_answer,
    run_motion_key,
)

ANSWERS = ["yes", "yes", "yes", "yes", "yes", "no", "abstain", "yes"]


def seated(delegates: int = 10, present: int = 8):
    congress = make_congress(delegates=delegates)
    ids = list(congress.delegates.order_by("number").values_list("pk", flat=True)[:present])
    Delegate.objects.filter(pk__in=ids).update(attendance=Delegate.Attendance.PRESENT)
    return congress, list(Delegate.objects.filter(pk__in=ids).order_by("number"))


def opened(congress, *, title="Thông qua quy chế làm việc") -> Motion:
    m = mo.create_motion(congress, actor=SYSTEM, title=title, method=Motion.Method.ELECTRONIC)
    return mo.open_motion(m, actor=SYSTEM, quorum_override=True)


def nonce(i: int) -> str:
    return f"motion-nonce-{i:04d}-abcdefgh"


@pytest.mark.django_db
def test_an_anonymous_motion_cannot_open_before_the_congress_has_its_motion_key():
    congress, _present = seated()
    m = mo.create_motion(congress, actor=SYSTEM, title="Quy chế", method=Motion.Method.ELECTRONIC)
    with pytest.raises(ActionError) as refused:
        mo.open_motion(m, actor=SYSTEM, quorum_override=True)
    assert refused.value.code == "motion_key_missing"
    # A ceremony begun but not done is no key either.
    motion_ballots.start_motion_ceremony(
        congress, actor=SYSTEM, holders=list(congress.delegates.order_by("number")[:3])
    )
    with pytest.raises(ActionError) as refused:
        mo.open_motion(m, actor=SYSTEM, quorum_override=True)
    assert refused.value.code == "motion_key_missing"
    # Show of hands and named motions need no key.
    for method in (Motion.Method.SHOW_OF_HANDS, Motion.Method.NAMED):
        other = mo.create_motion(congress, actor=SYSTEM, title=f"Khác {method}", method=method)
        assert mo.open_motion(other, actor=SYSTEM, quorum_override=True).status == Motion.Status.OPEN
        mo.close_motion(other, actor=SYSTEM, yes=1, no=0, abstain=0)


@pytest.mark.django_db
def test_the_motion_key_belongs_to_the_congress_with_two_of_three_holders_and_exactly_one_owner():
    congress, _present = seated()
    run_motion_key(congress)
    c = KeyCeremony.objects.get(motions_of=congress)
    assert (c.election_id, c.threshold, c.holders.count(), c.status) == (None, 2, 3, KeyCeremony.Status.DONE)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        KeyCeremony.objects.create(threshold=1)  # no owner: the check constraint refuses it


@pytest.mark.django_db
def test_a_cast_stores_who_and_a_ciphertext_and_a_retry_gets_the_same_tracker():
    congress, present = seated()
    run_motion_key(congress)
    m = opened(congress)
    d = present[0]
    data, credential = encrypt_answer(m, "no")
    actor = Actor(delegate=d)
    first = motion_ballots.cast_encrypted(m, actor=actor, ballot=data, credential=credential, nonce=nonce(1))
    again = motion_ballots.cast_encrypted(m, actor=actor, ballot=data, credential=credential, nonce=nonce(1))
    assert len(first.tracker) == 64 and not first.is_repeat
    assert again.tracker == first.tracker and again.is_repeat
    assert MotionParticipation.objects.filter(motion=m).count() == 1
    row = MotionEncryptedBallot.objects.get(motion=m)
    assert row.tracker == first.tracker and row.verdict == "pending"
    assert "no" not in json.dumps(row.ciphertext).replace("nonce", "")  # keys and hex only
    # The participation keeps a digest of the nonce, never the nonce.
    assert MotionParticipation.objects.get(motion=m).nonce_digest == motion_ballots.nonce_digest(
        m.pk, nonce(1)
    )
    with pytest.raises(ActionError) as refused:
        phone_answer(m, d, "yes", nonce=nonce(2))
    assert refused.value.code == "already_voted"
    # A plain answer is refused on an anonymous motion.
    with pytest.raises(ActionError) as refused:
        mo.cast_motion_vote(m, actor=actor, choice="yes", nonce=nonce(3))
    assert refused.value.code == "encrypted_answer_required"


@pytest.mark.django_db
def test_close_counting_then_two_of_three_decrypt_and_the_verdict_is_the_plain_count():
    congress, present = seated()
    run_motion_key(congress)
    m = opened(congress)
    for i, (d, answer) in enumerate(zip(present, ANSWERS, strict=True)):
        phone_answer(m, d, answer, nonce=nonce(i))
    m = mo.close_motion(m, actor=SYSTEM)
    assert m.status == Motion.Status.COUNTING and m.is_passed is None and m.yes is None
    assert (m.ballots_accepted, m.ballots_rejected) == (8, 0)
    assert (m.base, m.present) == (10, 8)
    # One holder is not enough: the verdict waits.
    m = decrypt_motion(m, members=(3,))
    assert m.status == Motion.Status.COUNTING and m.yes is None
    # A second holder: the totals are read and the verdict decided, once.
    m = decrypt_motion(m, members=(1,))
    reference = decide_motion(
        yes=ANSWERS.count("yes"),
        no=ANSWERS.count("no"),
        abstain=ANSWERS.count("abstain"),
        base=10,
        ruleset=congress.rules,
    )
    assert m.status == Motion.Status.CLOSED
    assert (m.yes, m.no, m.abstain) == (reference.yes, reference.no, reference.abstain) == (6, 1, 1)
    assert m.is_passed is reference.passed is True and m.outcome == reference.explain()
    # The minutes print what was stored.
    figures = mo.motion_minutes(m)["figures"]
    assert (figures["yes"], figures["no"], figures["abstain"], figures["is_passed"]) == (6, 1, 1, True)
    # A third decryption after the verdict is refused: nothing is decided again.
    with pytest.raises(ActionError) as refused:
        decrypt_motion(m, members=(2,))
    assert refused.value.code == "motion_not_counting"


@pytest.mark.django_db
def test_a_decryption_from_someone_who_holds_no_share_or_with_a_false_proof_is_refused():
    congress, present = seated()
    devices = run_motion_key(congress)
    m = opened(congress)
    phone_answer(m, present[0], "yes", nonce=nonce(0))
    m = mo.close_motion(m, actor=SYSTEM)
    labels = [t["label"] for t in m.encrypted_totals]
    totals = [Ciphertext.from_json(t) for t in m.encrypted_totals]
    pid = motion_ballots.motion_crypto_id(m)
    stranger = present[0]
    good = partial_decrypt(pid, 1, devices.shares[1], totals, labels).to_json(labels)
    with pytest.raises(ActionError) as refused:
        mo.decrypt_motion(m, actor=Actor(delegate=stranger), partial=good)
    assert refused.value.code == "not_key_holder"
    wrong = partial_decrypt(pid, 1, devices.shares[2], totals, labels).to_json(labels)  # not member 1's share
    with pytest.raises(ActionError) as refused:
        mo.decrypt_motion(m, actor=Actor(delegate=devices.delegates[1]), partial=wrong)
    assert refused.value.code == "bad_partial"
    # Bound to the motion: a partial made for another motion's id fails.
    elsewhere = partial_decrypt(pid + "x", 1, devices.shares[1], totals, labels).to_json(labels)
    with pytest.raises(ActionError) as refused:
        mo.decrypt_motion(m, actor=Actor(delegate=devices.delegates[1]), partial=elsewhere)
    assert refused.value.code == "bad_partial"


@pytest.mark.django_db
def test_a_ballot_whose_proof_fails_is_counted_invalid_and_never_added():
    congress, present = seated()
    run_motion_key(congress)
    m = opened(congress)
    for i, d in enumerate(present[:3]):
        phone_answer(m, d, "yes", nonce=nonce(i))
    # A forged ballot: well-formed points, but its proofs were made for another motion.
    other = Motion.objects.create(congress=congress, title="Khác", method=Motion.Method.ELECTRONIC)
    data, credential = encrypt_answer(other, "no")
    motion_ballots.cast_encrypted(
        m, actor=Actor(delegate=present[3]), ballot=data, credential=credential, nonce=nonce(9)
    )
    m = mo.close_motion(m, actor=SYSTEM)
    assert (m.ballots_accepted, m.ballots_rejected) == (3, 1)
    assert MotionEncryptedBallot.objects.filter(motion=m, verdict="bad_proof").count() == 1
    m = decrypt_motion(m)
    assert (m.yes, m.no, m.abstain) == (3, 0, 0)


@pytest.mark.django_db
def test_the_audit_never_holds_a_ciphertext_a_tracker_or_an_answer():
    congress, present = seated()
    run_motion_key(congress)
    m = opened(congress)
    trackers = []
    for i, (d, answer) in enumerate(zip(present, ANSWERS, strict=True)):
        trackers.append(phone_answer(m, d, answer, nonce=nonce(i)).tracker)
    m = decrypt_motion(mo.close_motion(m, actor=SYSTEM))
    voted = AuditEntry.objects.filter(action="motion.voted", object_id=str(m.pk))
    assert voted.count() == 8 and all(set(e.after) == {"delegate", "motion"} for e in voted)
    dump = json.dumps(
        list(AuditEntry.objects.values("action", "before", "after")), ensure_ascii=False, default=str
    )
    credentials = MotionEncryptedBallot.objects.filter(motion=m).values_list("credential", flat=True)
    for secret in [*trackers, *credentials]:
        assert secret not in dump
    for row in MotionEncryptedBallot.objects.filter(motion=m):
        for ciphertext in row.ciphertext["marks"]:
            assert ciphertext["a"] not in dump and ciphertext["b"] not in dump


@pytest.mark.django_db
def test_the_motion_record_verifies_and_one_changed_byte_of_one_ballot_fails(tmp_path, capsys):
    congress, present = seated()
    run_motion_key(congress)
    m = opened(congress)
    for i, (d, answer) in enumerate(zip(present, ANSWERS, strict=True)):
        phone_answer(m, d, answer, nonce=nonce(i))
    with pytest.raises(ActionError) as refused:
        motion_ballots.motion_record(m)
    assert refused.value.code == "record_not_published"
    m = decrypt_motion(mo.close_motion(m, actor=SYSTEM), members=(2, 3))
    record = motion_ballots.motion_record(m)
    assert record["poll"]["kind"] == "motion" and record["result"]["passed"] is m.is_passed
    assert record["electronic"]["votes"] == [m.yes, m.no, m.abstain]
    path = tmp_path / "motion.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    assert main(["verify", str(path)]) == 0
    assert "OK: motion" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    ballot_b = record["ballots"][0]["ballot"]["marks"][1]["b"]
    flipped = ballot_b[:10] + ("0" if ballot_b[10] != "0" else "1") + ballot_b[11:]
    path.write_text(text.replace(ballot_b, flipped, 1), encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    assert "ballot 1" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_motion_key_cannot_be_made_again_once_a_motion_holds_ballots_under_it():
    congress, present = seated()
    run_motion_key(congress)
    m = opened(congress)
    phone_answer(m, present[0], "yes", nonce=nonce(0))
    with pytest.raises(ActionError) as refused:
        run_motion_key(congress)
    assert refused.value.code == "motion_key_in_use"
    assert MOTION_DEVICES[congress.pk].shares  # the holders' devices keep their shares


# --- through the web: the key page, the holders' device, the record --------------------------------


@pytest.mark.django_db
def test_the_presidium_names_the_holders_and_a_holders_device_decrypts_through_the_step_endpoint(client):
    from django.test import Client
    from django.urls import reverse

    from daihoi.congress.access import Role
    from tests.factories import delegate_client, login_as
    from tests.voting.evote_helpers import motion_partial

    congress, present = seated()
    chair = login_as(client, congress, Role.PRESIDIUM)
    page = reverse("motion_key", args=[congress.slug])
    refused = chair.post(page, {"holders": "1, x"})
    assert refused.status_code == 409 and refused.context["error"].code == "bad_holders"
    refused = chair.post(page, {"holders": "1, 99"})
    assert refused.status_code == 409 and refused.context["error"].code == "unknown_delegate"
    assert chair.post(page, {"holders": "10, 9, 8"}).status_code == 302
    c = KeyCeremony.objects.get(motions_of=congress)
    assert [h.delegate.number for h in c.holders.order_by("index")] == [10, 9, 8]
    assert "Khóa biểu quyết kín" in chair.get(page).content.decode()

    run_motion_key(congress)  # made again on the devices, before any motion holds ballots under it
    m = opened(congress)
    for i, (d, answer) in enumerate(zip(present[:3], ANSWERS[:3], strict=True)):
        phone_answer(m, d, answer, nonce=nonce(i))
    m = mo.close_motion(m, actor=SYSTEM)
    holders = MOTION_DEVICES[congress.pk].delegates
    step = reverse("motion_key_step", args=[congress.slug])
    state_url = reverse("motion_key_state", args=[congress.slug])
    # A delegate who holds no share sees no totals and cannot send a partial.
    stranger = delegate_client(Client(), present[0])
    assert stranger.get(state_url).json()["member"] is None
    body = {"step": "partial", "motion": m.pk, "partial": motion_partial(m, 1)}
    r = stranger.post(step, json.dumps(body), content_type="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_key_holder"
    for index in (1, 2):
        device = delegate_client(Client(), holders[index])
        state = device.get(state_url).json()
        assert state["motion"] == {"id": m.pk, "title": m.title} and state["totals"] == m.encrypted_totals
        body = {"step": "partial", "motion": m.pk, "partial": motion_partial(m, index)}
        r = device.post(step, json.dumps(body), content_type="application/json")
        assert r.status_code == 200 and "totals" not in r.json()["state"]  # nothing left to decrypt
    m.refresh_from_db()
    assert (m.status, m.yes, m.no, m.abstain) == (Motion.Status.CLOSED, 3, 0, 0)
    # The record is downloadable once decided, and verifies.
    record = chair.get(reverse("motion_record", args=[congress.slug, m.pk]))
    assert record.status_code == 200
    from daihoi.crypto.record import verify_record

    assert verify_record(json.loads(record.content)).startswith("OK: motion")
