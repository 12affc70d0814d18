#!/usr/bin/env bash
# Creates the virtual environment beside the project (once) and installs into it exactly the packages of the
# lock, requirements/lock.txt, each checked against its SHA-256 hash, then the project itself (editable).
# Installs again only when the lock or pyproject.toml changed since the last install.
#
#   HEMGENIX_VENV   the environment (default .venv)
#   HEMGENIX_LOCK   the lock to install (default requirements/lock.txt); scripts/check-latest points both at a
#                   throwaway pair to try the newest versions without touching the project's own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/system-deps.sh
venv="${HEMGENIX_VENV:-.venv}"
lock="${HEMGENIX_LOCK:-requirements/lock.txt}"
if [ ! -f "$lock" ]; then
  echo "The lock $lock is missing. Restore it with git (git checkout -- $lock) or make it with scripts/update-lock." >&2
  exit 1
fi
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Hemgenix Prep needs Python 3.11 or newer; $("$PY" --version 2>&1) was found. Install Python 3.11+ and run this again." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "== Creating the virtual environment $venv/ ($("$PY" --version 2>&1))"
  "$PY" -m venv "$venv"
fi
stamp="$venv/.installed-lock"
wanted="$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
rm -f "$stamp"
started=$SECONDS
echo "== Installing the locked packages into $venv/ from $lock, each checked against its hash (first time: a few minutes)"
echo "   1/4 the installer (uv, at the lock's version)"
# uv first, at the version and with the hashes the lock gives it: with the environment's own pip, or with the uv
# already there (uv pip sync leaves no pip behind).
uv_lock="$(mktemp)"
trap 'rm -f "$uv_lock"' EXIT
awk '/^uv==/ {found = 1} found {print; if ($0 !~ /\\$/) exit}' "$lock" >"$uv_lock"
if [ ! -s "$uv_lock" ]; then
  echo "$lock names no version of uv (the dev extra of pyproject.toml). Make the lock again with scripts/update-lock." >&2
  exit 1
fi
if [ -x "$venv/bin/uv" ]; then
  "$venv/bin/uv" pip install --quiet --python "$venv/bin/python" --require-hashes --no-deps -r "$uv_lock"
else
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$uv_lock" 2>&1 |
    grep -v '^WARNING: Location' || true
  [ -x "$venv/bin/uv" ] || { echo "Installing uv from $lock failed; see the messages above." >&2; exit 1; }
fi
# Exactly the lock: what is not in it is removed, every file is checked against its hash.
export UV_LINK_MODE="${UV_LINK_MODE:-copy}"
echo "   2/4 the packages: downloaded when not in the cache (Qt alone is about 200 MB), checked, installed"
# uv's summary lines (resolved, prepared, installed, with their times), not its list of every package.
"$venv/bin/uv" pip sync --python "$venv/bin/python" --require-hashes "$lock" 2>&1 | sed -n '/^ [-+] /!s/^/       /p'
# The project itself, editable; its build backend (hatchling) comes from the lock, nothing else is downloaded.
echo "   3/4 Hemgenix Prep itself (editable, from this folder)"
"$venv/bin/uv" pip install --quiet --python "$venv/bin/python" --no-deps --no-build-isolation -e .
echo "   4/4 checking that the packages import"
"$venv/bin/python" -c 'import hemgenix_desktop, PySide6, biip, reportlab, pytestqt' || {
  echo "The installed packages do not import; see the messages above." >&2; exit 1; }
echo "$wanted" >"$stamp"
echo "== Installed from $lock in $((SECONDS - started)) s"
