"""The `daihoi` command. The file commands need no Django and no database:

    daihoi tally ...          counts an election from ballot files
    daihoi verify RECORD      checks a published election record
    daihoi targets ...        judges a term's targets from a file
    daihoi synthesize ...     synthesizes the comments on a draft

`daihoi tally --from-db` and anything else is a Django management command."""

from __future__ import annotations

import importlib
import os
import sys

# command -> the module whose main(argv) runs it, without loading Django.
FILE_COMMANDS = {
    "tally": "daihoi.tally_cli",
    "verify": "daihoi.crypto.verify_cli",
    "targets": "daihoi.targets_cli",
    "synthesize": "daihoi.synthesis.cli",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in FILE_COMMANDS and not (args[0] == "tally" and "--from-db" in args):
        module = importlib.import_module(FILE_COMMANDS[args[0]])
        return int(module.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["daihoi", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
