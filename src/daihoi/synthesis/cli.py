"""`daihoi synthesize`: the synthesis of comments on a draft from files (shared/rules/synthesis-format.md).

Exit 0 with the result on stdout (or `--output`); exit 2 with one line `file:line: problem` on stderr
and nothing on stdout when the input is unusable. No partial result.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from daihoi.synthesis.draft import parse_docx, parse_markdown
from daihoi.synthesis.engine import synthesize
from daihoi.synthesis.model import KINDS, CommentIn, Draft, SynthesisError
from daihoi.synthesis.report import render_docx, render_text

HEADER = ["id", "unit", "section", "kind", "text"]


class InputError(Exception):
    """Unusable input: the message is the single line printed on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(f"daihoi synthesize: {message}")


def _parser() -> _Parser:
    p = _Parser(prog="daihoi synthesize", description="Synthesize the comments on a draft.")
    p.add_argument("--draft", required=True, help="the draft: .md or .docx")
    p.add_argument("--comments", required=True, help="comments.csv: id,unit,section,kind,text")
    p.add_argument("--format", choices=("json", "text", "docx"), default="json")
    p.add_argument("--output", help="write here instead of stdout (required for docx)")
    p.add_argument("--lexical", action="store_true", help="do not use sentence embeddings")
    return p


def _fail(err: SynthesisError) -> NoReturn:
    raise InputError(f"{err.where()}: {err.message_en}")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror})") from e


def read_draft(path: str) -> Draft:
    data = _read(path)
    try:
        if path.lower().endswith(".docx"):
            return parse_docx(data, source=path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise SynthesisError("not_utf8", source=path, line=data.count(b"\n", 0, e.start) + 1) from e
        return parse_markdown(text, source=path)
    except SynthesisError as e:
        _fail(e)


def read_comments(path: str, draft: Draft) -> list[CommentIn]:
    """The comments of a CSV file, every field checked; the first problem is raised with its line."""
    data = _read(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        _fail(SynthesisError("not_utf8", source=path, line=data.count(b"\n", 0, e.start) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    sections = {s.id for s in draft.sections}
    out: list[CommentIn] = []
    seen: set[str] = set()
    header_seen = False
    try:
        end = 0
        for row in reader:
            line, end = end + 1, reader.line_num  # a quoted field may span lines: name the row's first
            if not row or not any(c.strip() for c in row):
                continue
            if not header_seen:
                header_seen = True
                found = [c.strip() for c in row]
                if found != HEADER:
                    _fail(
                        SynthesisError(
                            "bad_header",
                            source=path,
                            line=line,
                            expected=",".join(HEADER),
                            found=",".join(found),
                        )
                    )
                continue
            if len(row) != len(HEADER):
                _fail(SynthesisError("bad_row", source=path, line=line, found=len(row), expected=len(HEADER)))
            cid, unit, section, kind, body = (c.strip() for c in row)
            for name, value in (("id", cid), ("unit", unit), ("text", body)):
                if not value:
                    _fail(SynthesisError("empty_field", source=path, line=line, field=name))
            if cid in seen:
                _fail(SynthesisError("duplicate_comment", source=path, line=line, id=cid))
            seen.add(cid)
            if section and section not in sections:
                _fail(SynthesisError("unknown_section", source=path, line=line, section=section))
            if kind and kind not in KINDS:
                _fail(
                    SynthesisError("unknown_kind", source=path, line=line, kind=kind, known=", ".join(KINDS))
                )
            out.append(CommentIn(id=cid, unit=unit, text=body, section=section or None, kind=kind or None))
    except csv.Error as e:
        _fail(SynthesisError("bad_csv", source=path, line=end + 1, reason=str(e)))
    if not header_seen:
        _fail(SynthesisError("bad_header", source=path, line=1, expected=",".join(HEADER), found=""))
    return out


def run(argv: Sequence[str]) -> tuple[bytes, str | None]:
    """(output bytes, output path or None for stdout); raises InputError."""
    args = _parser().parse_args(list(argv))
    if args.format == "docx" and not args.output:
        raise InputError("daihoi synthesize: --format docx needs --output")
    draft = read_draft(args.draft)
    comments = read_comments(args.comments, draft)
    result = synthesize(draft, comments, use_default_embedder=not args.lexical)
    if args.format == "json":
        body = (json.dumps(result.to_contract_json(draft), ensure_ascii=False, indent=1) + "\n").encode()
    elif args.format == "text":
        body = render_text(draft, result).encode()
    else:
        body = render_docx(draft, result)
    return body, args.output


def main(argv: Sequence[str] | None = None) -> int:
    try:
        body, output = run(sys.argv[1:] if argv is None else argv)
        if output:
            with open(output, "wb") as f:
                f.write(body)
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
    except InputError as e:
        print(str(e), file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{e.filename}: cannot write the file ({e.strerror})", file=sys.stderr)
        return 2
    return 0
