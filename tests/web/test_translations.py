"""The English catalogue: complete, compiled, and used when (and only when) the person chose English.

The source strings are Vietnamese; src/daihoi/locale/en/LC_MESSAGES holds the English .po and the
committed .mo. The .po is read with a small parser here so the tests need no extra package.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

import daihoi

CATALOGUE = Path(daihoi.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"django.po:{self.line} {self.msgid[:60]!r}"

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural.get(i, "") for i in range(max(2, len(self.msgstr_plural)))]


def unquote(text: str) -> str:
    """A PO string literal ("...") to its value."""
    assert text.startswith('"') and text.endswith('"'), text
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(ESCAPES.get(body[i + 1], "\\" + body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a PO file, the header (msgid "") included; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current, key
        if current is not None:
            entries.append(current)
        current, key = None, None

    def store(entry: Entry, target: tuple[str, int | None], value: str, append: bool) -> None:
        name, index = target
        if name == "msgstr" and index is not None:
            entry.msgstr_plural[index] = (entry.msgstr_plural.get(index, "") if append else "") + value
        else:
            setattr(entry, name, ((getattr(entry, name) or "") if append else "") + value)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if line.startswith("#"):
            if current is not None and key is not None and key[0] == "msgstr":
                finish()  # a comment after a finished entry starts the next one
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith('"'):
            assert current is not None and key is not None, f"django.po:{number}: stray string"
            store(current, key, unquote(line), append=True)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and current is not None and key is not None and key[0] == "msgstr":
            finish()  # a new entry without a blank line before it
        if current is None:
            current = Entry(line=number)
        if keyword.startswith("msgstr["):
            key = ("msgstr", int(keyword[7:-1]))
        else:
            assert keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"), f"django.po:{number}: {keyword}"
            key = (keyword, None)
        store(current, key, unquote(rest.strip()), append=False)
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    found = [entry for entry in entries if entry.msgid]
    assert len(found) > 500, "the English catalogue looks nearly empty; run makemessages -l en"
    return found


def test_the_parser_reads_plurals_contexts_continuations_and_flags(tmp_path: Path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "c"\nmsgid ""\n"Xin \\"chào\\" "\n"%(n)s"\nmsgstr "Hello %(n)s"\n\n'
        'msgid "một"\nmsgid_plural "nhiều"\nmsgstr[0] "one"\nmsgstr[1] ""\n"many"\n\n'
        '#~ msgid "cũ"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, first, second = parse_po(po)
    assert header.msgid == "" and header.msgstr == "Language: en\n"
    assert (first.msgctxt, first.msgid, first.msgstr) == ("c", 'Xin "chào" %(n)s', "Hello %(n)s")
    assert first.flags == {"fuzzy", "python-format"}
    assert (second.msgid_plural, second.translations()) == ("nhiều", ["one", "many"])


def test_header_is_english_with_two_plural_forms_and_not_fuzzy(entries: list[Entry]):
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr


def test_every_entry_is_translated_and_none_is_fuzzy(messages: list[Entry]):
    untranslated = [entry.where for entry in messages if not all(entry.translations())]
    fuzzy = [entry.where for entry in messages if "fuzzy" in entry.flags]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


def test_no_msgid_appears_twice(messages: list[Entry]):
    keys = [(entry.msgctxt, entry.msgid) for entry in messages]
    assert len(keys) == len(set(keys))


def test_the_compiled_mo_matches_the_po(messages: list[Entry]):
    with MO.open("rb") as stream:
        catalogue = gettext.GNUTranslations(stream)
    assert catalogue.info().get("language") == "en"
    stale = []
    for entry in messages:
        translations = entry.translations()
        if entry.msgid_plural is None:
            got = [
                catalogue.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else catalogue.gettext(entry.msgid)
            ]
        elif entry.msgctxt is not None:
            got = [catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        else:
            got = [catalogue.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        if got != translations[:2]:
            stale.append(entry.where)
    assert not stale, f"django.mo is out of date for {len(stale)} entries (run compilemessages): {stale[:10]}"
    # Nothing in the .mo that the .po no longer has (each plural form is one key, the header one more).
    keys = sum(1 if entry.msgid_plural is None else len(entry.translations()) for entry in messages)
    assert len(catalogue._catalog) == keys + 1  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "english", "vietnamese"),
    [
        (
            "login",
            ["Sign-in for the Organizing Committee and subcommittees", "Username", "Password", "Sign in"],
            ["Đăng nhập dành cho ban tổ chức và các tiểu ban", "Tên đăng nhập", "Mật khẩu"],
        ),
        (
            "delegate_login",
            ["Delegate sign-in", "Delegate card code", "Enter the congress"],
            ["Đại biểu đăng nhập", "Mã thẻ đại biểu", "Vào đại hội"],
        ),
    ],
)
def test_pages_speak_english_only_with_the_english_cookie(
    url_name: str, english: list[str], vietnamese: list[str]
):
    chose_english = Client()
    chose_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = chose_english.get(reverse(url_name))
    assert page.status_code == 200
    text = page.content.decode()
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in text
    for phrase in english:
        assert phrase in text
    for phrase in vietnamese:
        assert phrase not in text

    # No cookie (and a browser asking for English): Vietnamese, the congress's own language.
    page = Client(headers={"accept-language": "en-US,en;q=0.9"}).get(reverse(url_name))
    text = page.content.decode()
    assert page["Content-Language"] == "vi"
    for phrase in vietnamese:
        assert phrase in text
    for phrase in english:
        assert phrase not in text
