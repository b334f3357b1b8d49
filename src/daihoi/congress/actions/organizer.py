"""The site administrator's and the organizer's setup: organizations and their organizers, a new
congress with its units and seats, staff accounts with one-time passwords. One function per state
change; each validates, writes, appends the audit entry, all or nothing.

`new_congress_from_spec` builds a whole congress from one mapping (the wizard's form and
`daihoi congress new --from congress.yaml|.xlsx` both produce it); every field error is collected
with its place ("congress.ordinal", "units[3].members") before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import configure_seats, congress_facts, create_congress, grant_role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Organization, Organizer, StaffRole
from daihoi.congress.wording import KINDS, default_rules
from daihoi.rules.rulesets import RULESETS

# Letters and digits people can read off paper without confusion (no 0/O, 1/l/I).
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MAX_UNITS = 500
MAX_STAFF = 100


def one_time_password(username: str = "") -> str:
    """A random 12-character password that passes the configured validators."""
    user_model = get_user_model()
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        try:
            validate_password(password, user_model(username=username))
        except ValidationError:  # pragma: no cover - astronomically unlikely
            continue
        return password


@dataclass(frozen=True)
class Account:
    """A new staff account as printed on its sign-in sheet (the password is shown once, never stored)."""

    username: str
    full_name: str
    password: str
    roles: tuple[str, ...] = ()

    @property
    def role_labels(self) -> list[str]:
        labels = dict(StaffRole.Role.choices)
        return [str(labels.get(r, r)) for r in self.roles]


def ascii_slug(text: str) -> str:
    """A slug of Vietnamese text: "Đại hội Đoàn" → "dai-hoi-doan" (slugify drops Đ/đ otherwise)."""
    return slugify(text.replace("Đ", "D").replace("đ", "d"))


def _unique_code(parent: Organization | None, name: str) -> str:
    base = ascii_slug(name)[:50] or "org"
    code, n = base, 1
    while Organization.objects.filter(parent=parent, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def create_organization(
    actor: Actor, *, name: str, kind: str, place: str = "", parent: Organization | None = None
) -> Organization:
    name = " ".join(name.split())
    if not name:
        raise ActionError("missing_name", _("Thiếu tên tổ chức."))
    if kind not in KINDS:
        raise ActionError("bad_org_kind", _("Không rõ loại tổ chức “%(kind)s”.") % {"kind": kind}, kind=kind)
    with transaction.atomic():
        if Organization.objects.filter(parent=parent, name__iexact=name).exists():
            raise ActionError("org_exists", _("Tổ chức “%(name)s” đã có.") % {"name": name}, name=name)
        org = Organization.objects.create(
            name=name, kind=kind, place=place.strip(), parent=parent, code=_unique_code(parent, name)
        )
        audit.record(
            actor=actor.label,
            action="organization.create",
            obj=org,
            after={
                "name": org.name,
                "kind": kind,
                "place": org.place,
                "parent": parent.name if parent else None,
            },
        )
    return org


def set_organization_kind(actor: Actor, organization: Organization, kind: str) -> Organization:
    """Change what kind of body the organization is (and so its words), while none of its congresses has opened."""
    if kind not in KINDS:
        raise ActionError("bad_org_kind", _("Không rõ loại tổ chức “%(kind)s”.") % {"kind": kind}, kind=kind)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if org.congresses.exclude(state=Congress.State.PREPARATION).exists():
            raise ActionError(
                "org_kind_locked",
                _("Không đổi loại tổ chức được: đã có đại hội khai mạc."),
            )
        before = org.kind
        org.kind = kind
        org.save(update_fields=["kind"])
        Organization.objects.filter(parent=org).update(kind=kind)
        audit.record(
            actor=actor.label,
            action="organization.set_kind",
            obj=org,
            before={"kind": before},
            after={"kind": kind},
        )
    organization.kind = kind
    return org


def _new_user(username: str, full_name: str) -> tuple[Any, str]:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ActionError(
            "bad_username",
            _("Tên đăng nhập “%(username)s” không hợp lệ: 2–40 chữ thường không dấu, số, dấu chấm, gạch.")
            % {"username": username},
            username=username,
        )
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ActionError(
            "username_taken",
            _("Tên đăng nhập “%(username)s” đã có.") % {"username": username},
            username=username,
        )
    password = one_time_password(username)
    first, _sep, last = full_name.strip().rpartition(" ")
    user = user_model.objects.create_user(
        username=username, password=password, first_name=first[:150], last_name=last[:150]
    )
    return user, password


def create_organizer(actor: Actor, organization: Organization, *, username: str, full_name: str) -> Account:
    """A user who may create and prepare the organization's congresses; returns the one-time password."""
    with transaction.atomic():
        user, password = _new_user(username, full_name)
        Organizer.objects.create(user=user, organization=organization)
        audit.record(
            actor=actor.label,
            action="organization.add_organizer",
            obj=organization,
            after={"username": user.username, "full_name": full_name},
        )
    return Account(user.username, full_name, password, (StaffRole.Role.ORGANIZER.value,))


