"""Builders shared by the drafts tests."""

from __future__ import annotations

import csv
import io

from daihoi.congress.access import SYSTEM
from daihoi.congress.models import Congress
from daihoi.drafts.actions import documents
from daihoi.drafts.models import DraftDocument

DRAFT_MD = """# Dự thảo Báo cáo chính trị

# Phần thứ nhất. Kết quả

## 1. Về kinh tế

Thu ngân sách đạt 128% chỉ tiêu.

Thương mại – dịch vụ tăng bình quân 11,2% mỗi năm.

## 2. Về văn hóa – xã hội {#vhxh}

Tỷ lệ gia đình văn hóa đạt 96,5%.

# Phần thứ hai. Nhiệm vụ

## 3. Các chỉ tiêu chủ yếu

Tổng thu ngân sách tăng bình quân 10% mỗi năm.
"""


def make_draft(congress: Congress, text: str = DRAFT_MD, **kwargs: str) -> DraftDocument:
    return documents.import_draft(
        congress,
        SYSTEM,
        filename="du-thao.md",
        data=text.encode("utf-8"),
        kind=kwargs.get("kind", DraftDocument.DraftKind.OWN_REPORT),
    )


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")
