"""A synthesis sent up a level, and read back as the upper level's incoming comments.

The export is the contract JSON of shared/rules/synthesis-format.md plus who made it:

```json
{"unit": "Đảng bộ phường Tân Định", "draft": "Dự thảo Báo cáo chính trị …",
 "sections": [{"section": "s03", "title": "3. Về văn hóa – xã hội",
               "groups": [{"comments": ["c004", "c051"], "units": 2, "kind": "amend",
                           "summary": "Đề nghị …", "unit_names": ["Chi bộ 1", "Chi bộ 4"],
                           "subunits": 0}]}],
 "agreements": ["c017"], "agreement_units": 1}
```
- `unit` (required): the organization whose congress made the synthesis;
- per group, `summary`, `units` (≥ 1) are required; `kind`, `unit_names`, `subunits`, `comments` are optional;
- `section` is kept when it names a section of the upper draft (the same draft synthesized at both
  levels); the caller passes `sections` to check it, otherwise it is dropped and inferred.

Each group becomes one `CommentIn`: `unit` is the exporting organization, `text` the group's summary,
`weight_units` and `weight_subunits` the units that raised the point below (the group's `units`), so
that the upper synthesis says "raised by 7 wards (31 cells)": 7 = distinct `unit`s, 31 = the sum of
their `weight_subunits` (`count_units`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from daihoi.synthesis.model import KINDS, CommentIn, SynthesisError


def _fail(filename: str, reason: str) -> SynthesisError:
    return SynthesisError("bad_export", source=filename, reason=reason)


def load_synthesis_export(
    data: bytes, filename: str = "export.json", *, sections: Collection[str] | None = None
) -> list[CommentIn]:
    """The points of a lower level's export as weighted comments (ids `<file>#<n>`)."""
    try:
        doc: Any = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise SynthesisError("not_utf8", source=filename) from e
    except json.JSONDecodeError as e:
        raise SynthesisError("bad_json", source=filename, line=e.lineno, reason=e.msg) from e
    if not isinstance(doc, dict):
        raise _fail(filename, "not a JSON object")
    unit = doc.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise _fail(filename, '"unit" is missing')
    secs = doc.get("sections")
    if not isinstance(secs, list):
        raise _fail(filename, '"sections" is missing')
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1]
    out: list[CommentIn] = []
    for si, sec in enumerate(secs, start=1):
        if not isinstance(sec, dict) or not isinstance(sec.get("groups", []), list):
            raise _fail(filename, f"section {si} is not an object with a list of groups")
        sid = sec.get("section")
        keep = sid if isinstance(sid, str) and sections is not None and sid in sections else None
        for gi, g in enumerate(sec.get("groups", []), start=1):
            where = f"section {si}, group {gi}"
            if not isinstance(g, dict):
                raise _fail(filename, f"{where} is not an object")
            summary = g.get("summary")
            if not isinstance(summary, str) or not summary.strip():
                raise _fail(filename, f'{where} has no "summary"')
            units = g.get("units")
            if isinstance(units, bool) or not isinstance(units, int) or units < 1:
                raise _fail(filename, f'{where}: "units" must be an integer ≥ 1')
            kind = g.get("kind")
            if kind is not None and (kind not in KINDS or kind == "agree"):
                raise _fail(filename, f'{where}: kind "{kind}" is not one of amend, add, remove, other')
            out.append(
                CommentIn(
                    id=f"{stem}#{len(out) + 1}",
                    unit=unit.strip(),
                    text=" ".join(summary.split()),
                    section=keep,
                    kind=kind,
                    weight_units=units,
                    weight_subunits=units,
                )
            )
    return out
