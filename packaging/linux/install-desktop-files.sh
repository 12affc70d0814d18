#!/usr/bin/env bash
# Puts Hemgenix Prep in the desktop's application menu: the .desktop launcher (its Exec set to PROGRAM),
# the AppStream metainfo file and the icon in every size, under PREFIX/share.
#
#   packaging/linux/install-desktop-files.sh PROGRAM [PREFIX]      (from a checkout)
#   /opt/hemgenix-prep/linux/install-desktop-files.sh PROGRAM [PREFIX]   (from the built folder)
#
# PROGRAM: the program to start, e.g. /opt/hemgenix-prep/hemgenix-prep (the one-folder build) or the
# hemgenix-prep script of a virtual environment. PREFIX: /usr/local when run as root, else ~/.local.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The icons: in a checkout (packaging/linux/ beside resources/), or in the built folder (hemgenix-prep/linux/
# beside hemgenix-prep/_internal/, where packaging/build.sh copies this script).
if [ -d "$here/../../resources/icons" ]; then
  icons="$(cd "$here/../../resources/icons" && pwd)"
elif [ -d "$here/../_internal/hemgenix_desktop/resources/icons" ]; then
  icons="$(cd "$here/../_internal/hemgenix_desktop/resources/icons" && pwd)"
else
  echo "The icons are missing beside $here. Run this script from a checkout or from the built hemgenix-prep folder." >&2
  exit 1
fi
app_id="org.hemgenixprep.HemgenixPrep"
sizes=(16 32 48 64 128 256)

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "Usage: $0 PROGRAM [PREFIX]. Give the program to start, e.g. /opt/hemgenix-prep/hemgenix-prep." >&2
  exit 2
fi
program="$1"
if [ "$(id -u)" -eq 0 ]; then default_prefix=/usr/local; else default_prefix="$HOME/.local"; fi
prefix="${2:-$default_prefix}"
case "$program" in
  /*) ;;
  *) echo "The program must be given with its full path (it was \"$program\"), because the menu starts it from any folder." >&2; exit 2 ;;
esac
if [ ! -x "$program" ]; then
  echo "There is no program at $program that can be run. Build it first (packaging/build.sh) or give the right path." >&2
  exit 2
fi
case "$program" in
  *[[:space:]\"\'\\\$\`]*) echo "The program's path $program holds a space, quote or other special character; move it to a plain path such as /opt/hemgenix-prep." >&2; exit 2 ;;
esac

share="$prefix/share"
install -d "$share/applications" "$share/metainfo"
install -m 0644 "$here/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
sed "s|^Exec=.*|Exec=$program|" "$here/$app_id.desktop" > "$share/applications/$app_id.desktop.tmp"
chmod 0644 "$share/applications/$app_id.desktop.tmp"
mv -f "$share/applications/$app_id.desktop.tmp" "$share/applications/$app_id.desktop"
for size in "${sizes[@]}"; do
  install -d "$share/icons/hicolor/${size}x${size}/apps"
  install -m 0644 "$icons/hemgenix-prep-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
install -d "$share/icons/hicolor/scalable/apps"
install -m 0644 "$icons/hemgenix-prep.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"

# Refresh the menus and icon caches where the tools exist (they are optional).
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$share/applications" || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$share/icons/hicolor" || true; fi
echo "Hemgenix Prep is in the application menu: $share/applications/$app_id.desktop starts $program."
