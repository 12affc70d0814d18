#!/usr/bin/env bash
# Creates .venv beside the project (once) and installs the project with its test tools into it.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/system-deps.sh
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Hemgenix Prep needs Python 3.11 or newer; $("$PY" --version 2>&1) was found. Install Python 3.11+ and run this again." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-pyproject
if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c 'import hemgenix_desktop, PySide6, biip, reportlab, pytestqt' || {
    echo "Installing the Python packages failed; see the messages above." >&2; exit 1; }
  cp pyproject.toml "$stamp"
fi
