"""Run every benchmark side by side, print the table (figure, target, pass/fail), write docs/performance.md.

    .venv/bin/python benchmarks/run.py            # the full run (about 6–9 minutes on 2 cores); writes the doc
    .venv/bin/python benchmarks/run.py --quick    # smaller sizes (about 40 s); prints only
    .venv/bin/python benchmarks/run.py --quick --no-write --only scan record

Exit code 0 when every benchmark ran (a missed target is a FAIL row in the table, not an error); 1 with
``--strict`` when a target was missed; 2 when a benchmark could not run (its row says why).
Never run by pytest as a timing test: tests/reliability/test_benchmark_smoke.py only checks that the quick
run completes and prints every row.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make benchmarks/, tests/ and the package importable
    sys.path.insert(0, str(ROOT))

from benchmarks import autosave, cold_start, own_process, scale, stalls  # noqa: E402
from benchmarks.common import Config, Row, Section, filesystem_of  # noqa: E402

BENCHMARKS: dict[str, Callable[[Config], Section]] = {
    "cold-start": cold_start.run,
    "scan": own_process.scan,
    "record": own_process.record,
    "memory": own_process.memory,
    "autosave": autosave.run,
    "scale": scale.run,
    "stalls": stalls.run,
}
# Every row the table has when every benchmark runs (the smoke test checks that each one is printed).
ROW_PREFIXES = (
    "Start → first paint: bare 6-page wizard",
    "Start → first paint: hemgenix-prep ÷",
    "Start → usable sign-in",
    "  floor: bare wizard's first paint",
    "Cold start: hemgenix-prep --exit-when-ready",
    "Cold start: peak memory, hemgenix-prep",
    "Cold start: peak memory, bare",
    "Cold start without a bytecode cache",
    "Scan to feedback (Enter",
    "Scan to feedback: p99",
    "Record PDF + bag label, signed",
    "  of which PAdES signing",
    "  record pages + label without signing",
    "Sealing the record",
    "Verifying a record PDF",
    "Memory on the real path",
    "  floor: every module that session loaded",
    "Memory growth over",
    "Autosave (one page + audit event, SQLite): p50",
    "Autosave (one page + audit event, SQLite): p99",
    "audit verify over",
    "  SQLite integrity_check alone",
    "  audit verify walk ÷ floor",
    "History search over",
    "History search with no filter",
    "Store.search with no filter and no limit",
    "Autosave with",
    "Longest GUI stall: sign-in",
    "Longest GUI stall: sealing",
    "Longest GUI stall: print preview of the record",
    "Longest GUI stall: History search",
    "Longest GUI stall: idle-lock unlock",
)
DOC = ROOT / "docs" / "performance.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds (see the doc)")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/performance.md")
    parser.add_argument("--out", type=Path, default=None, help="write the document here instead")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its target")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (databases, PDFs)")
    args = parser.parse_args(argv)

    # A throwaway folder: $HEMGENIX_BENCH_TMP, else the system's temporary folder. It should be on a disk
    # like the user's data folder; on a RAM disk (tmpfs) every autosave would look faster than it is.
    work_parent = Path(os.environ.get("HEMGENIX_BENCH_TMP") or tempfile.gettempdir())
    work_parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="hemgenix-bench-", dir=work_parent))
    filesystem = filesystem_of(work)
    if filesystem in ("tmpfs", "ramfs"):
        print(f"Note: {work_parent} is a RAM disk ({filesystem}); set HEMGENIX_BENCH_TMP to a folder on disk.")
    config = Config(quick=args.quick, work=work)
    chosen = args.only or list(BENCHMARKS)
    context = Context.take(filesystem)
    started = time.perf_counter()
    sections: list[Section] = []
    crashed = False
    try:
        for name in chosen:
            print(f"… {name}", file=sys.stderr, flush=True)
            try:
                sections.append(BENCHMARKS[name](config))
            except Exception as exc:  # report it as a row and go on with the others
                crashed = True
                traceback.print_exc()
                sections.append(Section(name, [Row(f"{name} benchmark", f"not run: {exc}", passed=False)]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    context.finish()
    rows = [row for section in sections for row in section.rows]
    print(table(rows))
    print(f"\n{'quick' if args.quick else 'full'} run, {elapsed:.0f} s; {context.load_line()}")
    out = args.out or (None if args.quick else DOC)
    if out is not None and not args.no_write:
        out.write_text(document(sections, context, args.quick, elapsed), encoding="utf-8")
        print(f"Wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if crashed:
        return 2
    if args.strict and any(row.passed is False for row in rows):
        return 1
    return 0


def table(rows: list[Row]) -> str:
    header = ("Measurement", "Value", "Target", "Result")
    cells = [(r.measurement, r.value, r.target or "—", r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(out)


class Context:
    """When, where and under what load the figures were taken."""

    def __init__(self, filesystem: str) -> None:
        self.filesystem = filesystem
        self.started = datetime.now(UTC)
        self.load_before = os.getloadavg()
        self.load_after = self.load_before
        self.load_peak = max(self.load_before)

    @classmethod
    def take(cls, filesystem: str) -> Context:
        return cls(filesystem)

    def finish(self) -> None:
        self.load_after = os.getloadavg()
        self.load_peak = max(self.load_peak, *self.load_after)

    def load_line(self) -> str:
        b, a = self.load_before, self.load_after
        return (
            f"load average (1/5/15 min) before {b[0]:.2f}/{b[1]:.2f}/{b[2]:.2f}, after {a[0]:.2f}/{a[1]:.2f}/{a[2]:.2f}"
        )

    def machine(self) -> list[str]:
        cpu = "unknown CPU"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = "?"
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
        import PySide6
        from PySide6.QtCore import qVersion

        return [
            f"{os.cpu_count()} cores ({cpu}), {memory} RAM, {platform.system()} {platform.release()}",
            f"Python {platform.python_version()}, PySide6 {PySide6.__version__} (Qt {qVersion()}), "
            f"SQLite {sqlite3.sqlite_version}",
            f"Source: {git_revision()}",
        ]


def git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (" with uncommitted changes in the working tree" if dirty else "")


def markdown_table(rows: list[Row]) -> str:
    lines = ["| Measurement | Value | Target | Result | Notes |", "|---|---|---|---|---|"]
    for r in rows:
        verdict = f"**{r.verdict}**" if r.passed is False else r.verdict
        name = r.measurement.strip()
        name = f"↳ {name}" if r.measurement.startswith("  ") else name
        lines.append(f"| {name} | {r.value} | {r.target or '—'} | {verdict} | {r.note} |")
    return "\n".join(lines)


def document(sections: list[Section], context: Context, quick: bool, elapsed: float) -> str:
    rows = [row for section in sections for row in section.rows]
    details = [f"- {line}" for section in sections for line in section.details]
    when = context.started.strftime("%Y-%m-%d %H:%M UTC")
    machine = "\n".join(f"- {line}" for line in context.machine())
    mode = "quick" if quick else "full"
    return STATIC_DOC.format(
        when=when,
        mode=mode,
        elapsed=f"{elapsed / 60:.1f} minutes",
        machine=machine,
        load=context.load_line(),
        filesystem=context.filesystem,
        table=markdown_table(rows),
        details="\n".join(details),
    )


STATIC_DOC = """# Performance

