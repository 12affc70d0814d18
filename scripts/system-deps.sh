#!/usr/bin/env bash
# Installs the system libraries Qt needs (also offscreen) and python3-venv when they are missing.
# Debian/Ubuntu only; uses sudo when not root. Does nothing when everything is already there.
set -euo pipefail

libs=(libglib-2.0.so.0 libGL.so.1 libxkbcommon.so.0 libEGL.so.1 libfreetype.so.6 libfontconfig.so.1 libdbus-1.so.3
      # Qt's xcb platform plugin, for a real window on an X11 desktop:
      libxcb-cursor.so.0 libxkbcommon-x11.so.0 libxcb-icccm.so.4 libxcb-image.so.0 libxcb-keysyms.so.1
      libxcb-render-util.so.0 libxcb-shape.so.0 libxcb-xinerama.so.0 libxcb-randr.so.0 libX11-xcb.so.1
      # Qt's print support plugin (the printers, the print dialog) loads the CUPS client library:
      libcups.so.2)
pkgs=(libglib2.0-0 libgl1 libxkbcommon0 libegl1 libfreetype6 libfontconfig1 libdbus-1-3
      libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libx11-xcb1
      libcups2)
# pdftoppm renders PDFs for the tests that look at printed pages; the validators check the desktop files;
# objdump (binutils) is what PyInstaller reads shared libraries with in packaging/build.sh; SoftHSM2 is the real
# PKCS#11 token the site-key tests sign on (tests/helpers/softhsm.py).
tools=(pdftoppm desktop-file-validate appstreamcli objdump softhsm2-util)
tool_pkgs=(poppler-utils desktop-file-utils appstream binutils softhsm2)

missing=()
# Read each listing once into a variable: `ldconfig -p | grep -q` under pipefail fails when grep stops early and
# the writer gets SIGPIPE, which made everything look missing (and apt-get ran on every start).
ldcache="$(ldconfig -p 2>/dev/null || true)"
fonts="$(fc-list 2>/dev/null || true)"
for i in "${!libs[@]}"; do
  if ! grep -qF "${libs[$i]}" <<<"$ldcache"; then missing+=("${pkgs[$i]}"); fi
done
for i in "${!tools[@]}"; do
  if ! command -v "${tools[$i]}" >/dev/null 2>&1; then missing+=("${tool_pkgs[$i]}"); fi
done
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=("python3-venv")
fi
# A font, so that Qt and the PDFs render real text.
if ! grep -qi 'dejavu' <<<"$fonts"; then missing+=("fonts-dejavu-core"); fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. Install them with your system's package manager, then run this again." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "== Installing the system packages Qt needs, with apt-get${SUDO:+ through sudo} (a minute or two): ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
