"""The demo congress: a ward Party committee's 15th congress, modelled on a real one.

165 delegates (15 ex officio from the outgoing executive committee, 150 elected by 20 cells
holding 1,100 members, allocated by the rules core), 6 guests, a two-day agenda and staff logins.
Names, dates of birth and card codes are synthetic and deterministic (a seeded random).

Apps built on this one add their part of the demo with `register_part` (the voting app: its two
elections), so this module never imports them; each part is loaded and cleared in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.actions import setup as actions
from daihoi.congress.models import (
    CODE_ALPHABET,
    AgendaItem,
    Congress,
    Delegate,
    Guest,
    Organization,
    SeatAllocation,
    StaffRole,
)
from daihoi.congress.names import normalize_name, search_key

DEMO_SLUG = "phuong-hoa-binh-xv"
DEMO_PASSWORD = "daihoi-demo"  # noqa: S105 (a published demo login, printed by `daihoi serve`)
WARD = "Hòa Bình"
SEED = 2020

# (username, role in the demo congress or None for the superuser, what it is)
DEMO_USERS: tuple[tuple[str, str | None, str], ...] = (
    ("btc", StaffRole.Role.ORGANIZER, "Ban tổ chức"),
    ("chutich", StaffRole.Role.PRESIDIUM, "Đoàn Chủ tịch"),
    ("thuky", StaffRole.Role.SECRETARIAT, "Đoàn Thư ký"),
    ("thamtra", StaffRole.Role.CREDENTIALS, "Ban Thẩm tra tư cách"),
    ("kiemphieu", StaffRole.Role.COUNTING, "Ban Kiểm phiếu"),
    ("admin", None, "Quản trị hệ thống"),
)

TOTAL_SEATS = 165
EX_OFFICIO_SEATS = 15

# (code, name, members): 14 neighbourhood cells and 6 cells of offices, forces and schools = 1,100.
UNITS: tuple[tuple[str, str, int], ...] = (
    *(
        (f"kp{i}", f"Chi bộ Khu phố {i}", m)
        for i, m in enumerate((78, 65, 92, 54, 71, 88, 47, 60, 83, 69, 58, 74, 52, 66), start=1)
    ),
    ("co-quan-dang", "Chi bộ Cơ quan Đảng – Đoàn thể", 21),
    ("ubnd", "Chi bộ Cơ quan Ủy ban nhân dân phường", 34),
    ("cong-an", "Chi bộ Công an phường", 29),
    ("quan-su", "Chi bộ Quân sự phường", 11),
    ("thcs", f"Chi bộ Trường THCS {WARD}", 26),
    ("tieu-hoc", f"Chi bộ Trường Tiểu học {WARD}", 22),
)

# The outgoing executive committee (15): position, and the cell each belongs to.
EXECUTIVE: tuple[tuple[str, str], ...] = (
    ("Bí thư Đảng ủy phường", "co-quan-dang"),
    ("Phó Bí thư Thường trực Đảng ủy phường", "co-quan-dang"),
    ("Phó Bí thư Đảng ủy, Chủ tịch UBND phường", "ubnd"),
    ("Ủy viên Ban Thường vụ, Chủ tịch Ủy ban MTTQ Việt Nam phường", "co-quan-dang"),
    ("Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", "co-quan-dang"),
    ("Ủy viên Ban Thường vụ, Trưởng Công an phường", "cong-an"),
    ("Đảng ủy viên, Chỉ huy trưởng Ban Chỉ huy Quân sự phường", "quan-su"),
    ("Đảng ủy viên, Phó Chủ tịch UBND phường", "ubnd"),
    ("Đảng ủy viên, Phó Chủ tịch UBND phường", "ubnd"),
    ("Đảng ủy viên, Chủ tịch Hội Liên hiệp Phụ nữ phường", "co-quan-dang"),
    ("Đảng ủy viên, Bí thư Đoàn phường", "co-quan-dang"),
    ("Đảng ủy viên, Chủ tịch Hội Cựu chiến binh phường", "co-quan-dang"),
    ("Đảng ủy viên, Bí thư Chi bộ Khu phố 3", "kp3"),
    ("Đảng ủy viên, Hiệu trưởng Trường THCS", "thcs"),
    ("Đảng ủy viên, Phó Trưởng Công an phường", "cong-an"),
)

# Family names weighted roughly as in the population (Nguyễn about 38 %).
FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 3), ("Phan", 4),
    ("Vũ", 3), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1),
    ("Lý", 1), ("Trương", 1), ("Đinh", 1),
)  # fmt: skip
MIDDLE_MALE = (
    "Văn",
    "Văn",
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quốc",
    "Thanh",
    "Công",
    "Xuân",
    "Ngọc",
    "Đình",
    "Quang",
)
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Thúy", "Bích", "Phương")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa", "Long",
    "Lâm", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn",
    "Trung", "Tuấn", "Việt", "Vinh", "Vũ",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Lan", "Liên", "Linh",
    "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Tâm", "Thảo", "Thủy", "Trang",
    "Tuyết", "Uyên", "Vân", "Xuân", "Yến",
)  # fmt: skip

ELECTED_POSITIONS = (
    "Phó Bí thư Chi bộ",
    "Chi ủy viên",
    "Đảng viên",
    "Trưởng khu phố",
    "Tổ trưởng tổ dân phố",
)
SCHOOL_POSITIONS = ("Phó Hiệu trưởng", "Tổ trưởng chuyên môn", "Giáo viên")
OFFICE_POSITIONS = ("Công chức", "Chuyên viên", "Cán bộ")

GUESTS: tuple[tuple[str, str], ...] = (
    ("Phó Bí thư Thường trực Quận ủy", "Quận ủy"),
    ("Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Quận ủy", "Quận ủy"),
    ("Quận ủy viên, Phó Chủ tịch UBND quận", "Ủy ban nhân dân quận"),
    ("Chuyên viên Ban Tổ chức Quận ủy, theo dõi địa bàn", "Quận ủy"),
    ("Nguyên Bí thư Đảng ủy phường nhiệm kỳ 2010–2015", f"Đảng bộ phường {WARD}"),
    ("Mẹ Việt Nam Anh hùng", f"Khu phố 5, phường {WARD}"),
)

# (day, start, title, presenter)
AGENDA: tuple[tuple[int, str, str, str], ...] = (
    (1, "07:30", "Đón tiếp đại biểu; thẩm tra tư cách và điểm danh", "Ban tổ chức"),
    (1, "08:00", "Chào cờ; tuyên bố lý do, giới thiệu đại biểu", "Ban tổ chức"),
    (1, "08:15", "Bầu Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu", "Ban tổ chức"),
    (
        1,
        "08:30",
        "Diễn văn khai mạc; thông qua chương trình và quy chế làm việc của đại hội",
        "Đoàn Chủ tịch",
    ),
    (1, "08:50", "Báo cáo chính trị của Ban Chấp hành Đảng bộ nhiệm kỳ 2015–2020", "Đoàn Chủ tịch"),
    (
        1,
        "09:40",
        "Báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của Ban Chấp hành nhiệm kỳ 2015–2020",
        "Đoàn Chủ tịch",
    ),
    (1, "10:10", "Báo cáo thẩm tra tư cách đại biểu", "Ban Thẩm tra tư cách"),
    (1, "10:25", "Thảo luận văn kiện; tham luận của các chi bộ", "Đoàn Chủ tịch"),
    (1, "14:00", "Góp ý dự thảo văn kiện Đại hội Đảng bộ cấp trên", "Đoàn Thư ký"),
    (1, "15:30", "Phát biểu chỉ đạo của đồng chí lãnh đạo Quận ủy", "Khách mời"),
    (
        2,
        "07:30",
        "Bầu cử Ban Chấp hành Đảng bộ phường khóa mới, nhiệm kỳ 2020–2025 (15 đồng chí)",
        "Đoàn Chủ tịch",
    ),
    (2, "09:30", "Bầu đoàn đại biểu đi dự Đại hội Đảng bộ quận (28 đồng chí)", "Đoàn Chủ tịch"),
    (2, "10:30", "Công bố kết quả bầu cử; Ban Chấp hành khóa mới ra mắt", "Ban Kiểm phiếu"),
    (2, "10:50", "Thông qua nghị quyết đại hội", "Đoàn Thư ký"),
    (2, "11:10", "Bế mạc; chào cờ", "Đoàn Chủ tịch"),
)


def _name(rng: random.Random, sex: str) -> str:
    family = rng.choices([f for f, _w in FAMILY], weights=[w for _f, w in FAMILY])[0]
    if sex == Delegate.Sex.FEMALE:
        return normalize_name(f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}")
    return normalize_name(f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}")


def _codes(rng: random.Random, count: int) -> list[str]:
    """`count` new card codes, unique among each other and against every stored delegate and guest code."""
    codes: list[str] = []
    while len(codes) < count:
        fresh = {"".join(rng.choice(CODE_ALPHABET) for _ in range(10)) for _ in range(count - len(codes))}
        fresh -= set(codes)
        fresh -= set(Delegate.objects.filter(code__in=fresh).values_list("code", flat=True))
        fresh -= set(Guest.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes.extend(sorted(fresh))
    rng.shuffle(codes)
    return codes


def _birth(rng: random.Random, first: int, last: int) -> dt.date:
    return dt.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


def _phone(rng: random.Random) -> str:
    return f"09{rng.randint(0, 99_999_999):08d}"


@dataclass(frozen=True)
class DemoPart:
    """What another app adds to the demo congress. `load` runs once the congress is in session; `clear`
    deletes, before the congress is deleted, the rows whose protected foreign keys would stop the cascade;
    `describe` gives one line for the command line."""

    load: Callable[[Congress], object]
    clear: Callable[[Congress], None]
    describe: Callable[[Congress], str]


_parts: dict[str, DemoPart] = {}


def register_part(name: str, part: DemoPart) -> None:
    """Add (or replace) the part `name`; apps call this from their `ready()`."""
    _parts[name] = part


def load_demo(reset: bool = False) -> Congress:
    """Create the demo congress with its registered parts (all or nothing). If it exists, return it
    unless `reset` deletes it with everything of it and loads it afresh."""
    with transaction.atomic():
        existing = Congress.objects.filter(slug=DEMO_SLUG).first()
        if existing is not None and not reset:
            return existing
        if existing is not None:
            _delete(existing)
        congress = _load()
        for part in _parts.values():
            part.load(congress)
        return congress


def _delete(congress: Congress) -> None:
    organization = congress.organization
    audit.record(
        actor=SYSTEM.label,
        action="demo.delete",
        congress_id=congress.pk,
        obj=congress,
        before={"slug": congress.slug, "delegates": congress.delegates.count()},
    )
    for part in _parts.values():
        part.clear(congress)
    congress.delete()  # delegates, guests, allocation, agenda, roles and check-ins go with it
    if not organization.congresses.exists():
        Organization.objects.filter(parent=organization).delete()
        organization.delete()


def _load() -> Congress:
    rng = random.Random(SEED)
    organization = Organization.objects.create(
        name=f"Đảng bộ phường {WARD}", code=f"dang-bo-phuong-{DEMO_SLUG}", member_count=0
    )
    units = {
        code: unit
        for code, unit in zip(
            (code for code, _n, _m in UNITS),
            Organization.objects.bulk_create(
                [
                    Organization(name=name, code=code, parent=organization, member_count=members, order=i)
                    for i, (code, name, members) in enumerate(UNITS)
                ]
            ),
            strict=True,
        )
    }
    organization.member_count = sum(members for _c, _n, members in UNITS)
    organization.save(update_fields=["member_count"])

    congress = actions.create_congress(
        actor=SYSTEM,
        organization=organization,
        slug=DEMO_SLUG,
        name=f"Đại hội đại biểu Đảng bộ phường {WARD} lần thứ XV, nhiệm kỳ 2020–2025",
        ordinal=15,
        term_start=2020,
        term_end=2025,
        starts_on=dt.date(2020, 6, 18),
        ends_on=dt.date(2020, 6, 19),
        venue=f"Hội trường Trung tâm Văn hóa – Thể thao phường {WARD}",
        theme=(
            "Nâng cao năng lực lãnh đạo và sức chiến đấu của Đảng bộ; phát huy sức mạnh khối đại đoàn kết "
            f"toàn dân; xây dựng phường {WARD} văn minh, hiện đại, nghĩa tình."
        ),
        total_seats=TOTAL_SEATS,
        ex_officio_seats=EX_OFFICIO_SEATS,
        minimum_seats_per_unit=1,
    )
    allocation = actions.allocate_congress_seats(congress, SYSTEM)
    _add_delegates(congress, rng, units, allocation)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                congress=congress,
                order=i,
                day=day,
                starts_at=dt.time.fromisoformat(start),
                title=title,
                presenter=presenter,
            )
            for i, (day, start, title, presenter) in enumerate(AGENDA, start=1)
        ]
    )
    _add_staff(congress)
    audit.record(
        actor=SYSTEM.label,
        action="demo.load",
        congress_id=congress.pk,
        obj=congress,
        after={
            "delegates": congress.delegates.count(),
            "guests": congress.guests.count(),
            "agenda_items": len(AGENDA),
            "members": organization.member_count,
        },
    )
    actions.set_congress_state(congress, Congress.State.IN_SESSION, SYSTEM)
    congress.refresh_from_db()
    return congress


def _add_delegates(
    congress: Congress, rng: random.Random, units: dict[str, Organization], allocation: list[SeatAllocation]
) -> None:
    people: list[dict[str, Any]] = []
    for position, unit_code in EXECUTIVE:
        people.append(
            {
                "unit": units[unit_code],
                "kind": Delegate.Kind.EX_OFFICIO,
                "position": position,
                "is_convening_committee": True,
                "born": (1958, 1980),
            }
        )
    for row in allocation:
        unit = row.unit
        for k in range(row.seats):
            if k == 0:
                position = f"Bí thư {unit.name[0].lower()}{unit.name[1:]}"
            elif unit.code in ("thcs", "tieu-hoc"):
                position = rng.choice(SCHOOL_POSITIONS)
            elif not unit.code.startswith("kp"):
                position = rng.choice(OFFICE_POSITIONS)
            else:
                position = rng.choice(ELECTED_POSITIONS)
            people.append(
                {
                    "unit": unit,
                    "kind": Delegate.Kind.ELECTED,
                    "position": position,
                    "is_convening_committee": False,
                    # Neighbourhood cells have many retired members; offices and schools are younger.
                    "born": (1950, 1975) if unit.code.startswith("kp") else (1970, 2000),
                }
            )
    delegates = []
    codes = _codes(rng, len(people) + len(GUESTS))
    for number, person in enumerate(people, start=1):
        sex = Delegate.Sex.FEMALE if rng.random() < 0.38 else Delegate.Sex.MALE
        name = _name(rng, sex)
        row_letter = "ABCDEFGHIKLMN"[(number - 1) // 15]
        delegates.append(
            Delegate(
                congress=congress,
                number=number,
                full_name=name,
                search_name=search_key(name),
                date_of_birth=_birth(rng, *person["born"]),
                sex=sex,
                unit=person["unit"],
                kind=person["kind"],
                standing=Delegate.Standing.OFFICIAL,
                position=person["position"],
                phone=_phone(rng),
                is_convening_committee=person["is_convening_committee"],
                seat_number=f"{row_letter}{(number - 1) % 15 + 1:02d}",
                code=codes[number - 1],
                credential=Delegate.Credential.ACCEPTED,
            )
        )
    Delegate.objects.bulk_create(delegates)
    _add_guests(congress, rng, codes[len(people) :])


def _add_guests(congress: Congress, rng: random.Random, codes: list[str]) -> None:
    guests = []
    for (title, organization_name), code in zip(GUESTS, codes, strict=True):
        sex = Delegate.Sex.FEMALE if title.startswith("Mẹ") else rng.choice(list(Delegate.Sex)[:2])
        guests.append(
            Guest(
                congress=congress,
                full_name=_name(rng, sex),
                title=title,
                organization_name=organization_name,
                code=code,
            )
        )
    Guest.objects.bulk_create(guests)


def _add_staff(congress: Congress) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing is the slow part of loading
    for username, role, label in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.password = password
        user.first_name = label
        user.is_staff = role is None
        user.is_superuser = role is None
        user.save()
        if role is not None:
            actions.grant_role(congress, user, role, SYSTEM)


def describe(congress: Congress) -> str:
    """A line for the command line, and one more for each registered part."""
    line = _("%(name)s: %(delegates)s đại biểu, %(guests)s khách mời, %(items)s mục chương trình") % {
        "name": congress.name,
        "delegates": congress.delegates.count(),
        "guests": congress.guests.count(),
        "items": congress.agenda.count(),
    }
    return "\n".join([line, *(part.describe(congress) for part in _parts.values())])
