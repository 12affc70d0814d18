#!/usr/bin/env bash
# Prints a real record and a real bag label through CUPS with the app's own printing code, and checks the result.
#
#   bash scripts/check-cups-printing.sh [--keep]
#
# Not part of .ci/run: it installs system packages, starts the CUPS scheduler and adds print queues. See
# docs/printing.md. Run as root on Debian/Ubuntu it installs what is missing (cups, cups-client, cups-bsd,
# printer-driver-cups-pdf, poppler-utils); otherwise those must be there and CUPS running.
#
# 1. Starts cupsd when no scheduler is running (and stops it again at the end).
# 2. Adds two CUPS-PDF queues: HemgenixTest (CUPS-PDF's own PPD: any paper size, A4 by default, so a print left
#    on the printer's default paper shows) and HemgenixLetterOnly (the same PPD without custom sizes, US Letter by
#    default: a printer that cannot take a 4 x 6 in label). Both are removed at the end unless --keep.
# 3. Makes a record and a label with `hemgenix-prep smoke-test --out DIR`.
# 4. Prints them with scripts/cups_print_check.py (start_print, the print preview, Qt's real print dialog
#    accepted as it opens, SystemPrinters): the record and the label to HemgenixTest, the label to
#    HemgenixLetterOnly. Each CUPS job must complete; CUPS-PDF's output must have the saved PDF's page count and
#    paper (the label 288 x 432 pt, the record 612 x 792 pt; on HemgenixLetterOnly, Letter, and the app's sentence
#    must say the printer cannot take 4 x 6 in paper), every page at true size, and a barcode reading the ID.
#
# Exit 0 when every check passed, 1 otherwise. The printed PDFs and their pictures (pdftoppm -r 60) stay in
# the folder it prints at the end.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
APP="$ROOT/.venv/bin/hemgenix-prep"
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
QUEUE=HemgenixTest
LETTER_QUEUE=HemgenixLetterOnly
CUPS_PDF_PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
WORK="$(mktemp -d /tmp/hemgenix-cups-check.XXXXXX)"
STARTED_CUPSD=""
ADDED_QUEUES=()

say() { echo "check-cups-printing: $*"; }
fail() {
  say "FAILED: $*"
  cleanup
  exit 1
}
cleanup() {
  if [ "$KEEP" -eq 0 ]; then
    for queue in "${ADDED_QUEUES[@]}"; do lpadmin -x "$queue" 2>/dev/null && say "removed the queue $queue"; done
    if [ -n "$STARTED_CUPSD" ]; then
      kill "$STARTED_CUPSD" 2>/dev/null && say "stopped the cupsd it started (pid $STARTED_CUPSD)"
    fi
  fi
  say "files: $WORK"
}

[ -x "$PY" ] || fail "$PY is missing: make the virtualenv first (scripts/venv.sh)."

