"""What users read: error pages give the human message with the code only in small print, and no internal
code (role_denied, rule numbers such as P6/P9/P20, rule-set keys such as `approval`) is shown as text."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.models import StaffRole
from daihoi.voting.templatetags.daihoi_labels import ruleset_title_of
from tests.factories import login_as, make_congress, make_election

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "daihoi"
RULE_NUMBER = re.compile(r"\b[PS]\d{1,2}\b")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, no attributes, no script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(html: bytes) -> str:
    parser = VisibleText()
    parser.feed(html.decode())
    return " ".join(" ".join(parser.parts).split())


def test_a_refusal_page_gives_the_message_and_the_status_in_small_print():
    congress = make_congress()
    client = login_as(Client(), congress, StaffRole.Role.COUNTING)
    response = client.get(reverse("electronic_voting", args=[congress.slug]))
    assert response.status_code == 403
    assert b'data-code="role_denied"' in response.content  # for scripts and tests, not for the reader
    text = visible(response.content)
    assert "role_denied" not in text
    assert "Mã lỗi 403" in text
    assert re.search(rb'<p class="fine-print">[^<]*403', response.content)


def test_organizer_pages_show_no_rule_numbers_and_no_rule_set_key():
    congress = make_congress(delegates=8)
    congress.rules = "approval"
    congress.save()
    election = make_election(congress, candidates=3, seats=2)
    client = login_as(Client(), congress, StaffRole.Role.ORGANIZER)
    for url in (
        reverse("dashboard", args=[congress.slug]),
        reverse("electronic_voting", args=[congress.slug]),
        reverse("election_detail", args=[congress.slug, election.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible(response.content)
        assert not RULE_NUMBER.search(text), (url, RULE_NUMBER.search(text))
        assert "approval" not in text, url
    text = visible(client.get(reverse("electronic_voting", args=[congress.slug])).content)
    assert "Bầu cử đơn giản (quá nửa số phiếu hợp lệ)" in text


def test_no_translatable_string_names_a_rule_number():
    """Rule numbers (P1…P20, S1…) are for the docs and the code; users read the rule itself."""
    found = []
    for path in SRC.rglob("*.py"):
        if "rules" in path.relative_to(SRC).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
                for arg in node.args:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and RULE_NUMBER.search(arg.value)
                    ):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno}: {arg.value[:60]}")
    tag = re.compile(
        r"{%\s*(?:translate|trans|blocktranslate|blocktrans)\b.*?(?:{%\s*endblocktrans\w*\s*%}|%})", re.S
    )
    for path in SRC.rglob("templates/**/*.html"):
        for match in tag.finditer(path.read_text(encoding="utf-8")):
            if RULE_NUMBER.search(match.group(0)):
                found.append(f"{path.relative_to(SRC)}: {match.group(0)[:60]}")
    assert not found, "\n".join(found)


def test_the_rule_sets_have_human_names():
    assert ruleset_title_of("party") == "Đại hội Đảng bộ (QĐ 190-QĐ/TW)"
    assert ruleset_title_of("approval") == "Bầu cử đơn giản (quá nửa số phiếu hợp lệ)"
    assert ruleset_title_of("nonexistent") == "Bộ quy tắc khác"
