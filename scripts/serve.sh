#!/usr/bin/env bash
# The main job: install, migrate, load the demo congress, and serve it on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/daihoi migrate --noinput -v 0
.venv/bin/daihoi seed_demo
exec .venv/bin/daihoi serve "$@"
