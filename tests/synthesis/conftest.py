from __future__ import annotations

import pytest

from daihoi.synthesis import parse_markdown
from tests.support.synthesis import DRAFT_MD, FakeEmbedder


@pytest.fixture
def draft():
    return parse_markdown(DRAFT_MD, source="draft.md")


@pytest.fixture
def fake():
    return FakeEmbedder()
