#!/usr/bin/env bash
# Install what the tests need, then lint, type-check and run the whole suite.
# The database is SQLite unless DATABASE_URL is set (CI runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
export DAIHOI_DATA_DIR="${DAIHOI_DATA_DIR:-$PWD/var/test}"
echo "== ruff"
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
echo "== mypy (rules core, strict)"
.venv/bin/mypy
echo "== pytest (database: ${DATABASE_URL:+PostgreSQL}${DATABASE_URL:-SQLite})"
.venv/bin/python -m pytest "$@"
