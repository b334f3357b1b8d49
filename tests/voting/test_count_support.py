"""Builders shared by the counting tests: an election with its list, ORM-made (not through the election workflow)
is used, and a few shorthands for entering paper ballots."""

from __future__ import annotations

from daihoi.congress.access import Actor, Role
from daihoi.congress.models import Congress
from daihoi.rules.ordering import ballot_order
from daihoi.voting.models import Candidate, CountingMember, Election

NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Hữu Cường",
    "Phạm Minh Dũng",
    "Hoàng Thanh Giang",
    "Vũ Quốc Hùng",
    "Đặng Ngọc Lan",
    "Bùi Đức Mai",
    "Đỗ Văn Nam",
    "Hồ Thị Phúc",
    "Ngô Minh Quân",
    "Dương Văn Sơn",
    "Lý Thị Tâm",
    "Mai Văn Tuấn",
    "Đinh Thị Uyên",
    "Tạ Văn Vinh",
    "Cao Thị Xuân",
    "Kiều Văn Yên",
]

CLERK = Actor(roles=frozenset({Role.COUNTING}))
HEAD = Actor(roles=frozenset({Role.COUNTING}))


def make_election(
    congress: Congress,
    *,
    candidates: int = 7,
    seats: int = 5,
    alternates: int = 0,
    base: int | None = None,
    present: int | None = None,
    status: str = Election.Status.CLOSED,
    allows_electronic: bool = False,
    names: list[str] | None = None,
    counting: int = 3,
) -> Election:
    """An election whose list is approved, in P10 order, with a counting committee of delegates."""
    delegates = list(congress.delegates.order_by("number"))
    election = Election.objects.create(
        congress=congress,
        title="Bầu Ban Chấp hành Đảng bộ khóa XVI",
        seats=seats,
        alternates=alternates,
        # P15: the alternates given here are elected on the same ballot as the officials.
        delegation_mode=Election.DelegationMode.ONE_BALLOT,
        status=status,
        base=base if base is not None else len(delegates),
        base_explanation=f"{len(delegates)} đại biểu chính thức được triệu tập, không có trường hợp loại trừ",
        present_at_vote=present if present is not None else len(delegates),
        allows_electronic=allows_electronic,
    )
    pool = names or (NAMES * 3)[:candidates]
    pool = [f"{n} {i // len(NAMES) + 1}" if i >= len(NAMES) else n for i, n in enumerate(pool[:candidates])]
    order = ballot_order(pool)
    for i, name in enumerate(pool):
        Candidate.objects.create(
            election=election,
            code=f"c{i + 1:02d}",
            full_name=name,
            status=Candidate.Status.ON_LIST,
            ballot_position=order.index(name) + 1,
        )
    for i, d in enumerate(delegates[-counting:] if counting else []):
        CountingMember.objects.create(election=election, delegate=d, is_head=i == 0)
    return election


def listed_codes(election: Election) -> list[str]:
    """Candidate codes in ballot order (position 1 first)."""
    return list(election.candidates.order_by("ballot_position").values_list("code", flat=True))


def keys_for(election: Election, struck_codes: list[str]) -> str:
    """The keys a clerk types to strike these candidates."""
    codes = listed_codes(election)
    width = len(str(len(codes)))
    return "".join(f"{codes.index(c) + 1:0{width}d}" for c in struck_codes)


def test_make_election_orders_the_list_by_given_name(db):
    from tests.factories import make_congress

    election = make_election(make_congress(delegates=12), candidates=4)
    names = list(election.candidates.order_by("ballot_position").values_list("full_name", flat=True))
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hữu Cường", "Phạm Minh Dũng"]


def cast_electronic(election: Election, marks: list[dict[str, int]]) -> None:
    """E-ballots as casting stores them (encrypted on the 'phones', issue 10): one participation per
    ballot, nothing linking the two. The committee's key is made first if missing; when the election is
    already closed, two members decrypt the totals again, as the count needs."""
    import secrets

    from daihoi.crypto.ballot import EncryptedBallot
    from daihoi.voting.actions import ballots as ballot_actions
    from daihoi.voting.actions import evote
    from daihoi.voting.models import ElectionParticipation, ElectronicBallot, KeyCeremony, KeyHolder
    from tests.voting import evote_helpers as ev

    if evote.election_key(election) is None:
        ev.run_key_ceremony(election)
    poll = evote.election_poll(election)
    voters = list(election.congress.delegates.order_by("number"))
    start = ElectionParticipation.objects.filter(election=election).count()
    for i, m in enumerate(marks):
        kept = [code for code, mark in m.items() if mark]
        data, credential = ev.encrypt_on_phone(election, kept, invalid=not kept and poll.spec().min_marks > 0)
        ElectionParticipation.objects.create(
            election=election, delegate=voters[start + i], nonce_digest=secrets.token_hex(32)
        )
        tracker = ballot_actions.ballot_tracker(
            poll.id, credential, EncryptedBallot.from_json(data, poll.spec())
        )
        ElectronicBallot.objects.create(
            election=election, credential=credential, ciphertext=data, tracker=tracker
        )
    if election.status == Election.Status.CLOSED:
        KeyCeremony.objects.filter(election=election).update(
            totals=None, counts=None, accepted=None, rejected=None
        )
        KeyHolder.objects.filter(ceremony__election=election).update(partial=None)
        ev.decrypt_totals(election)