# --- 1. what it needs --------------------------------------------------------------------------------------
needs=()
command -v cupsd >/dev/null 2>&1 || needs+=(cups)
command -v lpstat >/dev/null 2>&1 && command -v lpadmin >/dev/null 2>&1 || needs+=(cups-client)
[ -x /usr/lib/cups/backend/cups-pdf ] && [ -f "$CUPS_PDF_PPD" ] || needs+=(printer-driver-cups-pdf)
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || needs+=(poppler-utils)
if [ ${#needs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing: ${needs[*]}. Install them (as root on Debian/Ubuntu this script does it), then run it again."
  fi
  say "installing ${needs[*]} cups-bsd"
  apt-get update -qq >"$WORK/apt.log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needs[@]}" cups-bsd \
      >>"$WORK/apt.log" 2>&1 || fail "apt-get could not install ${needs[*]}: see $WORK/apt.log"
fi

# --- 2. the scheduler and the queues -----------------------------------------------------------------------
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  [ "$(id -u)" -eq 0 ] || fail "the CUPS scheduler is not running; start it (as root: cupsd), then run this again."
  cupsd || fail "cupsd did not start: see /var/log/cups/error_log"
  for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.2; done
  lpstat -r 2>/dev/null | grep -q "is running" || fail "cupsd started but does not answer: see /var/log/cups/error_log"
  STARTED_CUPSD="$(cat /run/cups/cupsd.pid 2>/dev/null || cat /var/run/cups/cupsd.pid 2>/dev/null || true)"
  say "started cupsd${STARTED_CUPSD:+ (pid $STARTED_CUPSD)}"
fi
CUPS_VERSION="$(dpkg-query -W -f '${Version}' cups-daemon 2>/dev/null || cups-config --version 2>/dev/null || echo unknown)"
say "CUPS $CUPS_VERSION, scheduler running"

add_queue() { # name ppd default-paper
  if ! lpstat -p "$1" >/dev/null 2>&1; then ADDED_QUEUES+=("$1"); fi
  lpadmin -p "$1" -E -v cups-pdf:/ -P "$2" -o "PageSize=$3" 2>"$WORK/lpadmin-$1.log" ||
    fail "lpadmin could not add the queue $1: $(cat "$WORK/lpadmin-$1.log")"
  cupsenable "$1" && cupsaccept "$1" || fail "the queue $1 cannot be enabled"
  say "queue $1: CUPS-PDF, $(basename "$2"), default paper $3"
}
add_queue "$QUEUE" "$CUPS_PDF_PPD" A4
# The same PPD without custom page sizes: a printer with only its listed papers (Letter by default).
sed -e '/^\*VariablePaperSize/d' -e '/^\*MaxMedia/d' -e '/^\*ParamCustomPageSize/d' -e '/CustomPageSize/,/^\*End/d' \
  -e 's/^\*NickName: *"\(.*\)"/*NickName: "\1, listed sizes only"/' "$CUPS_PDF_PPD" >"$WORK/letter-only.ppd"
if grep -q CustomPageSize "$WORK/letter-only.ppd"; then fail "could not take the custom sizes out of $CUPS_PDF_PPD"; fi
add_queue "$LETTER_QUEUE" "$WORK/letter-only.ppd" Letter

# --- 3. a real record and label --------------------------------------------------------------------------------
say "making a record and a label: hemgenix-prep smoke-test --out $WORK/smoke"
"$APP" smoke-test --out "$WORK/smoke" >"$WORK/smoke.log" 2>&1 || fail "the smoke test failed: $(tail -3 "$WORK/smoke.log")"
RECORD_ID="$("$PY" - "$WORK/smoke/label.pdf" <<'EOF'
import re, subprocess, sys
text = subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, text=True, check=True).stdout
found = re.search(r"HGX-\d{8}-[0-9A-F]{8}", text)
print(found.group(0) if found else "")
EOF
)"
[ -n "$RECORD_ID" ] || fail "no record ID in the text of $WORK/smoke/label.pdf"
say "record $RECORD_ID: record.pdf $(pdfinfo "$WORK/smoke/record.pdf" | awk '/^Pages/{print $2}') pages, label.pdf 1 page"

# --- 4. print and check ------------------------------------------------------------------------------------
SPOOLS=(--spool "$HOME/PDF" --spool /var/spool/cups-pdf/ANONYMOUS --spool "/var/spool/cups-pdf/$(id -un)")
status=0
check() { # name queue kind pdf [extra args]
  local name="$1" queue="$2" kind="$3" pdf="$4"
  shift 4
  say "printing $(basename "$pdf") ($kind) to $queue"
  QT_QPA_PLATFORM=offscreen "$PY" "$ROOT/scripts/cups_print_check.py" --name "$name" --printer "$queue" \
    --kind "$kind" --pdf "$pdf" --record-id "$RECORD_ID" --out "$WORK/printed" "${SPOOLS[@]}" "$@" \
    2> >(grep -v "propagateSizeHints" >&2) || status=1
}
check record-on-$QUEUE "$QUEUE" record "$WORK/smoke/record.pdf"
check label-on-$QUEUE "$QUEUE" label "$WORK/smoke/label.pdf"
check label-on-$LETTER_QUEUE "$LETTER_QUEUE" label "$WORK/smoke/label.pdf" --expect-paper 612x792 \
  --expect-message "cannot take 4 × 6 in paper"
say "completed CUPS jobs:"
lpstat -W completed -o "$QUEUE" "$LETTER_QUEUE" | sed 's/^/  /'

cleanup
if [ "$status" -eq 0 ]; then
  say "PASSED: record and label printed through CUPS at their own paper size and true size"
else
  say "FAILED: see the lines marked FAIL above"
fi
exit "$status"
