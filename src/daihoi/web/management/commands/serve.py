"""`daihoi serve`: the whole app (pages, static files, WebSockets) in daphne.

Runs in the hall on one laptop: phones, the desk and the projector connect over the local network.
One process by default. `--processes N` runs N server processes on one port (the kernel shares the
connections out), for a machine with more cores than one Python process can use; the screens then need
the shared Redis channel layer (`REDIS_URL`), so that a change made in one process reaches the screens
connected to another.

`--tls` serves HTTPS with a certificate made for the hall on first start (its SHA-256 fingerprint is
printed for checking); `--tls-cert/--tls-key` use the organisers' own. Session and CSRF cookies are then
sent over HTTPS only.

Every request is logged on standard output, one line each (method, path, status, milliseconds); a failing
request's traceback follows in full on standard error (Django's `django.request` logger). Card codes in
paths are masked. `--no-request-log` or `DAIHOI_REQUEST_LOG=0` silences the lines.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

LISTEN_BACKLOG = 4096  # connections the kernel queues before the server accepts them (capped by somaxconn)
SOCKET_OPEN_TIMEOUT = 30  # seconds a WebSocket may take to open (daphne's default handshake limit is 5)
REQUEST_LOG_ENV = "DAIHOI_REQUEST_LOG"
_CARD_PATH = re.compile(r"^/d/[^/?]+")


def request_log_on() -> bool:
    return os.environ.get(REQUEST_LOG_ENV, "1").strip().lower() not in ("0", "no", "off", "false")


def request_line(details: dict[str, Any]) -> str:
    """One line per request: "GET /c/dh/ 200 12 ms". No query string (it may carry a screen's token) and
    no card code (a card's path is its sign-in)."""
    path = str(details.get("path") or "").split("?", 1)[0]
    path = _CARD_PATH.sub("/d/…", path)
    ms = round(float(details.get("time_taken") or 0) * 1000)
    return f"{details.get('method', '?')} {path} {details.get('status', '?')} {ms} ms"


class RequestLog:
    """daphne's action logger: a line for each HTTP request completed."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def __call__(self, protocol: str, action: str, details: dict[str, Any]) -> None:
        if protocol == "http" and action == "complete":
            self.out.write(request_line(details))
            self.out.flush()


class Command(BaseCommand):
    help = "Chạy máy chủ daihoi (trang web, tệp tĩnh và WebSocket) bằng daphne. / Run the daihoi server."
    requires_system_checks = []  # checks run below, after the options are read

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("Địa chỉ lắng nghe (mặc định 127.0.0.1)."))
        parser.add_argument("--port", type=int, default=8000, help=_("Cổng (mặc định 8000)."))
        parser.add_argument("--quiet", action="store_true", help=_("Không in địa chỉ và tài khoản."))
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help=_("Số tiến trình máy chủ (mặc định 1; từ 2 trở lên cần REDIS_URL)."),
        )
        parser.add_argument(
            "--tls",
            action="store_true",
            help=_("Dùng HTTPS với chứng chỉ tự tạo cho hội trường (tạo lần đầu, in dấu vân tay SHA-256)."),
        )
        parser.add_argument("--tls-cert", default="", help=_("Tệp chứng chỉ PEM cho HTTPS."))
        parser.add_argument("--tls-key", default="", help=_("Tệp khóa riêng PEM của chứng chỉ."))
        parser.add_argument(
            "--no-request-log",
            action="store_true",
            help=_("Không in một dòng cho mỗi yêu cầu (cũng tắt được bằng DAIHOI_REQUEST_LOG=0)."),
        )
        parser.add_argument("--fd", type=int, default=None, help=argparse.SUPPRESS)  # a child's socket

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        quiet: bool,
        processes: int = 1,
        fd: int | None = None,
        tls: bool = False,
        tls_cert: str = "",
        tls_key: str = "",
        no_request_log: bool = False,
        **options: Any,
    ) -> None:
        if no_request_log:
            os.environ[REQUEST_LOG_ENV] = "0"  # the child processes inherit it
        # daphne.server installs the asyncio Twisted reactor; it must come before anything imports twisted.
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server

        if processes < 1:
            raise CommandError(_("--processes phải là số nguyên dương (đang là %(n)s).") % {"n": processes})
        certificate = self._tls(host, tls, tls_cert, tls_key)
        if certificate is not None and processes > 1:
            raise CommandError(_("HTTPS chưa dùng được với --processes; xin chạy một tiến trình."))
        if processes > 1 and fd is None:
            self._serve_processes(host, port, processes, quiet)
            self._exit_promptly()
            return
        if fd is None:
            self._check_port_free(host, port)
        if not quiet:
            self.check(display_num_errors=False)
            self.check_migrations()
            self.stdout.write(self.banner(host, port, https=certificate is not None))
            if certificate is not None:
                self.stdout.write(certificate[2])
            self.stdout.flush()

        from daihoi.web.asgi import application

        wal_keeper = _hold_sqlite_wal()  # noqa: F841 - held open for the life of the server
        if certificate is not None:
            from daihoi.web.tls import endpoint

            endpoints = [endpoint(host, port, certificate[0], certificate[1])]
        elif fd is None:
            # a hall's phones reconnecting at once: a deep accept queue (Twisted's default is 50)
            endpoints = [
                f"{e}:backlog={LISTEN_BACKLOG}"
                for e in build_endpoint_description_strings(host=host, port=port)
            ]
        else:
            endpoints = build_endpoint_description_strings(file_descriptor=fd)
        server = Server(
            application=application,
            endpoints=endpoints,
            signal_handlers=True,  # SIGINT and SIGTERM stop the reactor; open requests are closed
            action_logger=RequestLog(self.stdout) if request_log_on() else None,
            verbosity=0 if quiet else 1,
            # a burst of sockets waits its turn instead of being dropped at daphne's 5 s handshake limit
            websocket_handshake_timeout=SOCKET_OPEN_TIMEOUT,
            websocket_connect_timeout=SOCKET_OPEN_TIMEOUT,
        )
        _settle_garbage_collector()
        server.run()
        if not server.listening_addresses:
            raise CommandError(_("Không mở được cổng %(host)s:%(port)s.") % {"host": host, "port": port})
        from daihoi.web.asgi import django_asgi_app

        django_asgi_app.close_connections()
        if not quiet:
            self.stdout.write(_("Đã dừng máy chủ."))
        self._exit_promptly()

    def _tls(self, host: str, make: bool, cert: str, key: str) -> tuple[Path, Path, str] | None:
        """(certificate, key, lines to print) when serving HTTPS; also makes the cookies Secure."""
        from django.conf import settings

        from daihoi.web import tls

        if bool(cert) != bool(key):
            raise CommandError(_("Cần cả --tls-cert và --tls-key."))
        if not (make or cert):
            return None
        if cert:
            cert_path, key_path = Path(cert).resolve(), Path(key).resolve()
            try:
                tls.check_pair(cert_path, key_path)
            except ValueError as error:
                raise CommandError(
                    _("Chứng chỉ HTTPS không dùng được: %(error)s") % {"error": error}
                ) from error
            made = False
        else:
            lan = _lan_address() if host in ("0.0.0.0", "::", "[::]") else None  # noqa: S104
            addresses = [host] + ([lan] if lan else [])
            cert_path, key_path, made = tls.hall_certificate(Path(settings.DATA_DIR) / "tls", addresses)
        # Read at every response, so setting them here covers this process.
        settings.SESSION_COOKIE_SECURE = True
        settings.CSRF_COOKIE_SECURE = True
        lines = [
            "",
            (_("Đã tạo chứng chỉ HTTPS cho hội trường: %(path)s") if made else _("Chứng chỉ HTTPS: %(path)s"))
            % {"path": cert_path},
            _("Dấu vân tay SHA-256 (so với trình duyệt): %(fingerprint)s")
            % {"fingerprint": tls.fingerprint(cert_path)},
            "",
        ]
        return cert_path, key_path, "\n".join(lines)

    def _exit_promptly(self) -> None:
        """Leave as soon as the server has stopped: every write is committed and every connection
        closed, so tearing the interpreter down (freeing each module of Django, Twisted and the app)
        only delays the exit, by seconds on a busy laptop. Only when run as a command."""
        if not getattr(self, "_called_from_command_line", False):
            return
        atexit._run_exitfuncs()
        self.stdout.flush()
        self.stderr.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def _serve_processes(self, host: str, port: int, processes: int, quiet: bool) -> None:
        """Bind the port here, then run `processes` servers that all accept on it; stop them together."""
        from django.conf import settings

        backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
        if "redis" not in backend.lower():
            raise CommandError(
                _(
                    "Chạy nhiều tiến trình cần kênh trực tiếp dùng chung cho các màn hình: "
                    "đặt REDIS_URL (ví dụ redis://127.0.0.1:6379/0)."
                )
            )
        self._check_port_free(host, port)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host.strip("[]"), port))
        listener.listen(LISTEN_BACKLOG)
        listener.set_inheritable(True)
        if not quiet:
            self.check(display_num_errors=False)
            self.check_migrations()
            self.stdout.write(self.banner(host, port))
            self.stdout.write(_("%(n)s tiến trình máy chủ.") % {"n": processes} + "\n")
            self.stdout.flush()
        command = [sys.executable, "-m", "daihoi.cli", "serve", "--fd", str(listener.fileno()), "--quiet"]
        children = [
            subprocess.Popen(command, pass_fds=[listener.fileno()])  # noqa: S603 - this very program
            for _ in range(processes)
        ]
        listener.close()  # the children hold it now
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.2)
            failed = not stopping
            stop(signal.SIGTERM, None)  # one ended: the server is stopping, all of it
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed:
            raise CommandError(_("Một tiến trình máy chủ đã dừng bất thường; đã dừng cả máy chủ."))
        if not quiet:
            self.stdout.write(_("Đã dừng máy chủ."))

    @staticmethod
    def _check_port_free(host: str, port: int) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host.strip("[]"), port))
            except OSError as error:
                raise CommandError(
                    _("Cổng %(host)s:%(port)s đang bận hoặc không dùng được (%(error)s).")
                    % {"host": host, "port": port, "error": error.strerror}
                ) from error

    def banner(self, host: str, port: int, https: bool = False) -> str:
        """The addresses people need in the hall and, for the demo, the logins."""
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host  # noqa: S104
        scheme = "https" if https else "http"
        base = f"{scheme}://{shown}:{port}"
        lines = [
            _("daihoi đang chạy tại %(url)s (dừng: Ctrl+C)") % {"url": base},
            "",
            f"  {_('Trang chủ, đăng nhập')}: {base}/  {base}/login/",
            f"  {_('Đại biểu đăng nhập bằng mã thẻ')}: {base}/d/",
        ]
        if host in ("0.0.0.0", "::", "[::]"):  # noqa: S104
            lan = _lan_address()
            if lan:
                lines.append(
                    f"  {_('Trong mạng nội bộ')}: {scheme}://{lan}:{port}/  "
                    + _("(thêm %(ip)s vào DAIHOI_ALLOWED_HOSTS)") % {"ip": lan}
                )
        try:
            lines += self._congress_lines(base)
        except DatabaseError:
            lines += ["", _("Chưa có cơ sở dữ liệu: chạy `daihoi migrate` rồi `daihoi seed_demo`.")]
        return "\n".join(lines) + "\n"

    def _congress_lines(self, base: str) -> list[str]:
        from daihoi.congress.demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_USERS
        from daihoi.congress.models import Congress

        congress = Congress.objects.filter(slug=DEMO_SLUG).first() or Congress.objects.order_by("pk").first()
        if congress is None:
            return ["", _("Chưa có đại hội nào. Tạo đại hội mẫu: daihoi seed_demo")]
        c = f"{base}/c/{congress.slug}"
        lines = [
            "",
            f"{congress.name}",
            f"  {_('Bảng điều khiển')}: {c}/",
            f"  {_('Bàn điểm danh')}: {c}/desk/",
            f"  {_('Bảng điểm danh')}: {c}/board/",
            f"  {_('Màn hình chiếu')}: {c}/screen/{congress.screen_token}/",
            f"  {_('Đại biểu đăng nhập')}: {base}/d/",
        ]
        if congress.slug == DEMO_SLUG:
            lines += ["", _("Tài khoản mẫu (mật khẩu: %(password)s):") % {"password": DEMO_PASSWORD}]
            lines += [f"  {username:<10} {label}" for username, _role, label in DEMO_USERS]
            lines += ["", _("Mã thẻ đại biểu mẫu:")]
            for d in congress.delegates.order_by("number")[:3]:
                lines.append(f"  {d.code}  {d.full_name} ({base}/d/{d.code}/)")
        return lines


def _lan_address() -> str | None:
    """The address other devices in the hall would use (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
    except OSError:
        return None


def _hold_sqlite_wal() -> object | None:
    """On SQLite, hold one idle connection open while the server runs.

    SQLite checkpoints and deletes the WAL when the last connection to the database closes, and Django
    closes its connection after every request: without a connection held open, every request pays a
    checkpoint (with its fsync) and a new WAL, about 20 ms. The held connection keeps no transaction
    open, so checkpoints still run as the WAL grows.
    """
    import sqlite3

    from django.db import connections

    settings = connections.databases["default"]
    if settings["ENGINE"] != "django.db.backends.sqlite3":
        return None
    keeper = sqlite3.connect(str(settings["NAME"]), check_same_thread=False, isolation_level=None)
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()  # opens the WAL index
    return keeper


def _settle_garbage_collector() -> None:
    """Before serving: everything the start-up made (Django, the URL map, the models, the templates) is
    moved out of the cyclic garbage collector's sight, for good (`gc.freeze`).

    A full collection walks every object it tracks, and runs again each time the heap grows by a quarter.
    With a hall's 2,000 phones connected it stopped the whole server for 45–134 ms several times in a
    10-second burst of ballots, and those stops were the ballots' p99 (see the README's benchmarks).
    What start-up made lives as long as the process, so nothing it could free is
    lost; what the requests make is collected as before, with Python's thresholds (raising them made the
    young collections long enough to show in the p99 instead)."""
    gc.collect()
    gc.freeze()
