"""`daihoi seed_demo [--reset]`: load the demo congress with its registered parts, such as the voting app's
two elections (idempotent; --reset deletes it with everything voted in it and reloads it, all or nothing)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daihoi.congress.demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_USERS, describe, load_demo
from daihoi.congress.models import Congress


class Command(BaseCommand):
    help = "Tạo đại hội mẫu (165 đại biểu) để thử và trình diễn. / Load the demo congress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help=_("Xóa đại hội mẫu đang có rồi tạo lại."))

    def handle(self, *args: Any, reset: bool, **options: Any) -> None:
        if not reset and Congress.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write(
                _("Đại hội mẫu “%(slug)s” đã có; không thay đổi gì (dùng --reset để tạo lại).")
                % {"slug": DEMO_SLUG}
            )
            return
        started = time.monotonic()
        congress = load_demo(reset=reset)
        self.stdout.write(self.style.SUCCESS(describe(congress)))
        self.stdout.write(_("Đã tạo trong %(seconds).1f giây.") % {"seconds": time.monotonic() - started})
        self.stdout.write(
            _("Tài khoản: %(users)s; mật khẩu: %(password)s")
            % {"users": ", ".join(u for u, _r, _l in DEMO_USERS), "password": DEMO_PASSWORD}
        )
