"""While the engine `daihoi.synthesis` is not installed, the app's tests run on `fake_engine`."""

from __future__ import annotations

import importlib.util
import sys

if importlib.util.find_spec("daihoi.synthesis") is None:  # pragma: no cover - until synth-core is merged
    from tests.drafts import fake_engine

    sys.modules["daihoi.synthesis"] = fake_engine.as_module()
