"""Benchmarks that run in a process of their own (record, scan, memory): start it, read its JSON, make rows."""

from __future__ import annotations

import shutil
import sys
from typing import Any

from benchmarks.common import MIB, Config, Row, Section, child_env, median, mib, ms, percentile, run_module_json

TARGET_RECORD_S = 0.150
TARGET_SCAN_S = 0.016
TARGET_MEMORY_BYTES = 150 * MIB  # issue 13: after a whole preparation on the application's own path
TARGET_GROWTH_BYTES = 10 * MIB  # issue 13: RSS after the 20th preparation ≤ after the 2nd + 10 MiB


def _env(config: Config) -> dict[str, str]:
    home = config.work / "module-home"
    home.mkdir(parents=True, exist_ok=True)
    cache = config.work / "bytecode-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return child_env(home, bytecode_cache=cache)


def record(config: Config) -> Section:
    section = Section("Record and label")
    rounds = 8 if config.quick else 40
    folder = config.work / "record"
    folder.mkdir(parents=True, exist_ok=True)
    data = run_module_json("record", [str(rounds), str(folder)], _env(config))
    build = [p + lb + s for p, lb, s in zip(data["pages"], data["label"], data["sign"], strict=True)]
    unsigned = [p + lb for p, lb in zip(data["pages"], data["label"], strict=True)]
    section.rows += [
        Row(
            "Record PDF + bag label, signed (warm process), median",
            ms(median(build)),
            f"≤ {ms(TARGET_RECORD_S)}",
            median(build) <= TARGET_RECORD_S,
            f"{rounds} builds; {data['bytes'] // 1024} KiB of PDF",
        ),
        Row("  of which PAdES signing (record attached), median", ms(median(data["sign"]))),
        Row(
            "  record pages + label without signing, median",
            ms(median(unsigned)),
            note=f"pages {ms(median(data['pages']))}, label {ms(median(data['label']))}",
        ),
        Row("Sealing the record (canonical JSON, hash), median", ms(median(data["seal"]))),
        Row("Verifying a record PDF (hemgenix-prep verify's check), median", ms(median(data["verify"]))),
    ]
    return section


def scan(config: Config) -> Section:
    section = Section("Scan to feedback")
    rounds = 60 if config.quick else 300
    data = run_module_json("scan", [str(rounds)], _env(config))
    total, before = data["total"], data["before_paint"]
    p99 = percentile(total, 99)
    section.rows += [
        Row("Scan to feedback (Enter → parsed carton painted): p50", ms(median(total)), note=f"{rounds} scans"),
        Row(
            "Scan to feedback: p99",
            ms(p99),
            f"≤ {ms(TARGET_SCAN_S)}",
            p99 <= TARGET_SCAN_S,
            f"max {ms(max(total))}; parsing and checks alone p50 {ms(median(before))}",
        ),
    ]
    return section


def memory(config: Config) -> Section:
    """benchmarks/memory.py: the application's own path, PREPARATIONS preparations in one session (each session in
    a process and a database of its own, SESSIONS of them), and its floor."""
    section = Section("Memory")
    folder = config.work / "memory"
    shutil.rmtree(folder, ignore_errors=True)
    preparations = 4 if config.quick else 20
    sessions = 1 if config.quick else 3
    env = _env(config)
    runs: list[dict[str, Any]] = []
    for number in range(sessions):
        home = folder / f"session-{number + 1}"
        home.mkdir(parents=True)
        run_module_json("memory", [str(home), "prepare"], env)
        runs.append(run_module_json("memory", [str(home), str(preparations)], env, timeout=1800))
    floors = [run_module_json("memory", [str(home), "floor"], env) for _ in range(sessions)]  # the last one's modules
    runs.sort(key=lambda run: int(run["rss_bytes"]))
    floors.sort(key=lambda run: int(run["rss_bytes"]))
    data, floor_data = runs[len(runs) // 2], floors[len(floors) // 2]  # the median session, the median floor
    floor = int(floor_data["rss_bytes"])
    above = {kind: int(data["rss_split"][kind]) - int(floor_data["rss_split"][kind]) for kind in ("anon", "file")}
    picture = int(data["window_picture_bytes"])
    rss = int(data["rss_bytes"])
    after = [int(value) for value in data["rss_after"]]
    growths = sorted(int(run["rss_after"][-1]) - int(run["rss_after"][1]) for run in runs)
    growth = growths[len(growths) // 2]
    spread = _mib_spread([int(run["rss_bytes"]) for run in runs])
    section.rows += [
        Row(
            "Memory on the real path: main window, sign-in, wizard, signing, both print previews, History (RSS)",
            spread,
            f"≤ {mib(TARGET_MEMORY_BYTES)}",
            rss <= TARGET_MEMORY_BYTES,
            f"after the first preparation; peak {mib(int(data['peak_rss_bytes']))}; the rows below are of the "
            "median session",
        ),
        Row(
            "  floor: every module that session loaded, and the QApplication, nothing done (RSS)",
            _mib_spread([int(run["rss_bytes"]) for run in floors]),
            note=f"the session holds {mib(rss - floor)} above it",
        ),
        Row(
            "  of which the libraries' code and the fonts the session ran and the floor never did (file pages)",
            mib(above["file"]),
            note=(
                f"Qt's painting, printing and PDF code, CUPS, TLS, image plugins; the rest, {mib(above['anon'])}, "
                "is data (Python's objects, Qt's buffers and caches, the window's picture)"
            ),
        ),
        Row(
            "  floor with what the session must run and show: the floor + those pages + the window's picture",
            mib(floor + above["file"] + picture),
            note=(
                f"the picture: {mib(picture)} (the window's pixels, 4 bytes each); the program holds "
                f"{mib(rss - floor - above['file'] - picture)} of data beyond this"
            ),
        ),
        Row(
            f"Memory growth over {preparations} preparations in one session (RSS after the last − after the 2nd)",
            f"{growth / MIB:+.1f} MiB ({growths[0] / MIB:+.1f}–{growths[-1] / MIB:+.1f}, n={len(growths)})",
            f"≤ +{mib(TARGET_GROWTH_BYTES)}",
            growth <= TARGET_GROWTH_BYTES,
            "after each, median session: " + ", ".join(f"{value / MIB:.0f}" for value in after) + " MiB",
        ),
    ]
    stages = "; ".join(f"{name} {int(value) / MIB:.0f} MiB" for name, value in dict(data["stages"]).items())
    section.details.append(
        f"Memory: {sessions} sessions, each one process, offscreen, the program's QApplication and services over a "
        f"SQLite database of its own, its main window; a technician signs in and makes {preparations} preparations "
        f"for as many patients, each signed (the pharmacist's blind check), sealed by the window, its record "
        f"({int(data['record_pdf_bytes']) // 1024} KiB) and label ({int(data['label_pdf_bytes']) // 1024} KiB) "
        f"printed through their print preview into files; History opened once. RSS after each step of the median "
        f"session's first preparation: {stages}. Python " + sys.version.split()[0] + "."
    )
    return section


def _mib_spread(values: list[int]) -> str:
    """The median of some sizes, with min–max and n."""
    ordered = sorted(values)
    return f"{mib(ordered[len(ordered) // 2])} ({mib(ordered[0])}–{mib(ordered[-1])}, n={len(ordered)})"
