"""The HTTP side alone, daphne against uvicorn: server CPU per request for the same requests.

Starts the app on a fresh demo database under each server, one right after the other, and drives it with
`wrk` (keep-alive connections): /healthz (no database), a delegate's phone page (session, the gate, a
template) and a cast-like POST (CSRF, session, the gate, a JSON body). Prints server CPU ms per request
(from /proc, deterministic enough to compare) and requests per second (noisy: the machine is shared).

    python bench/http_servers.py [--seconds 10] [--connections 16] [--servers daphne,uvicorn]
uvicorn must be importable (it is not a dependency of daihoi: use a separate venv to measure).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def command(server: str, port: int) -> list[str]:
    """daphne (`daihoi serve`), or uvicorn with httptools on uvloop ("uvicorn") or on asyncio."""
    if server == "daphne":
        return [
            sys.executable,
            "-m",
            "daihoi.cli",
            "serve",
            "--port",
            str(port),
            "--quiet",
            "--no-request-log",
        ]
    loop = "asyncio" if server == "uvicorn-asyncio" else "auto"
    return [
        sys.executable, "-m", "uvicorn", "daihoi.web.asgi:application", "--host", "127.0.0.1",
        "--port", str(port), "--http", "httptools", "--loop", loop, "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def wait_up(port: int) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def sign_in(port: int, code: str) -> tuple[str, str]:
    """A delegate's session by card code: (Cookie header, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/d/{code}/").geturl()
    cookies = {c.name: c.value for c in jar}
    if "csrftoken" not in cookies:
        opener.open(page).read()
        cookies = {c.name: c.value for c in jar}
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies.get("csrftoken", "")


def wrk(
    url: str, seconds: int, connections: int, headers: list[str], script: str | None = None
) -> tuple[int, int, str]:
    """(requests, of which non-2xx/3xx, socket errors) from one wrk run."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", *[arg for h in headers for arg in ("-H", h)]]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return total, int(non2xx.group(1)) if non2xx else 0, errors.group(1) if errors else ""


def status(url: str, headers: list[str], body: bytes | None) -> int:
    request = urllib.request.Request(url, data=body, headers=dict(h.split(": ", 1) for h in headers))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", default="1,16", help="wrk connections, one run each (comma list)")
    parser.add_argument("--cases", default="healthz,page,post")
    parser.add_argument("--servers", default="daphne,uvicorn")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="daihoi-http-"))
    env = {**os.environ, "DAIHOI_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "daihoi.web.settings"}
    run = [sys.executable, "-m", "daihoi.cli"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*run, "seed_demo"], env=env, check=True, capture_output=True)
    facts = subprocess.run(
        [*run, "shell", "-c", (
            "import json; from daihoi.congress.models import Congress; c = Congress.objects.get(slug='phuong-hoa-binh-xv'); "
            "d = c.delegates.order_by('number').first(); print(json.dumps([c.slug, d.code]))"
        )],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    slug, code = json.loads(facts.strip().splitlines()[-1])
    post_body = b'{"ballot": {}, "credential": "x", "nonce": "0123456789abcdef"}'
    post = Path(data) / "post.lua"
    post.write_text(
        'wrk.method = "POST"\nwrk.body = \'{"ballot": {}, "credential": "x", "nonce": "0123456789abcdef"}\'\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    results = []
    for server in args.servers.split(","):
        port = free_port()
        proc = subprocess.Popen(command(server, port), env=env, stdout=subprocess.DEVNULL)
        try:
            wait_up(port)
            cookie, csrf = sign_in(port, code)
            base = f"http://127.0.0.1:{port}"
            cases = [
                ("GET /healthz", f"{base}/healthz", [], None),
                ("GET delegate page", f"{base}/c/{slug}/me/", [f"Cookie: {cookie}"], None),
                (
                    "POST cast-like",
                    f"{base}/c/{slug}/me/elections/999999/cast.json",
                    [f"Cookie: {cookie}", f"X-CSRFToken: {csrf}", f"Referer: {base}/"],
                    str(post),
                ),
            ]
            wanted = args.cases.split(",")
            cases = [c for c, key in zip(cases, ("healthz", "page", "post"), strict=True) if key in wanted]
            for (name, url, headers, script), connections in (
                (case, int(n)) for case in cases for n in args.connections.split(",")
            ):
                print(name, "answers", status(url, headers, script and post_body), flush=True)
                wrk(url, 2, connections, headers, script)  # warm-up
                before = cpu_seconds(proc.pid)
                total, non2xx, errors = wrk(url, args.seconds, connections, headers, script)
                cpu = cpu_seconds(proc.pid) - before
                row = {
                    "server": server, "case": name, "connections": connections, "requests": total, "non_2xx": non2xx, "socket_errors": errors, "rps": round(total / args.seconds),
                    "cpu_ms_per_request": round(cpu * 1000 / max(1, total), 3),
                    "loadavg": Path("/proc/loadavg").read_text().split()[0],
                }  # fmt: skip
                results.append(row)
                print(json.dumps(row), flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
