"""An append-only, hash-chained log of every state change."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """One state change. `hash` covers this row's content and the previous row's hash."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=200)
    congress_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """A single row locked while appending, so the chain has one order under concurrency."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class Anchor(models.Model):
    """The chain's head at a certification, a motion's close or a result's release.

    Also appended to the anchors file beside the database and printed on the documents, so that the
    states anchored there can be proved to remain in the log (`daihoi audit verify`)."""

    at = models.DateTimeField()
    reason = models.CharField(max_length=80)  # the audit action anchored, e.g. "election.certify"
    ref = models.CharField(max_length=80)  # what it is about, e.g. "election:12"
    congress_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq", "id"]
        indexes = [models.Index(fields=["ref", "reason"], name="audit_anchor_ref")]

    def __str__(self) -> str:
        return f"anchor #{self.seq} {self.reason} {self.ref}"

    @property
    def short(self) -> str:
        return self.hash[:12]
