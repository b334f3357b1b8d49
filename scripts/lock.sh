#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml, with hashes, for every platform and Python >= 3.11.
# Run it after changing a dependency and commit requirements/*.lock: bootstrap.sh installs exactly these.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
if ! .venv/bin/python -m uv --version >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "uv>=0.5,<1"
fi
mkdir -p requirements
common=(--universal --python-version 3.11 --generate-hashes --no-header --quiet)
.venv/bin/python -m uv pip compile pyproject.toml "${common[@]}" -o requirements/runtime.lock
.venv/bin/python -m uv pip compile pyproject.toml --extra test "${common[@]}" -o requirements/test.lock
echo "Wrote requirements/runtime.lock and requirements/test.lock"
