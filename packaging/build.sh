#!/usr/bin/env bash
# Builds the stand-alone one-folder program with PyInstaller, then runs the built program: --version,
# dose 72 --json and its smoke test (sign-in to print on throwaway data). Fails on any error and on anything
# the built program writes to stderr.
#
#   packaging/build.sh             build dist/hemgenix-prep/ (copy the whole folder to the workstation) and its
#                                  software bill of materials, dist/hemgenix-prep-VERSION.cdx.json (CycloneDX)
#   packaging/build.sh --archive   also pack it as dist/hemgenix-prep-VERSION-linux-ARCH.tar.gz
#
# Build on the oldest Linux the workstations run (the build uses this machine's C library).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
archive=0
for arg in "$@"; do
  case "$arg" in
    --archive) archive=1 ;;
    *) echo "Unknown option $arg. Use: packaging/build.sh [--archive]" >&2; exit 2 ;;
  esac
done

# The environment from the lock (requirements/lock.txt, hash-checked): PyInstaller is in it (the "packaging" extra),
# at the version the lock names, like every library that goes into the bundle.
bash scripts/venv.sh
.venv/bin/python -c 'import PyInstaller' 2>/dev/null || {
  echo "PyInstaller is not in .venv/ although requirements/lock.txt names it; run scripts/venv.sh again." >&2; exit 1; }

rm -rf build/pyinstaller dist/hemgenix-prep
started=$SECONDS
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/hemgenix_desktop.spec
# The desktop launcher, AppStream file and their install script travel with the program (hemgenix-prep/linux/).
mkdir -p dist/hemgenix-prep/linux
cp packaging/linux/org.hemgenixprep.HemgenixPrep.desktop packaging/linux/org.hemgenixprep.HemgenixPrep.metainfo.xml \
  packaging/linux/install-desktop-files.sh dist/hemgenix-prep/linux/
# The licence, the notice and the third-party notices (made by the spec) also at the top of the folder, where IT
# looks; then a check, from what the folder actually holds, that every distribution in it has its licence text.
cp dist/hemgenix-prep/_internal/THIRD-PARTY-NOTICES.txt dist/hemgenix-prep/_internal/LICENSE \
  dist/hemgenix-prep/_internal/NOTICE dist/hemgenix-prep/
.venv/bin/python packaging/check_notices.py dist/hemgenix-prep
echo "Built dist/hemgenix-prep/ in $((SECONDS - started)) s; it takes $(du -sh dist/hemgenix-prep | cut -f1)."
# The software bill of materials (CycloneDX JSON) beside the folder, from this build's own environment: the program
# and every package it ships, with versions, licences and package URLs (packaging/sbom.py).
version="$(.venv/bin/python -c 'import hemgenix_desktop; print(hemgenix_desktop.__version__)')"
sbom="dist/hemgenix-prep-$version.cdx.json"
rm -f dist/hemgenix-prep-*.cdx.json
.venv/bin/python packaging/sbom.py "$sbom" dist/hemgenix-prep

program="$root/dist/hemgenix-prep/hemgenix-prep"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/config" "$work/data"

# Run the built program from outside the checkout, with no settings or data of this user, and fail on stderr.
run_built() {
  local name="$1"; shift
  if ! (cd "$work" && env -u PYTHONPATH -u HEMGENIX_CONFIG -u HEMGENIX_DB_URL HOME="$work/home" \
        XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" QT_QPA_PLATFORM=offscreen \
        "$program" "$@" >"$work/$name.out" 2>"$work/$name.err"); then
    echo "The built program failed: hemgenix-prep $*" >&2; cat "$work/$name.out" "$work/$name.err" >&2; exit 1
  fi
  if [ -s "$work/$name.err" ]; then
    echo "The built program wrote to stderr (not expected): hemgenix-prep $*" >&2; cat "$work/$name.err" >&2; exit 1
  fi
  cat "$work/$name.out"
}

[ "$(run_built version --version | head -n 1)" = "hemgenix-prep $version" ] || { echo "The built program reports another version than $version." >&2; exit 1; }
run_built dose dose 72 --json | .venv/bin/python -c '
import json, sys
dose = json.load(sys.stdin)
if (dose["dose_ml"], dose["vials"], dose["kit"]["ndc"]) != (144, 15, "0053-0150-15"):
    sys.exit(f"The built program computed another dose for 72 kg: {dose}")
print("dose 72 --json: 144 mL, 15 vials, kit 0053-0150-15")'
if run_built help --help | grep -q 'smoke-test'; then
  run_built smoke smoke-test --out "$work/smoke"
  for pdf in record.pdf label.pdf; do
    head -c 5 "$work/smoke/$pdf" | grep -q '%PDF-' || { echo "The smoke test wrote no $pdf." >&2; exit 1; }
  done
else
  echo "NOTE: this version of hemgenix-prep has no smoke-test command, so the wizard was not run." >&2
fi

# The menu entry and icons install from the built folder (into a throwaway prefix here).
bash dist/hemgenix-prep/linux/install-desktop-files.sh "$program" "$work/prefix"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$work/prefix/share/applications/org.hemgenixprep.HemgenixPrep.desktop"
fi

if [ "$archive" -eq 1 ]; then
  tarball="dist/hemgenix-prep-$version-linux-$(uname -m).tar.gz"
  tar -C dist -czf "$tarball" hemgenix-prep
  echo "Packed $tarball ($(du -h "$tarball" | cut -f1)); sha256 $(sha256sum "$tarball" | cut -d' ' -f1)."
fi
echo "Built dist/hemgenix-prep/ and its checks passed."