def reset_password(actor: Actor, congress: Congress, username: str) -> Account:
    """A new one-time password for one of the congress's staff (e.g. a sheet was lost)."""
    with transaction.atomic():
        user = get_user_model().objects.filter(username=username, congress_roles__congress=congress).first()
        if user is None:
            raise ActionError(
                "unknown_user", _("Không có tài khoản “%(username)s”.") % {"username": username}
            )
        password = one_time_password(username)
        user.set_password(password)
        user.save(update_fields=["password"])
        roles = tuple(StaffRole.objects.filter(user=user, congress=congress).values_list("role", flat=True))
        audit.record(
            actor=actor.label,
            action="congress.reset_password",
            congress_id=congress.pk,
            obj=user,
            after={"username": username},
        )
    return Account(username, user.get_full_name(), password, roles)


def may_organize(user: Any, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or Organizer.objects.filter(user=user, organization=organization).exists())


def require_preparation(congress: Congress) -> None:
    if congress.state != Congress.State.PREPARATION:
        raise ActionError(
            "congress_opened",
            _("Đại hội đã khai mạc: không sửa phần chuẩn bị được nữa."),
            state=congress.state,
        )


def set_units(actor: Actor, congress: Congress, units: list[tuple[str, int]]) -> list[Organization]:
    """Make the congress's organization's sub-units exactly `units` (name, members), in that order.
    Units no longer listed are removed if nothing refers to them. Preparation only."""
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        require_preparation(congress)
        org = congress.organization
        before = list(Organization.objects.filter(parent=org).values_list("name", "member_count"))
        seen: set[str] = set()
        kept: list[Organization] = []
        for order, (name, members) in enumerate(units):
            name = " ".join(name.split())
            key = name.casefold()
            if key in seen:
                raise ActionError(
                    "duplicate_unit", _("Đơn vị “%(name)s” có hai lần.") % {"name": name}, name=name
                )
            seen.add(key)
            unit = Organization.objects.filter(parent=org, name__iexact=name).first()
            if unit is None:
                unit = Organization(parent=org, name=name, kind=org.kind, code=_unique_code(org, name))
            unit.member_count, unit.order = members, order
            unit.save()
            kept.append(unit)
        stale = Organization.objects.filter(parent=org).exclude(pk__in=[u.pk for u in kept])
        for unit in stale:
            if unit.delegates.exists():
                raise ActionError(
                    "unit_in_use",
                    _("Không xoá được đơn vị “%(name)s”: đã có đại biểu thuộc đơn vị này.")
                    % {"name": unit.name},
                )
        from daihoi.congress.models import SeatAllocation

        SeatAllocation.objects.filter(congress=congress, unit__in=stale).delete()
        stale.delete()
        org.member_count = sum(u.member_count for u in kept)
        org.save(update_fields=["member_count"])
        audit.record(
            actor=actor.label,
            action="congress.set_units",
            congress_id=congress.pk,
            obj=congress,
            before=[list(b) for b in before],
            after=[[u.name, u.member_count] for u in kept],
        )
    return kept


