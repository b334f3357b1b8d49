"""`daihoi congress new --from congress.yaml|.xlsx`: a whole congress from one file, all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daihoi.congress.access import SYSTEM, Actor, Role
from daihoi.congress.actions.organizer import SpecErrors, new_congress_from_spec, spec_from_rows
from daihoi.congress.errors import ActionError

MAX_FILE_BYTES = 5 * 1024 * 1024

FORMAT = """\
The file (YAML; the .xlsx form has one row per key, see below):

  organization:
    name: Đoàn TNCS Hồ Chí Minh phường Hoà Bình   # created unless a top organization has this name
    kind: youth_union          # party | youth_union | trade_union | shareholders | other
    place: Hà Nội              # the date line's place (optional)
  congress:
    slug: doan-hoa-binh-2027   # the address /c/<slug>/ (default: from the name)
    name: Đại hội đại biểu Đoàn TNCS Hồ Chí Minh phường Hoà Bình lần thứ V
    ordinal: 5
    term: 2027-2032            # or term_start: 2027 and term_end: 2032
    starts_on: 2027-05-10      # YYYY-MM-DD or DD/MM/YYYY
    ends_on: 2027-05-11
    venue: Hội trường UBND phường
    theme: ...                 # optional
    kind: delegates            # delegates | general
    rules: approval            # party | shareholders | approval (default follows organization.kind)
  seats:
    total: 30
    ex_officio: 3
    minimum_per_unit: 1
  units:
    - {name: Chi đoàn khu phố 1, members: 40}
    - {name: Chi đoàn khu phố 2, members: 55}
  staff:
    - {username: chutich1, full_name: Nguyễn Văn An, roles: [presidium]}
    - {username: thuky1, full_name: Trần Thị Bình, roles: [secretariat, counting]}

The .xlsx form (first sheet; column A the key, B.. the values; rows starting with # are skipped):
  organization.name | Đoàn TNCS ...        congress.term | 2027-2032
  unit | Chi đoàn khu phố 1 | 40           staff | thuky1 | Trần Thị Bình | secretariat, counting

Roles: organizer, presidium, secretariat, credentials, counting. Every staff account gets a
one-time password, printed once here (or written to --sheet as a printable page).
Every error is listed with its place (congress.ordinal, units[3].members, dòng 7) and nothing is
written; the exit status is then 1."""


def load_spec(path: Path) -> Any:
    if not path.is_file():
        raise CommandError(_("Không có tệp “%(path)s”.") % {"path": path})
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise CommandError(_("Tệp “%(path)s” quá 5 MB.") % {"path": path})
    if path.suffix.lower() == ".xlsx":
        from daihoi.congress.actions.roll.reading import read_sheet

        return spec_from_rows(read_sheet(path.name, data, max_rows=1000))
    if path.suffix.lower() not in {".yaml", ".yml"}:
        raise CommandError(_("Tệp “%(path)s”: chỉ nhận .yaml, .yml hoặc .xlsx.") % {"path": path})
    import yaml

    try:
        return yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (dòng %(line)s)") % {"line": mark.line + 1} if mark is not None else ""
        raise CommandError(
            _("Tệp YAML “%(path)s” đọc không được%(where)s: %(error)s")
            % {"path": path, "where": where, "error": error}
        ) from error


class Command(BaseCommand):
    help = "Tạo đại hội từ tệp / Create a congress from a file: daihoi congress new --from congress.yaml"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = FORMAT
        return parser

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["new"], help="new: create a congress")
        parser.add_argument("--from", dest="source", required=True, type=Path, help="congress.yaml or .xlsx")
        parser.add_argument("--organizer", help=_("tài khoản (đã có) được giao vai trò ban tổ chức"))
        parser.add_argument("--sheet", type=Path, help=_("ghi phiếu đăng nhập (HTML in được) vào tệp này"))

    def handle(
        self, *args: Any, action: str, source: Path, organizer: str | None, sheet: Path | None, **options: Any
    ) -> None:
        spec = None
        try:
            spec = load_spec(source)
            actor = SYSTEM
            if organizer:
                from django.contrib.auth import get_user_model

                user = get_user_model().objects.filter(username=organizer).first()
                if user is None:
                    raise CommandError(_("Không có tài khoản “%(u)s”.") % {"u": organizer})
                actor = Actor(roles=frozenset({Role.ORGANIZER}), user=user)
            created = new_congress_from_spec(actor, spec)
        except SpecErrors as errors:
            for where, message in errors.errors:
                self.stderr.write(f"{source}: {where}: {message}")
            raise CommandError(_("%(n)s lỗi; chưa tạo gì.") % {"n": len(errors.errors)}) from None
        except ActionError as error:
            raise CommandError(f"{source}: {error.message}") from None
        congress = created.congress
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo đại hội “%(name)s” (/c/%(slug)s/), %(units)s đơn vị, %(seats)s đại biểu.")
                % {
                    "name": congress.name,
                    "slug": congress.slug,
                    "units": congress.organization.children.count(),
                    "seats": congress.total_seats,
                }
            )
        )
        for account in created.accounts:
            self.stdout.write(
                f"{account.username}\t{account.password}\t{', '.join(account.roles)}\t{account.full_name}"
            )
        if sheet is not None and created.accounts:
            from django.template.loader import render_to_string

            sheet.write_text(
                render_to_string(
                    "setup/sign_in_sheet.html", {"congress": congress, "accounts": created.accounts}
                ),
                encoding="utf-8",
            )
            self.stdout.write(_("Phiếu đăng nhập: %(path)s") % {"path": sheet})
