"""P3 enforced: no motion and no election opens below quorum; the refusal gives the numbers; an override
only where the rule set allows one, audited and printed in the minutes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.voting import documents
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Election, Motion
from tests.factories import check_in, login_as, make_congress, make_election


def draft(congress: Congress) -> Motion:
    return mo.create_motion(congress, actor=SYSTEM, title="Số lượng Ban Chấp hành khóa mới")


def set_rules(congress: Congress, rules: str) -> Congress:
    Congress.objects.filter(pk=congress.pk).update(rules=rules)
    congress.refresh_from_db()
    return congress


@pytest.mark.django_db
def test_P3_a_motion_does_not_open_below_quorum_and_the_refusal_gives_the_numbers():
    congress = make_congress(delegates=165)
    check_in(congress, 4)
    motion = draft(congress)
    with pytest.raises(ActionError) as err:
        mo.open_motion(motion, actor=SYSTEM)
    assert err.value.code == "quorum_not_met"
    assert err.value.message == "Chưa đủ số lượng: 4/165 đại biểu có mặt, cần 110"
    motion.refresh_from_db()
    assert motion.status == Motion.Status.DRAFT
    check_in(congress, 110)  # exactly ⌈⅔ × 165⌉
    assert mo.open_motion(motion, actor=SYSTEM).status == Motion.Status.OPEN


@pytest.mark.django_db
def test_P3_an_election_ballot_does_not_open_below_quorum():
    congress = make_congress(delegates=30)
    check_in(congress, 19)
    e = make_election(congress, status=Election.Status.LIST_APPROVED)
    with pytest.raises(ActionError) as err:
        el.open_election(e, actor=SYSTEM)
    assert err.value.code == "quorum_not_met"
    assert "19/30" in err.value.message and "cần 20" in err.value.message
    e.refresh_from_db()
    assert e.status == Election.Status.LIST_APPROVED
    check_in(congress, 20)
    assert el.open_election(e, actor=SYSTEM).status == Election.Status.OPEN


@pytest.mark.django_db
def test_P3_the_party_presidium_may_override_and_the_minutes_say_so():
    congress = make_congress(delegates=165)
    check_in(congress, 4)
    motion = mo.open_motion(draft(congress), actor=SYSTEM, quorum_override=True)
    entry = AuditEntry.objects.get(action="quorum.override", object_id=str(motion.pk))
    assert entry.after == {"present": 4, "convened": 165, "required": 110}
    closed = mo.close_motion(motion, actor=SYSTEM, yes=4, no=0, abstain=0)
    text = "\n".join(p.text for p in documents.produce("motion_minutes", closed).blocks if hasattr(p, "text"))
    assert "tiến hành khi chưa đủ số lượng: 4/165 đại biểu có mặt, cần 110" in text


@pytest.mark.django_db
def test_P3_a_motion_opened_with_quorum_has_no_override_line_in_its_minutes():
    congress = make_congress(delegates=9)
    check_in(congress)
    closed = mo.close_motion(
        mo.open_motion(draft(congress), actor=SYSTEM), actor=SYSTEM, yes=9, no=0, abstain=0
    )
    text = "\n".join(p.text for p in documents.produce("motion_minutes", closed).blocks if hasattr(p, "text"))
    assert "chưa đủ số lượng" not in text
    assert not AuditEntry.objects.filter(action="quorum.override").exists()


@pytest.mark.django_db
def test_P3_approval_allows_no_override_and_uses_its_own_ratio():
    congress = set_rules(make_congress(delegates=40), "approval")
    check_in(congress, 19)  # approval: half of 40 convened is 20
    motion = draft(congress)
    with pytest.raises(ActionError) as err:
        mo.open_motion(motion, actor=SYSTEM, quorum_override=True)
    assert err.value.code == "quorum_override_not_allowed"
    assert "19/40" in err.value.message and "cần 20" in err.value.message
    check_in(congress, 20)  # party would need 27 (⅔ of 40); approval opens at 20
    assert mo.open_motion(motion, actor=SYSTEM).status == Motion.Status.OPEN


@pytest.mark.django_db
def test_the_chair_is_refused_below_quorum_with_the_numbers_and_may_override(client):
    congress = make_congress(delegates=30)
    check_in(congress, 4)
    motion = draft(congress)
    chair = login_as(client, congress, Role.PRESIDIUM)
    page = chair.get(reverse("motion_detail", args=[congress.slug, motion.pk])).content.decode()
    assert 'data-code="quorum_not_met"' in page and "Chưa đủ số lượng: 4/30 đại biểu có mặt, cần 20" in page
    assert 'name="quorum_override"' in page
    opened = reverse("motion_open", args=[congress.slug, motion.pk])
    r = chair.post(opened, follow=True)
    assert "Chưa đủ số lượng: 4/30 đại biểu có mặt, cần 20" in r.content.decode()
    motion.refresh_from_db()
    assert motion.status == Motion.Status.DRAFT
    chair.post(opened, {"quorum_override": "1"})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN
