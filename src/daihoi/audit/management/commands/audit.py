"""`daihoi audit verify`: walk the hash chain; exit 1 and list the problems if anything was tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Nhật ký kiểm toán: `verify` kiểm tra chuỗi băm. / Audit log: `verify` checks the hash chain."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help=_("Kiểm tra toàn bộ chuỗi nhật ký (sửa, xóa, đảo thứ tự, cắt đuôi)."))

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify()

    def verify(self) -> None:
        problems = verify()
        if not problems:
            count = AuditEntry.objects.count()
            self.stdout.write(self.style.SUCCESS(_("Nhật ký toàn vẹn: %(count)s mục") % {"count": count}))
            return
        for p in problems:
            self.stderr.write(f"#{p.seq}  {p.code}  {p.message}")
        raise CommandError(
            _("Nhật ký KHÔNG toàn vẹn: %(count)s vấn đề") % {"count": len(problems)}, returncode=1
        )
