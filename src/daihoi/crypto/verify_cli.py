"""`daihoi verify RECORD`: check a published election record from the file alone (no database, no Django)."""

from __future__ import annotations

import json
import sys

from daihoi.crypto.record import VerifyError, verify_record

USAGE = "usage: daihoi verify RECORD.json"


def main(argv: list[str]) -> int:
    """0 and a one-line verdict when every check passes; 2 and one line naming what failed otherwise."""
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if len(argv) != 1 else sys.stdout)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    path = argv[0]
    try:
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
        if not isinstance(record, dict):
            raise VerifyError("the file must hold one JSON object")
        verdict = verify_record(record)
    except OSError as e:
        print(f"daihoi verify: FAILED: {path}: {e.strerror}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        print(f"daihoi verify: FAILED: {path}: not JSON ({e})", file=sys.stderr)
        return 2
    except VerifyError as e:
        print(f"daihoi verify: FAILED: {path}: {e}".replace("\n", " "), file=sys.stderr)
        return 2
    print(f"daihoi verify: {verdict}")
    return 0
