"""The `daihoi` command: `daihoi tally ...` counts and `daihoi synthesize ...` synthesizes from files; anything else is a Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "tally" and "--from-db" not in args:
        from daihoi.tally_cli import main as tally_main

        return tally_main(args[1:])
    if args and args[0] == "synthesize":
        from daihoi.synthesis.cli import main as synthesize_main

        return synthesize_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["daihoi", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
