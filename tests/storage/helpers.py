"""The storage tests' own helpers: a correction of a patient's name or MRN, and two workstations racing (in child
processes). The clock, users and preparations they use are in tests/helpers/."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.storage import Store
from tests.helpers.store import add_user


def corrected(
    prep: Preparation, name: str | None = None, mrn: str | None = None
) -> tuple[Preparation, list[dict[str, str]]]:
    """A correction of ``prep``'s patient name and/or MRN: the corrected copy (same id) and what changed, as
    ``FieldChange.to_dict()`` dicts (``prep`` itself is not changed)."""
    copy = Preparation.from_dict(prep.to_dict())
    assert copy.order is not None
    patient = copy.order.patient
    listed: list[dict[str, str]] = []
    if name is not None:
        listed.append(FieldChange("patient.full_name", "Patient name", patient.full_name, name).to_dict())
        patient = replace(patient, full_name=name)
    if mrn is not None:
        listed.append(FieldChange("patient.mrn", "MRN", patient.mrn, mrn).to_dict())
        patient = replace(patient, mrn=mrn)
    copy.order = replace(copy.order, patient=patient)
    return copy, listed


RaceOutcome = tuple[int, str, str, str, str]  # round, workstation, "won"/"lost"/"error", preparation id, sentence


def run_race(url: str, guard: str, rounds: int, timeout: float) -> list[RaceOutcome]:
    """Two processes (workstations "ws-a" and "ws-b") race ``rounds`` times on one database to start a
    preparation for the same patient (``guard="patient"``) or to save the same carton (``"carton"``); every
    outcome, none of them an unexpected error. The children run ``tests.storage.workers.race``."""
    import multiprocessing

    from tests.storage.workers import race

    with Store.open(url) as store:
        add_user(store, "ws-a", "Alice Adams")
        add_user(store, "ws-b", "Brian Brown", Role.PHARMACIST)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=race, args=(url, name, rounds, guard, barrier, results)) for name in ("ws-a", "ws-b")]
    for worker in workers:
        worker.start()
    outcomes: list[RaceOutcome] = [results.get(timeout=timeout) for _ in range(2 * rounds)]
    for worker in workers:
        worker.join(timeout)
        assert worker.exitcode == 0
    assert [o for o in outcomes if o[2] == "error"] == []
    return outcomes


def run_amendment_race(url: str, records: list[tuple[str, str, str]], timeout: float) -> list[RaceOutcome]:
    """Two processes (workstations "ws-a" and "ws-b", users made here) start correcting each sealed record
    ``(preparation id, record id, record SHA-256)`` at the same moment; every outcome, none of them an unexpected
    error. The children run ``tests.storage.workers.amend_race``."""
    import multiprocessing

    from tests.storage.workers import amend_race

    with Store.open(url) as store:
        add_user(store, "ws-a", "Alice Adams")
        add_user(store, "ws-b", "Brian Brown", Role.PHARMACIST)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=amend_race, args=(url, name, records, barrier, results)) for name in ("ws-a", "ws-b")]
    for worker in workers:
        worker.start()
    outcomes: list[RaceOutcome] = [results.get(timeout=timeout) for _ in range(2 * len(records))]
    for worker in workers:
        worker.join(timeout)
        assert worker.exitcode == 0
    assert [o for o in outcomes if o[2] == "error"] == []
    return outcomes
