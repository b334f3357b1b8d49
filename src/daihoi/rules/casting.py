"""P20 direct voting (no proxies, electronic casting per rule set) and S2 shareholders' proxies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from daihoi.rules.errors import RuleError
from daihoi.rules.rulesets import get_ruleset


def electronic_casting_allowed(ruleset: str, *, congress_setting: bool | None = None) -> bool:
    """P20: the rule set's default, unless the organizer set it for this congress (when settable)."""
    rules = get_ruleset(ruleset)
    if congress_setting is None or not rules.electronic_casting_settable:
        return rules.electronic_casting_allowed
    return congress_setting


def check_electronic_casting(ruleset: str, *, congress_setting: bool | None = None) -> None:
    """Refuse an electronic ballot where P20 does not allow it."""
    if not electronic_casting_allowed(ruleset, congress_setting=congress_setting):
        raise RuleError("electronic_casting_not_allowed", ruleset=ruleset)


def proxy_weights(ruleset: str, roll: Iterable[tuple[str, int, str | None]]) -> Mapping[str, int]:
    """S2: who votes with how many shares. `roll` rows are (holder, shares, proxy or None for in person);
    a proxy carries the shares of each holder it represents. P20: party allows no proxies."""
    rules = get_ruleset(ruleset)
    weights: dict[str, int] = {}
    seen: set[str] = set()
    for holder, shares, proxy in roll:
        if proxy is not None and not rules.proxies_allowed:
            raise RuleError("proxies_not_allowed", ruleset=ruleset)
        if holder in seen:
            raise RuleError("represented_twice", holder=holder)
        if shares < 0:
            raise RuleError("negative_count", field=holder, value=shares)
        seen.add(holder)
        voter = holder if proxy is None else proxy
        weights[voter] = weights.get(voter, 0) + shares
    return weights
