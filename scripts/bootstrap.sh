#!/usr/bin/env bash
# Make .venv and install daihoi into it, with exactly the dependencies of the lock file
# (requirements/*.lock, hashed; regenerate with scripts/lock.sh). `bootstrap.sh test` adds what the
# tests need, including Debian's Chromium and fonts for the browser tests and PDFs.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "daihoi needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$PY" -m venv .venv

lock=requirements/runtime.lock
if [ "${1:-}" = "test" ]; then
  lock=requirements/test.lock
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Liberation Serif" && dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v node >/dev/null || need+=(nodejs)  # the live pages' reducer and the ballot's JS, tested in node
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing Debian packages: ${need[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
    else
      echo "Please install (as root): apt-get install ${need[*]}" >&2
      exit 1
    fi
  fi
fi

# Any pip failure stops here (set -e): nothing is filtered or ignored.
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements/pip.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
.venv/bin/python -c "import daihoi"
