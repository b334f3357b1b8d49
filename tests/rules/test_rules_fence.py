"""The rules core never imports Django, not even indirectly, and needs nothing outside the stdlib."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import daihoi.rules

PROBE = """
import sys
before = set(sys.modules)
import daihoi.rules, daihoi.tally_cli
import daihoi.rules.allocation, daihoi.rules.casting, daihoi.rules.entries
import daihoi.rules.minutes, daihoi.rules.nomination, daihoi.rules.ordering, daihoi.rules.procedure
leaks = sorted(m for m in sys.modules if m.split(".")[0] == "django" or m.startswith("daihoi.web"))
foreign = sorted(
    m for m in set(sys.modules) - before
    if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] not in ("daihoi", "__main__")
)
print(leaks, foreign)
sys.exit(1 if leaks or foreign else 0)
"""


def test_rules_and_tally_cli_import_no_django_in_a_fresh_interpreter():
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_django_import_statement_in_the_core():
    root = pathlib.Path(daihoi.rules.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, path
        assert "daihoi.web" not in text, path