Figures measured by `benchmarks/run.py` ({mode} run, {elapsed}), taken **{when}**. This file is written by
that script; the prose around the figures is in `benchmarks/run.py` (`STATIC_DOC`).

## Conditions

{machine}
- {load}. The machine is a virtual machine on shared hardware: with nothing else of ours running, the same code
  measured up to a fifth apart between runs. So every figure is a median (or a percentile) of many runs, and
  what is compared is run alternately (the two programs of the cold start; the walk and its floor), so that load
  from elsewhere falls on both alike. Expect ±20 % between runs.
- Databases, homes and PDFs live in a throwaway folder in the system's temporary folder, here on
  {filesystem} (the same disk as the user's data folder, not a RAM disk), so every autosave really waits for
  the disk (SQLite WAL, `synchronous = FULL`).

## Results

{table}

## Details

{details}

## How each figure is taken

- **Cold start**: `hemgenix-prep --exit-when-ready`, with no command as the desktop's launcher starts it (QT_QPA_PLATFORM=offscreen, a throwaway HOME, data
  folder and `HEMGENIX_DB_URL`) against `benchmarks/bare_wizard.py`, a bare PySide6 program showing a
  6-page `QWizard` that exits the same way (after the first paint, on the next turn of the event loop, once
  the window is visible and enabled). One uncounted warm-up run of each writes the bytecode cache (kept
  outside the source tree with `PYTHONPYCACHEPREFIX`, as an installed program has its `.pyc` files); then
  the two alternate, the order flipping each round. The figure is the ratio of the medians of the wall
  times (start to exit). Peak memory is each process's own `ru_maxrss`, from `os.wait4`. A smaller series
  without a bytecode cache (`PYTHONDONTWRITEBYTECODE=1`, as in this development checkout) is informative.
