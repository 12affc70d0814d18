#!/usr/bin/env bash
# Builds the stand-alone one-folder program with PyInstaller, then runs its smoke test.
# Output: dist/hemgenix-prep/ (copy the whole folder to the workstation; run dist/hemgenix-prep/hemgenix-prep).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/venv.sh
.venv/bin/python -m pip install -q --disable-pip-version-check "pyinstaller>=6.5" 2>&1 | grep -v '^WARNING: Location' || true
rm -rf build/pyinstaller dist/hemgenix-prep
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/hemgenix_desktop.spec
out="$(mktemp -d)"
errfile="$(mktemp)"
QT_QPA_PLATFORM=offscreen dist/hemgenix-prep/hemgenix-prep --version
QT_QPA_PLATFORM=offscreen dist/hemgenix-prep/hemgenix-prep dose 72 --json
if ! QT_QPA_PLATFORM=offscreen HOME="$out/home" dist/hemgenix-prep/hemgenix-prep smoke-test --out "$out" 2>"$errfile"; then
  echo "The built program's smoke test failed:" >&2; cat "$errfile" >&2; exit 1
fi
if [ -s "$errfile" ]; then
  echo "The built program's smoke test wrote to stderr (not expected):" >&2; cat "$errfile" >&2; exit 1
fi
ls -la "$out"
echo "Built dist/hemgenix-prep/ and its smoke test passed."
