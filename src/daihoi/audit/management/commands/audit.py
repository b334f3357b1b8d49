"""`daihoi audit verify`: walk the keyed hash chain and prove every anchored state is still in it; exit 1
and list the problems if anything was tampered with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daihoi.audit import anchor
from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry, AuditHead


class Command(BaseCommand):
    help = "Nhật ký kiểm toán: `verify` kiểm tra chuỗi băm. / Audit log: `verify` checks the hash chain."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        v = sub.add_parser(
            "verify", help=_("Kiểm tra toàn bộ chuỗi nhật ký (sửa, xóa, đảo thứ tự, cắt đuôi, ghi lại).")
        )
        v.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="HASH",
            help=_("Mã chuỗi in trên biên bản (đầy đủ hoặc ít nhất 12 ký tự đầu); có thể lặp lại."),
        )
        v.add_argument(
            "--anchors",
            metavar="FILE",
            help=_("Tệp mốc neo (mặc định: audit-anchors.log bên cạnh cơ sở dữ liệu)."),
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(options["anchor"], options["anchors"])

    def verify(self, hashes: list[str], anchors_file: str | None) -> None:
        path = Path(anchors_file) if anchors_file else anchor.anchors_path()
        marks: list[anchor.Mark] = []
        try:
            if path.exists():
                marks += anchor.read_file(path)
            elif anchors_file:
                raise CommandError(_("Không tìm thấy tệp mốc neo %(path)s.") % {"path": path}, returncode=2)
            marks += [anchor.parse_hash(h, source="--anchor") for h in hashes]
        except anchor.AnchorFileError as e:
            raise CommandError(str(e), returncode=2) from None
        problems = verify(marks)
        if not problems:
            count = AuditEntry.objects.count()
            self.stdout.write(self.style.SUCCESS(_("Nhật ký toàn vẹn: %(count)s mục") % {"count": count}))
            head = AuditHead.objects.filter(id=1).first()
            if head is not None:
                self.stdout.write(
                    _("Mã chuỗi hiện tại: #%(seq)s %(short)s (%(hash)s)")
                    % {"seq": head.seq, "short": anchor.short(head.hash), "hash": head.hash}
                )
            self.stdout.write(
                _("Đã đối chiếu %(n)s mốc neo (%(file)s).")
                % {"n": len(marks) + len(anchor.stored_marks()), "file": path}
            )
            return
        for p in problems:
            self.stderr.write(f"#{p.seq}  {p.code}  {p.message}")
        raise CommandError(
            _("Nhật ký KHÔNG toàn vẹn: %(count)s vấn đề") % {"count": len(problems)}, returncode=1
        )
