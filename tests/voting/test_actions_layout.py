"""The voting actions have no import cycle: the motions never import the elections' steps, which
register what their motions do; and every election motion kind has its hooks."""

from __future__ import annotations

import ast
import pathlib

import daihoi.voting.actions
from daihoi.voting.actions import motions
from daihoi.voting.models import Motion

ACTIONS = pathlib.Path(daihoi.voting.actions.__file__).parent


def imported_modules(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):  # also imports inside functions
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_motions_never_import_the_elections():
    for name in ("motions.py", "voters.py", "counting.py", "ballots.py"):
        assert not any("elections" in m for m in imported_modules(ACTIONS / name)), name


def test_the_elections_steps_import_each_other_but_never_through_the_package():
    for path in (ACTIONS / "elections").glob("*.py"):
        if path.name != "__init__.py":
            assert "daihoi.voting.actions.elections" not in imported_modules(path) - {
                m for m in imported_modules(path) if m.startswith("daihoi.voting.actions.elections.")
            }, path.name


def test_every_motion_kind_of_an_election_has_its_hooks():
    assert set(motions._kind_hooks) == set(Motion.Kind.values)
