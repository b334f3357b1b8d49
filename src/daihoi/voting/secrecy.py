"""Keeping "who voted" apart from "what was voted" below the schema: the physical order of the rows.

Random primary keys already hide the order of casting from the ids, and on SQLite (where the key is
the rowid) from a dump's row order. PostgreSQL stores new rows at the end of the heap, so until the
rows are rewritten the n-th participation and the n-th ballot sit in the same place of their tables,
and the two rows of one cast share a transaction id (`xmin`). `reshuffle` rewrites both tables of an
election in one transaction, in the order of their random ids: the heap order, the row versions and
the transaction ids then say nothing of when, or by whom, a ballot was cast.
"""

from __future__ import annotations

from django.db import transaction

from daihoi.voting.models import (
    Election,
    ElectionParticipation,
    ElectronicBallot,
    MotionBallot,
    MotionParticipation,
)

_BATCH = 500


def reshuffle(election: Election) -> int:
    """Rewrite the election's participations and electronic ballots in random-id order; same ids, same
    content. Safe to call at close and again at certification. Returns the number of ballots."""
    with transaction.atomic():
        # The close and every cast lock this row too: no ballot is written while the tables are rewritten.
        Election.objects.select_for_update().get(pk=election.pk)
        participations = [
            ElectionParticipation(
                id=pk, election_id=election.pk, delegate_id=delegate_id, nonce_digest=digest
            )
            for pk, delegate_id, digest in ElectionParticipation.objects.filter(election_id=election.pk)
            .order_by("id")
            .values_list("id", "delegate_id", "nonce_digest")
        ]
        ballots = [
            ElectronicBallot(id=pk, election_id=election.pk, marks=marks, receipt=receipt)
            for pk, marks, receipt in ElectronicBallot.objects.filter(election_id=election.pk)
            .order_by("id")
            .values_list("id", "marks", "receipt")
        ]
        if len(participations) != len(ballots):
            # Never happens: both rows are written in one transaction. Refuse to hide such a fault.
            raise RuntimeError(
                f"election {election.pk}: {len(participations)} participations but {len(ballots)} ballots"
            )
        ElectronicBallot.objects.filter(election_id=election.pk).delete()
        ElectionParticipation.objects.filter(election_id=election.pk).delete()
        ElectionParticipation.objects.bulk_create(participations, batch_size=_BATCH)
        ElectronicBallot.objects.bulk_create(ballots, batch_size=_BATCH)
    return len(ballots)


def reshuffle_motion(motion_id: int) -> int:
    """The same for an electronic motion's anonymous answers (the participations hold no choice)."""
    with transaction.atomic():
        participations = [
            MotionParticipation(id=pk, motion_id=motion_id, delegate_id=delegate_id, nonce=nonce)
            for pk, delegate_id, nonce in MotionParticipation.objects.filter(motion_id=motion_id)
            .order_by("id")
            .values_list("id", "delegate_id", "nonce")
        ]
        answers = [
            MotionBallot(id=pk, motion_id=motion_id, choice=choice)
            for pk, choice in MotionBallot.objects.filter(motion_id=motion_id)
            .order_by("id")
            .values_list("id", "choice")
        ]
        MotionBallot.objects.filter(motion_id=motion_id).delete()
        MotionParticipation.objects.filter(motion_id=motion_id).delete()
        MotionParticipation.objects.bulk_create(participations, batch_size=_BATCH)
        MotionBallot.objects.bulk_create(answers, batch_size=_BATCH)
    return len(answers)
