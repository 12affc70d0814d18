"""Autosave: ``Store.save_draft`` of one page, with its audit event, on a SQLite file.

A draft with every page filled in (the storage tests' ``fill_everything``) is started, then saved again and
again as pressing Next does: one value changes and the step moves on, each save one transaction (the draft
row and one audit event, WAL, ``synchronous = FULL`` so each commit reaches the disk). The figures are the
p50 and p99 of those saves; a few first saves are not counted (they open the connection and warm caches).
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import Config, Row, Section, median, ms, percentile
from hemgenix_desktop.storage import PreparationSummary, Store, User
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import add_user

TARGET_P99_S = 0.020
STEPS = ("eligibility", "identity", "weight", "kit", "preparation", "administration", "review")
WARM_UP = 5


def save_series(store: Store, user: User, count: int, identifier: str = "PSI-AUTOSAVE") -> list[float]:
    """Start one draft, then time ``count`` page saves of it (seconds each)."""
    prep = fill_everything(new_prep(identifier, "Autosave Patient", "MRN-AUTOSAVE"), serial=f"SN-{identifier}")
    store.start_preparation(prep, user, "bench-ws")
    times: list[float] = []
    for i in range(WARM_UP + count):
        prep.weight_method = f"Standing scale, reading {i}"  # one value changes, as on a page
        step = STEPS[i % len(STEPS)]
        started = time.perf_counter()
        store.save_draft(prep, step, user, "bench-ws")
        elapsed = time.perf_counter() - started
        if i >= WARM_UP:
            times.append(elapsed)
    return times


def rows_for(label: str, times: list[float]) -> list[Row]:
    p50, p99 = median(times), percentile(times, 99)
    return [
        Row(f"{label}: p50", ms(p50), note=f"{len(times)} saves"),
        Row(f"{label}: p99", ms(p99), f"≤ {ms(TARGET_P99_S)}", p99 <= TARGET_P99_S, f"max {ms(max(times))}"),
    ]


def run(config: Config) -> Section:
    section = Section("Autosave")
    count = 150 if config.quick else 600
    folder = config.work / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "autosave.sqlite3"
    path.unlink(missing_ok=True)
    with Store.open(f"sqlite:///{path}") as store:
        user = add_user(store, "tina", "Tina Tech")
        times = save_series(store, user, count)
        last: PreparationSummary = store.unfinished()[0]
        assert last.step == STEPS[(WARM_UP + count - 1) % len(STEPS)]
        assert store.verify_audit_chain().intact
    section.rows += rows_for("Autosave (one page + audit event, SQLite)", times)
    section.details.append(
        f"Autosave: {count} saves of one draft on a new SQLite file in {Path(path).parent} (same disk as the "
        "user's data folder), after 5 uncounted saves."
    )
    return section
