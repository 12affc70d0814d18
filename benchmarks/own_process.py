"""Benchmarks that run in a process of their own (record, scan, memory): start it, read its JSON, make rows."""

from __future__ import annotations

import sys

from benchmarks.common import Config, Row, Section, child_env, median, mib, ms, percentile, run_module_json

TARGET_RECORD_S = 0.150
TARGET_SCAN_S = 0.016
TARGET_MEMORY_BYTES = 200 * 1024 * 1024


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
    section = Section("Memory")
    folder = config.work / "memory"
    folder.mkdir(parents=True, exist_ok=True)
    run_module_json("memory", [str(folder), "prepare"], _env(config))
    data = run_module_json("memory", [str(folder)], _env(config))
    rss = int(data["rss_bytes"])
    section.rows.append(
        Row(
            "Memory after a full preparation incl. signed PDF and label (RSS)",
            mib(rss),
            f"≤ {mib(TARGET_MEMORY_BYTES)}",
            rss <= TARGET_MEMORY_BYTES,
            f"peak {mib(int(data['peak_rss_bytes']))}; wizard + SQLite + signing + PDFs in one process",
        )
    )
    section.details.append(
        f"Memory: one process, offscreen wizard with autosave, {data['events']} audit events for the preparation, "
        f"record PDF {int(data['record_pdf_bytes']) // 1024} KiB and label {int(data['label_pdf_bytes']) // 1024} KiB "
        "saved. Python " + sys.version.split()[0] + "."
    )
    return section
