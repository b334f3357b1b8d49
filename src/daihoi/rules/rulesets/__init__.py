"""The registry of rule sets: each module here that defines `RULESET` is one, found by its name."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from daihoi.rules.errors import RuleError
from daihoi.rules.ruleset import RuleSet

DEFAULT = "party"


def _discover() -> Mapping[str, RuleSet]:
    found: dict[str, RuleSet] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        ruleset = getattr(module, "RULESET", None)
        if isinstance(ruleset, RuleSet):
            found[ruleset.name] = ruleset
    return MappingProxyType(found)


RULESETS: Mapping[str, RuleSet] = _discover()


def get_ruleset(name: str = DEFAULT) -> RuleSet:
    """The rule set called `name`, or RuleError `unknown_ruleset`."""
    try:
        return RULESETS[name]
    except KeyError:
        raise RuleError("unknown_ruleset", name=name, known=sorted(RULESETS)) from None