def update_congress(actor: Actor, congress: Congress, **fields: Any) -> Congress:
    """Edit the congress's facts (name, ordinal, term, dates, venue, theme, rule set) before it opens."""
    allowed = {"name", "ordinal", "term_start", "term_end", "starts_on", "ends_on", "venue", "theme", "rules"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        require_preparation(congress)
        before = congress_facts(congress) | {
            "rules": congress.rules,
            "venue": congress.venue,
            "theme": congress.theme,
        }
        for key, value in fields.items():
            setattr(congress, key, value)
        _check_facts(congress)
        congress.save()
        audit.record(
            actor=actor.label,
            action="congress.update",
            congress_id=congress.pk,
            obj=congress,
            before=before,
            after=congress_facts(congress)
            | {"rules": congress.rules, "venue": congress.venue, "theme": congress.theme},
        )
    return congress


def _check_facts(congress: Congress) -> None:
    if congress.rules not in RULESETS:
        raise ActionError("unknown_ruleset", _("Không rõ bộ quy tắc “%(name)s”.") % {"name": congress.rules})
    if congress.term_end <= congress.term_start:
        raise ActionError("bad_term", _("Nhiệm kỳ phải kết thúc sau khi bắt đầu."))
    if congress.ends_on < congress.starts_on:
        raise ActionError("bad_dates", _("Ngày bế mạc trước ngày khai mạc."))
    if congress.ordinal < 1:
        raise ActionError("bad_ordinal", _("Lần thứ phải từ 1 trở lên."))


def create_staff_account(
    actor: Actor, congress: Congress, *, username: str, full_name: str, roles: list[str]
) -> Account:
    """A staff user with roles in the congress and a one-time password for the printed sheet."""
    bad = [r for r in roles if r not in StaffRole.Role.values]
    if bad or not roles:
        raise ActionError(
            "unknown_role",
            _("Vai trò không hợp lệ: %(roles)s.") % {"roles": ", ".join(bad) or "—"},
            roles=bad,
        )
    with transaction.atomic():
        locked = Congress.objects.select_for_update().get(pk=congress.pk)
        require_preparation(locked)
        user, password = _new_user(username, full_name)
        audit.record(
            actor=actor.label,
            action="congress.create_staff_account",
            congress_id=congress.pk,
            obj=user,
            after={"username": user.username, "full_name": full_name, "roles": roles},
        )
        for role in roles:
            grant_role(locked, user, role, actor)
    return Account(user.username, full_name, password, tuple(roles))


# --- A whole congress from one mapping ------------------------------------------------------------


@dataclass
class SpecErrors(Exception):
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.errors.append((where, message))

    def __str__(self) -> str:
        return "\n".join(f"{where}: {message}" for where, message in self.errors)


@dataclass
class Created:
    congress: Congress
    accounts: list[Account]


def _int(errors: SpecErrors, where: str, value: Any, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or value is None or value == "":
        errors.add(where, _("thiếu số"))
        return minimum
    try:
        number = int(str(value).replace(".", "").replace(" ", "")) if not isinstance(value, int) else value
    except ValueError:
        errors.add(where, _("“%(value)s” không phải số nguyên") % {"value": value})
        return minimum
    if number < minimum:
        errors.add(where, _("phải từ %(min)s trở lên (có %(value)s)") % {"min": minimum, "value": number})
    return number


def _date(errors: SpecErrors, where: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    errors.add(where, _("“%(value)s” không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY)") % {"value": text})
    return dt.date(2000, 1, 1)


def _text(errors: SpecErrors, where: str, value: Any, *, required: bool = True, limit: int = 300) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors.add(where, _("thiếu"))
    if len(text) > limit:
        errors.add(where, _("dài quá %(limit)s ký tự") % {"limit": limit})
    return text


def check_spec(spec: Any) -> dict[str, Any]:
    """Validate and normalize a congress specification; raise `SpecErrors` listing every problem."""
    errors = SpecErrors()
    if not isinstance(spec, dict):
        errors.add("(tệp)", _("phải là một bảng khoá: giá trị"))
        raise errors
    org = spec.get("organization") or {}
    cong = spec.get("congress") or {}
    seats = spec.get("seats") or {}
    if not isinstance(org, dict) or not isinstance(cong, dict) or not isinstance(seats, dict):
        errors.add("(tệp)", _("organization, congress và seats phải là bảng khoá: giá trị"))
        raise errors
    out_org = {
        "name": _text(errors, "organization.name", org.get("name"), limit=200),
        "kind": str(org.get("kind") or "party"),
        "place": _text(errors, "organization.place", org.get("place"), required=False, limit=120),
    }
    if out_org["kind"] not in KINDS:
        errors.add(
            "organization.kind",
            _("“%(kind)s” không thuộc %(known)s") % {"kind": out_org["kind"], "known": ", ".join(KINDS)},
        )
    term = str(cong.get("term") or "").replace("–", "-")
    if term and "-" in term:
        start_text, _sep, end_text = term.partition("-")
        term_start = _int(errors, "congress.term", start_text.strip(), minimum=1900)
        term_end = _int(errors, "congress.term", end_text.strip(), minimum=1900)
    else:
        term_start = _int(errors, "congress.term_start", cong.get("term_start"), minimum=1900)
        term_end = _int(errors, "congress.term_end", cong.get("term_end"), minimum=1900)
    if term_end <= term_start:
        errors.add(
            "congress.term",
            _("nhiệm kỳ phải kết thúc sau khi bắt đầu (%(s)s–%(e)s)") % {"s": term_start, "e": term_end},
        )
    rules = str(cong.get("rules") or default_rules(out_org["kind"]))
    if rules not in RULESETS:
        errors.add(
            "congress.rules",
            _("“%(name)s” không thuộc %(known)s") % {"name": rules, "known": ", ".join(sorted(RULESETS))},
        )
    kind = str(cong.get("kind") or Congress.Kind.DELEGATES)
    if kind not in Congress.Kind.values:
        errors.add(
            "congress.kind",
            _("“%(kind)s” không thuộc %(known)s") % {"kind": kind, "known": ", ".join(Congress.Kind.values)},
        )
    name = _text(errors, "congress.name", cong.get("name"))
    slug = str(cong.get("slug") or ascii_slug(name)[:60].strip("-")).strip()
    if not re.match(r"^[a-z0-9][a-z0-9-]{1,79}$", slug):
        errors.add(
            "congress.slug", _("“%(slug)s”: chỉ chữ thường không dấu, số và gạch ngang") % {"slug": slug}
        )
    elif Congress.objects.filter(slug=slug).exists():
        errors.add("congress.slug", _("mã đại hội “%(slug)s” đã được dùng") % {"slug": slug})
    starts_on = _date(errors, "congress.starts_on", cong.get("starts_on"))
    ends_on = _date(errors, "congress.ends_on", cong.get("ends_on") or cong.get("starts_on"))
    if ends_on < starts_on:
        errors.add("congress.ends_on", _("ngày bế mạc trước ngày khai mạc"))
    out_cong = {
        "slug": slug,
        "name": name,
        "ordinal": _int(errors, "congress.ordinal", cong.get("ordinal"), minimum=1),
        "term_start": term_start,
        "term_end": term_end,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "venue": _text(errors, "congress.venue", cong.get("venue"), required=False),
        "theme": _text(errors, "congress.theme", cong.get("theme"), required=False, limit=2000),
        "kind": kind,
        "rules": rules,
    }
    units_in = spec.get("units") or []
    units: list[tuple[str, int]] = []
    if not isinstance(units_in, list):
        errors.add("units", _("phải là một danh sách"))
        units_in = []
    if len(units_in) > MAX_UNITS:
        errors.add("units", _("quá %(max)s đơn vị") % {"max": MAX_UNITS})
        units_in = []
    seen: set[str] = set()
    for i, unit in enumerate(units_in, start=1):
        where = f"units[{i}]"
        if not isinstance(unit, dict):
            errors.add(where, _("phải có name và members"))
            continue
        unit_name = _text(errors, f"{where}.name", unit.get("name"), limit=200)
        if unit_name.casefold() in seen:
            errors.add(f"{where}.name", _("“%(name)s” có hai lần") % {"name": unit_name})
        seen.add(unit_name.casefold())
        units.append((unit_name, _int(errors, f"{where}.members", unit.get("members"), minimum=0)))
    total = _int(errors, "seats.total", seats.get("total", 0), minimum=0)
    ex_officio = _int(errors, "seats.ex_officio", seats.get("ex_officio", 0), minimum=0)
    minimum = _int(errors, "seats.minimum_per_unit", seats.get("minimum_per_unit", 1), minimum=0)
    if ex_officio > total:
        errors.add(
            "seats.ex_officio",
            _("lớn hơn tổng số đại biểu (%(ex)s > %(total)s)") % {"ex": ex_officio, "total": total},
        )
    staff_in = spec.get("staff") or []
    staff: list[dict[str, Any]] = []
    if not isinstance(staff_in, list) or len(staff_in) > MAX_STAFF:
        errors.add("staff", _("phải là danh sách tối đa %(max)s tài khoản") % {"max": MAX_STAFF})
        staff_in = []
    usernames: set[str] = set()
    user_model = get_user_model()
    for i, person in enumerate(staff_in, start=1):
        where = f"staff[{i}]"
        if not isinstance(person, dict):
            errors.add(where, _("phải có username, full_name và roles"))
            continue
        username = str(person.get("username") or "").strip().lower()
        if not USERNAME_RE.match(username):
            errors.add(
                f"{where}.username",
                _("“%(u)s” không hợp lệ (chữ thường không dấu, số, . _ -)") % {"u": username},
            )
        elif username in usernames or user_model.objects.filter(username=username).exists():
            errors.add(f"{where}.username", _("“%(u)s” đã có") % {"u": username})
        usernames.add(username)
        roles = person.get("roles") or []
        if isinstance(roles, str):
            roles = [r.strip() for r in roles.split(",") if r.strip()]
        bad = [r for r in roles if r not in StaffRole.Role.values]
        if bad or not roles:
            errors.add(
                f"{where}.roles",
                _("vai trò phải thuộc %(known)s") % {"known": ", ".join(StaffRole.Role.values)},
            )
        staff.append(
            {
                "username": username,
                "full_name": _text(errors, f"{where}.full_name", person.get("full_name")),
                "roles": list(roles),
            }
        )
    if errors.errors:
        raise errors
    return {
        "organization": out_org,
        "congress": out_cong,
        "units": units,
        "seats": {"total": total, "ex_officio": ex_officio, "minimum_per_unit": minimum},
        "staff": staff,
    }


def new_congress_from_spec(actor: Actor, spec: Any, *, organization: Organization | None = None) -> Created:
    """Create the organization (unless given or already there by name), the congress, its units and
    seat allocation, and its staff accounts: all or nothing. Raises `SpecErrors` or `ActionError`."""
    clean = check_spec(spec)
    with transaction.atomic():
        org_spec = clean["organization"]
        if organization is None:
            organization = Organization.objects.filter(parent=None, name__iexact=org_spec["name"]).first()
        if organization is None:
            organization = create_organization(
                actor, name=org_spec["name"], kind=org_spec["kind"], place=org_spec["place"]
            )
        congress = create_congress(actor=actor, organization=organization, **clean["congress"])
        if actor.user is not None:
            grant_role(congress, actor.user, StaffRole.Role.ORGANIZER.value, actor)
        units = set_units(actor, congress, clean["units"])
        seats = clean["seats"]
        if units or seats["total"]:
            configure_seats(
                congress,
                actor,
                total_seats=seats["total"],
                ex_officio_seats=seats["ex_officio"],
                minimum_seats_per_unit=seats["minimum_per_unit"],
                member_counts={u.pk: u.member_count for u in units},
            )
        accounts = [
            create_staff_account(
                actor, congress, username=p["username"], full_name=p["full_name"], roles=p["roles"]
            )
            for p in clean["staff"]
        ]
    congress.refresh_from_db()
    return Created(congress, accounts)


def spec_from_rows(rows: list[tuple[int, list[Any]]]) -> dict[str, Any]:
    """The .xlsx form of a specification: one row per fact, read from the first sheet.

        organization.name | Đoàn TNCS Hồ Chí Minh phường Hoà Bình
        congress.ordinal  | 5
        seats.total       | 30
        unit              | Chi đoàn khu phố 1 | 40
        staff             | thuky1 | Nguyễn Văn A | secretariat, counting

    Rows whose first cell is empty or starts with # are skipped; other keys are errors."""
    spec: dict[str, Any] = {"organization": {}, "congress": {}, "seats": {}, "units": [], "staff": []}
    errors = SpecErrors()
    for number, values in rows:
        cells = [("" if v is None else v) for v in values] + ["", "", "", ""]
        key = str(cells[0]).strip()
        if not key or key.startswith("#"):
            continue
        if key.lower() in {"unit", "đơn vị"}:
            spec["units"].append({"name": cells[1], "members": cells[2]})
        elif key.lower() in {"staff", "tài khoản"}:
            spec["staff"].append({"username": cells[1], "full_name": cells[2], "roles": str(cells[3])})
        elif "." in key and key.split(".", 1)[0] in {"organization", "congress", "seats"}:
            section, name = key.split(".", 1)
            spec[section][name] = cells[1]
        else:
            errors.add(_("dòng %(row)s") % {"row": number}, _("không rõ khoá “%(key)s”") % {"key": key})
    if errors.errors:
        raise errors
    return spec