- **Start to a usable sign-in**: `benchmarks/usable_start.py` starts the program as `hemgenix-prep` (no command) does over
  a database with its first pharmacist (made beforehand with the site's argon2id cost); the username and password
  are typed at the first paint, the sign-in button pressed once enabled. Times are from the moment the benchmark
  started each process (`HEMGENIX_BENCH_T0`, the system's monotonic clock) to the first paint and to the
  signed-in window, alternating with the bare wizard (to its first paint, the denominator). The floor is the bare
  wizard's first paint plus one argon2id check at the site's cost, timed in the same processes. The floor with the
  database adds opening the database alone (the start-up profile's last step, `_Database.services`, over the same
  database, in processes of its own). Qt's namespace is timed in a process of its own: `from PySide6.QtCore import
  Qt` after QtWidgets is loaded; the first paint's floor is the bare wizard's first paint plus that namespace.
- **Record and label**: `benchmarks/record.py` in one warm process: the records tests' finished 72 kg
  preparation, sealed; each round renders the record pages, builds the bag label, and signs (attaches the
  sealed record and applies the PAdES signature with a fresh self-signed site certificate), each timed
  separately. Sealing and verification are timed too. Three first rounds are not counted.
- **Autosave**: `Store.save_draft` of a fully filled draft with one changed value, as Next does: the draft
  row and its audit event in one transaction. p50 and p99 of 600 saves (150 in the quick run). The same
  series is repeated on the large database of the scale benchmark.
- **Scale**: `benchmarks/seed.py` fills one SQLite file in stages (ten audit events per preparation; see
  its docstring for why it writes in bulk and how the chain stays genuine; `audit verify` must then find
  every event intact). At each stage `hemgenix-prep audit verify` runs as a separate process; then, five times
  interleaved, the floor (`benchmarks/verify_floor.py`: the events read with the standard `sqlite3` driver, SHA-256
  of each event's stored content, and the columns of the tables the state checks compare read with the same driver),
  the walk with the state checks and the walk of the chain alone, each in this process. At the last
  stage six typical History searches (full name, surname, MRN, patient-specific identifier, one day, one
  month of signed preparations) run through `Store.search` on a freshly opened Store, each the median of 7
  after one warm-up; the row shows the slowest. "Show all" (no filter) is timed as the window runs it, the newest
  1,000 (it says when more match); a search with no filter and no limit at all is shown for information.
- **Scan to feedback**: `benchmarks/scan.py`, one process, offscreen: the real wizard walked to the kit
  page; each round the scan field is filled as a wedge scanner types it (a new serial each time), then the
  clock runs from the Enter key event (`QTest.keyClick`) until the serial's label has been repainted with
  the new value (`time.perf_counter`). p50 and p99 of 300 scans.
- **Memory**: `benchmarks/memory.py`, three sessions (one in the quick run), each one process with a database of its
  own, offscreen: the program's QApplication, services and main window over SQLite; a technician signs in and
  makes 20 preparations (4 in the quick run), each driven as a person does: the wizard with autosave, Review and
  Finish, the signing flow (the pharmacist's blind check; the window seals), both PDFs printed through their print
  preview into files, Close; History opened once after the first. VmRSS after the first (the figure: the median of
  the sessions, with min–max) and after each (the growth from the 2nd to the last: the leak check), VmHWM (peak).
  The floor (three times): a process that loads every module the session loaded (pyHanko as the program loads it)
  and makes the QApplication. The rows under the figure are of the median session: its RSS by kind from `/proc`
  (RssFile, RssAnon) against the floor's.

## Quick and full runs

| | full (default) | `--quick` |
|---|---|---|
| cold start | 12 alternating runs each (+6 without bytecode cache) | 4 (+3) |
| startup profile | 7 runs | 3 runs |
| record and label | 40 builds | 8 builds |
| autosave | 600 saves | 150 saves |
| scale: preparations / events | 100,000 / 1,000,001 (verify at 10k, 100k, 1M) | 10,000 / 100,001 (verify at 1k, 10k, 100k) |
| History searches | 7 runs each | 3 runs each |
| scan to feedback | 300 scans | 60 scans |
| memory: sessions × preparations in each | 3 × 20 | 1 × 4 |
| takes | 6–9 minutes | about 40 s |

The quick run is for checking that everything still works (tests/reliability/test_benchmark_smoke.py runs
it with `--no-write`); its figures are not the ones to quote. The full run writes this file.

## What was changed to meet the targets, and what remains

- **Barcode libraries load when first needed.** `biip` (GS1 parsing, about 0.1 s and 10 MiB to import) was
  imported at start-up by `domain/carton.py`, `domain/kits.py` and `practice.py` (which also imported
  `zxing-cpp`). They are now imported inside the functions that use them: `parse_carton`, the kit table's
  GTIN check (run once, when the first dose is computed on the order page) and the practice sheet. The
  first scan is not slower: by the kit page the kit table has long been loaded.
- **Cold start: the first screen before the database** (issue 6). Measured before the change: ratio 4.68
  (815 ms ÷ 174 ms), peak memory 111 MiB against 56 MiB. The window module imported Alembic (about 0.4 s, for
  one exception class), SQLAlchemy, argon2 and the whole wizard, and the database was opened and its schema
  checked before the window was built. Now:
  - `storage/glance.py` takes a first look with the standard library's `sqlite3` (read only, no waiting on
    a lock): is the file this user's, writable, at the newest schema revision (`alembic_version` against
    `storage/values.py::HEAD_REVISION`, which a test checks against Alembic's head), and does any account
    exist. When it can tell, the window shows the right first screen (the first account's, or the sign-in)
    at once, and the database (SQLAlchemy, the migration check, argon2, the checklist) opens right after the
    first paint: the "after the first paint" step of the profile above. Meanwhile the fields take typing,
    the button waits and a line says "Opening the database…"; what was typed is kept. When the look cannot
    tell (a new database, one that needs migrating, PostgreSQL, a busy, damaged or foreign file) the database
    is opened, and migrated, before the window, as before; a database that fails to open after the first
    paint still ends the program with its sentence and exit code (2 for a database that cannot be used as it is,
    1 for one that cannot be reached now). `--exit-when-ready` exits once the first
    screen is painted and takes input; it does not wait for that opening (its time is given above).
  - Nothing heavy loads with the window module: the storage package gives each name on first use (the
    enums, the short id and the head revision live in `storage/values.py`, without SQLAlchemy); the
    security modules load the storage and argon2 only when a password is hashed or checked; the wizard,
    its pages, History, signing, printing and the record code load when first opened; the screens needed
    only after a sign-in (the list, the lock) are built with the database. `tests/ui/test_startup.py` checks
    that a start on an up-to-date database loads none of SQLAlchemy, Alembic, argon2, reportlab, pyHanko,
    pypdf, biip, zxing-cpp, segno or cryptography.
  - The command line loads only the module of the command named (`_COMMANDS` in `cli/__init__.py`); the
    settings read TOML only when a settings file exists and check a plain `sqlite:///` URL without
    SQLAlchemy; the host name comes from `os.uname` (no `socket`).
  - The idle lock's application-wide event filter is installed only while someone is signed in: before,
    every event of the first paint went through a Python filter, and PySide6 made about 150 Python enum
    classes to wrap them.
  - One style sheet, on the main window (the screens inherit it), and message labels are not re-polished
    before they are first shown.
  - The garbage collector is off during the start (it makes many objects and almost no garbage) and
    `gc.freeze()` runs before the event loop: about 10 ms of collections at start and 20 ms at exit saved,
    and later full collections no longer walk the start-up objects.
- **History search over 100,000 preparations: missed (about 190 ms), then fixed.** The query plan showed the
  name/MRN search as `lower(column) LIKE '%…%'`, which no index can serve, and the identifier search using only
  the partial one-dose-per-patient index, so every row was read. Migration 0002 adds a search-terms table
  (each preparation's lower-cased name words, MRN and identifier, whole and without punctuation), indexed on the
  term, and a plain index on the identifier; the History search matches typed words as word **prefixes**
  ("smi" finds Smith; the middle of a word no longer matches, and the window's hint says so). Measured at
  100,000 preparations before → after: full name 134 → 17 ms, surname 108 → 36 ms, MRN 74 → 0.6 ms,
  identifier 39 → 0.5 ms. The unfiltered list of all 100,000 took about 2 s; the History window now lists
  the newest 1,000 and says when more match (Show all about 22 ms).
- **`audit verify` at a million events: where the time goes, and its limit here.** First the walk was made cheaper
  per event (the command at 1M events: 14.9 s → about 9 s; the walk with the state checks about 8 s): the trail is
  read through the driver's own cursor, each chunk checked column by column (`map` and list comparisons loop in C),
  each event's canonical content written by orjson in C, and only the state-changing events handed to Python; JSON
  read by orjson. Then: chunks of 128 events rather than 2,000 (a 2,000-event chunk, about 3 MB, was no longer in
  the processor's cache by the time it was hashed and replayed: a fifth less time at 1M; PostgreSQL still fetches
  2,000 rows a round trip), a chunk's times checked by one regular-expression match over them all and rewritten to
  ISO text by a few replacements, and the state replay's order check and handler choice done a chunk at a time. A
  chunk with anything unusual is walked again one event at a time, so results and sentences are the old walker's
  (`tests/storage/test_verify_oracle.py`, also with chunks of three events, on SQLite and PostgreSQL).
  The rows "walk ÷ floor" set it against reading the rows (a raw `SELECT` with the standard `sqlite3` driver) plus
  SHA-256 of each event's stored content (was 5.3×): the chain alone is now about 1.6–1.7× its floor (target 2×:
  met), and with the state checks of issue 15 (every user, status, signature, amendment, approval and sealed dose
  key replayed from the trail and compared with the tables) about 1.9–2.1× a floor that also reads the compared
  tables: at the target, met in two of the last four full runs and missed by at most 0.07 in the other two (10k,
  100k, 1M events: 1.89×, 2.00×, 1.97×; 1.60×, 2.04×, 2.07×; 2.00×, 1.96×, 2.01×; 1.91×, 1.96×, 1.98×); 2.1–2.2×
  the events' floor alone (was 2.3–2.5×). For that, the
  signatures are compared as one running keyed digest of the trail's in order against the same digest of the
  signatures table read in the order its rows were added (the program writes each row and its event in one
  transaction with the trail's head locked; when the digests differ the events are read again, so rows merely in
  another order are no difference), the digested values are written by orjson, and the small tables are read as
  stored (no statement compiled). What remains beyond the floor, measured: building each event's content (the JSON escaping of `before`/`after`, which the hash is of; the
  floor's content is made untimed), about 2 µs an event; in the state checks, reading the signature and
  sealed-record payloads (a sealed record's event carries the record's whole text, 2.5 KB), some 170,000 keyed
  digests of the sealed dose keys at 1M events, scanning every `after` for approvals (so that none is missed), and
  choosing each event's handler. Tried and measured slower or no faster: the ISO text or the whole content made in
  SQL, one orjson call for a whole chunk, the content built by one comprehension after a chunk-wide type check, the
  types checked a column at a time rather than an event at a time (the per-event checks are 8 % of the content's
  cost, and they keep a value of another type off orjson's path), the digests compared as one joined text, the
  approval scan over a chunk's joined texts, batching the digests, reading the chunks on a second thread (Python's lock: 1.5–1.8× slower). The hashing cannot
  run on the second core: hashlib keeps Python's lock for content under 2 KB, orjson always keeps it, and the
  second core already runs SQLite's check.
  **The 2 s target cannot be met on this machine**: `audit verify` must have SQLite check the file first (issue
  15), and at 1M events `PRAGMA integrity_check` alone (row "SQLite integrity_check alone", a 1.9 GB file, most of
  it checking the four indexes of `audit_events` against the table; a larger page cache made it slower, not faster;
  memory-mapping the file made it about 40 % faster, but every mapped page then counts in the process's memory, so
  the 100 MiB peak would be 2 GB) takes several times 2 s. It runs on a second thread beside the walk (SQLite lets go of Python's lock while it
  works), so the command takes about as long as that check alone: the ratio in that row. `PRAGMA quick_check`
  is about four times faster but leaves out the index-against-table check; buying speed by leaving a check out is
  not done. Peak memory stays under 100 MiB, and the time grows linearly with the trail.
- **Memory on the real path: 237 → about 176 MiB after the first preparation, growth +16 → +6 to +8 MiB over 20.**
  PySide6's import hook read the source of every module imported after it through `linecache` and kept it (about
  900 modules, over 30 MiB); `ui/qt_import_hook.py` asks shiboken's question of the file read as bytes. pyHanko's
  aiohttp stack loads only when something asks for pyHanko's own HTTP client (`records/pyhanko_loading.py`; a
  timestamp authority uses requests). Background calls are auto-deleted once handed back (each kept its whole
  preparation); PDFium stays loaded between print previews (each teardown leaked); glibc's allocator gets a fixed
  256 KiB mmap threshold and two arenas unless the site sets it; a closed History gives its pixels back.
  **The 150 MiB target is not met**: the floor row (the modules the session needs, with the QApplication, nothing
  done) is about 126 MiB: Python 10 MiB, a bare QApplication with QtWidgets about 43 MiB, the program's UI imports
  about 13 MiB more, SQLAlchemy about 27, pyHanko and its dependencies about 12, reportlab/PIL/segno about 10,
  cryptography about 9, biip about 6. Above it about 50 MiB: Qt's painting, printing and PDF code once used (about
  24 MiB), reportlab's two parsed DejaVu fonts (about 7), the window's pixel buffer, widgets and caches. Reaching
  150 would mean leaving out one of those libraries or building PDFs in another process (which moves memory, it
  does not save it). Looked at again (smaps, heaptrack, tracemalloc, glibc's `malloc_info`): of the ~50 MiB above
  the floor, about 23 MiB is library code the session runs and the floor does not (Qt's GUI, widgets and PDF code,
  cryptography; the print path's CUPS library with its TLS libraries, about 2 MiB, and every Qt image-format plugin,
  which Qt's PDF engine loads when it asks which image writers exist, as real CUPS printing does); about 28 MiB is
  data: Python objects (reportlab's two parsed fonts, PySide's types and enums made on first use, SQLAlchemy's 35
  cached statements, about 1.5 MiB), Qt's own (4.2 MiB of it the window's picture). Trimming glibc's heap at that
  point gives back 0.3 MiB; no closed screen stays (205 widgets after one preparation and after three); clearing
  Qt's pixmap cache changes nothing. Left alone: emptying reportlab's glyph-to-characters table after the fonts are
  registered (about 2 MiB) reaches into the library's parsed font; parsing the fonts for each record instead of
  keeping them (about 5 MiB) costs about 60 ms of every record and label; biip's GS1 company-prefix table (about 6
  MiB, in the floor) is read by every scan.
  **The limit, measured**: the rows under the memory figure split what the session holds above the floor by kind
  (`/proc`'s RssFile and RssAnon, in both processes): about 24 MiB are pages of files the session ran or read and
  the floor never did (the libraries' code for painting, printing, the PDF preview, CUPS and TLS; the fonts). A
  session that prints and previews cannot run without them, and a shown window keeps its picture (4 MiB at
  1366×768). The floor, those pages and the picture come to about 150 MiB, the target itself; what the program
  holds beyond them is data (Python's objects, Qt's buffers and caches), about 23–25 MiB. Setting glibc to one
  arena, or a lower mmap threshold, changed the figure by less than 2 MiB.
- **No stall over 100 ms** (issue 13 item 4): after a sign-in the wizard, and at Finish the signing flow, are built
  a piece per turn of the event loop ("Opening the preparation…"; keys typed meanwhile are delivered once it shows);
  the screens set no style sheet of their own (the window's applies: every widget was styled twice); the idle watch
  sleeps while a screen is built, and rests after each input until the event loop turns again (what an input sets
  off, such as Next showing the next page, is no input: about 5 ms less at the administration page's Next); the
  print preview's pages are rendered by QtPdf's own C++ thread (a Python thread
  held the interpreter lock for a whole page) and converted once to QPainter's format. The stalls benchmark freezes
  the start's objects before its first step, as the program does (else it counted full collections of 80–115 ms that
  the program does not have).
- **Start to a usable sign-in: where the time goes, and its limit here.** The sign-in button used to wait for the
  database thread to also load the signing services, sealing, the PDFs' modules and cryptography; now it works once
  the database is open and its services made, and that thread then loads what comes after a sign-in (the site key's
  libraries, the signing services, the kit catalogue, the wizard and the signatures) a step at a time, one loader at
  a time (two threads importing the same modules can meet a half-made module). Each step waits while a password is
  checked: argon2id runs its four lanes on both cores, and beside an import the first check took twice as long. So
  does the sign-in's own loading, which, when it got ahead of the database thread's, ran beside the check (then
  about 200 ms rather than 120; waiting, the password is accepted about 15 ms sooner, n = 14, twice). A
  screen that opens meanwhile waits for the loading rather than import the same modules on the GUI thread. The list
  and lock screens are made on the turn after the sign-in works; a SQLite workstation no longer loads SQLAlchemy's
  PostgreSQL dialect (its partial indexes get PostgreSQL's predicate when a PostgreSQL engine is made). Measured
  against the previous program, alternating, on a quiet machine: button enabled 608 → 518 ms, signed in 790 → 688 ms
  (n = 12 each, medians). **The 1.3× target cannot be met**: one argon2id check at the site's cost (64 MiB, 3
  passes, 4 lanes) is itself most of the bare wizard's start, so the first floor row is already about 1.8–2.0×; and
  the password is checked against the account in the database, so the database library must be loaded first.
  Importing SQLAlchemy and the store takes about 200 ms here; CPython runs one thread's Python at a time, so that
  import adds to the start however it is scheduled. Started before Qt, on its own thread, it took turns with the first
  screen's imports and delayed the first paint by about 30 ms while the button worked no sooner; the database's thread
  now starts after the first paint (measured alternately, n = 16: first paint 239 → 211 ms, button enabled 484 → 490
  ms, signed in 652 → 654 ms). The second floor row adds opening the database alone; the program takes about
  1.3× that. Weakening the hash, or checking the password without the database (a second way to read the accounts),
  is not done.
- **What remains at start-up, by the profile**: PySide6 itself (the same for the bare wizard); about 15 ms
  that PySide6 spends making the ~95 Python enums of the `Qt` namespace the first time `Qt` is named (any
  widget program that sets an alignment or a focus reason pays it; the bare wizard names none); the
  program's settings, the menu and the two card screens. During the same work PySide6 was pinned from 6.12.0
  to 6.11.3 (`pyproject.toml` excludes 6.12.0, which has a reference-counting bug); both programs of the cold start run on
  the same PySide6, and the bare wizard's own figures moved with it (its peak memory from 56 to 67 MiB).
"""


if __name__ == "__main__":
    sys.exit(main())
