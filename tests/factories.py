"""Factories and personas for web and browser tests.

c = make_congress(delegates=12, guests=2)
client = login_as(client, c, Role.PRESIDIUM)      # a staff persona of this congress
client = delegate_client(client, c.delegates.first())
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.test import Client

from daihoi.congress.access import delegate_session_key
from daihoi.congress.models import Congress, Delegate, Guest, Organization, StaffRole
from daihoi.congress.names import normalize_name, search_key
from daihoi.rules.ordering import ballot_order
from daihoi.voting.models import Candidate, CountingMember, Election

PASSWORD = "test-password-1"
_seq = itertools.count(1)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Lan",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
]


def person_name(i: int) -> str:
    return f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i // 10) % len(MIDDLE)]} {GIVEN[(i // 3) % len(GIVEN)]}"


def make_congress(
    *,
    delegates: int = 10,
    units: int = 3,
    guests: int = 0,
    state: str = Congress.State.IN_SESSION,
    slug: str | None = None,
) -> Congress:
    """A small delegate congress with sub-units, official delegates (credentials accepted) and guests."""
    n = next(_seq)
    org = Organization.objects.create(name=f"Đảng bộ phường Thử {n}", code=f"org-{n}", member_count=0)
    subunits = [
        Organization.objects.create(
            name=f"Chi bộ khu phố {u + 1}", code=f"cb-{u + 1}", parent=org, member_count=40 + 5 * u, order=u
        )
        for u in range(units)
    ]
    congress = Congress.objects.create(
        organization=org,
        slug=slug or f"dh-{n}",
        name=f"Đại hội đại biểu Đảng bộ phường Thử {n} lần thứ XV",
        ordinal=15,
        term_start=2020,
        term_end=2025,
        starts_on=dt.date(2020, 6, 20),
        ends_on=dt.date(2020, 6, 21),
        venue="Hội trường UBND phường",
        state=state,
        total_seats=delegates,
        hall_address="http://192.168.1.10:8000",  # the organizer's laptop on the hall's own network
    )
    for i in range(delegates):
        name = normalize_name(person_name(i))
        Delegate.objects.create(
            congress=congress,
            number=i + 1,
            full_name=name,
            search_name=search_key(name),
            unit=subunits[i % units] if units else None,
            sex=Delegate.Sex.FEMALE if i % 3 == 0 else Delegate.Sex.MALE,
            date_of_birth=dt.date(1960 + (i * 7) % 40, 1 + i % 12, 1 + i % 28),
            kind=Delegate.Kind.EX_OFFICIO if i < 2 else Delegate.Kind.ELECTED,
            credential=Delegate.Credential.ACCEPTED,
            seat_number=f"A{i + 1:03d}",
        )
    for g in range(guests):
        Guest.objects.create(congress=congress, full_name=f"Khách Mời {g + 1}", title="Lãnh đạo quận")
    return congress


def make_staff(congress: Congress, role: str, username: str | None = None):
    """A staff user holding `role` in `congress`."""
    User = get_user_model()
    user = User.objects.create_user(username=username or f"{role}-{next(_seq)}", password=PASSWORD)
    StaffRole.objects.create(user=user, congress=congress, role=role)
    return user


def login_as(client: Client, congress: Congress, role: str) -> Client:
    """Sign `client` in as a new staff user with `role` in `congress`."""
    client.force_login(make_staff(congress, role))
    return client


def delegate_client(client: Client, delegate: Delegate) -> Client:
    """Sign `client` in as `delegate`, as the card code does."""
    session = client.session
    session[delegate_session_key(delegate.congress_id)] = delegate.pk
    session.save()
    return client


def comparable(state):
    """The state without clock readings (`server_now`, which a section may add for its timers)."""
    if isinstance(state, dict):
        return {k: comparable(v) for k, v in state.items() if k != "server_now"}
    if isinstance(state, list):
        return [comparable(v) for v in state]
    return state


# Candidate names for elections built by `make_election`.
ELECTION_NAMES = [
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
    pool = names or (ELECTION_NAMES * 3)[:candidates]
    pool = [
        f"{n} {i // len(ELECTION_NAMES) + 1}" if i >= len(ELECTION_NAMES) else n
        for i, n in enumerate(pool[:candidates])
    ]
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


def check_in(congress: Congress, count: int | None = None) -> list[Delegate]:
    """Seat the first `count` official delegates (all when None) as the desk would, so a vote may open
    (P3: no motion or election opens below quorum)."""
    from django.utils import timezone

    rows = congress.delegates.order_by("number")
    ids = list(
        rows.values_list("pk", flat=True)[:count] if count is not None else rows.values_list("pk", flat=True)
    )
    Delegate.objects.filter(pk__in=ids).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    return list(Delegate.objects.filter(pk__in=ids).order_by("number"))
