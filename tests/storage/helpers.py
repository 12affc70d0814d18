"""Shared by the storage and security tests (and the child processes they start)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from argon2 import PasswordHasher, Type

from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.carton import CartonScan, format_bracketed, parse_carton
from hemgenix_desktop.domain.eligibility import EligibilityAnswers
from hemgenix_desktop.domain.kits import kit_catalogue
from hemgenix_desktop.domain.patient import IdentityCheck, Patient
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.domain.weight import parse_weight
from hemgenix_desktop.security.passwords import Passwords
from hemgenix_desktop.storage import Actor, Store, User

START = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
OPERATOR = Actor("cli:tester", "command line, operating-system account tester")
WORKSTATION = "hood-1"


@dataclass
class FakeClock:
    """A clock the test moves by hand (never sleeps)."""

    now: datetime = field(default_factory=lambda: START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def cheap_passwords() -> Passwords:
    """argon2id with the smallest cost: the same code path, fast enough for many tests."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))


def add_user(store: Store, username: str, full_name: str, role: Role = Role.TECHNICIAN) -> User:
    """A user for storage tests (the hash is a real argon2id hash of a throw-away password)."""
    return store.users.add(username, full_name, role, cheap_passwords().hash("unused password"), OPERATOR, WORKSTATION)


def carton(serial: str, vials: int = 15) -> CartonScan:
    kit = kit_catalogue().by_vials(vials)
    assert kit is not None
    return parse_carton(format_bracketed(kit.gtin, date(2027, 3, 31), "LOT42A", serial))


def order(identifier: str = "PSI-0001", name: str = "John Smith", mrn: str = "MRN-77") -> Order:
    return Order(
        patient=Patient(name, date(1980, 2, 29), mrn, identifier),
        order_number="ORD-2026-0042",
        prescriber="Dr Ada Byron",
        authorization_number="PA-99812",
        prescription_weight=parse_weight("72 kg"),
        prescription_weight_date=date(2026, 4, 20),
        infusion_date=date(2026, 5, 6),
    )


def new_prep(identifier: str = "PSI-0001", name: str = "John Smith", mrn: str = "MRN-77") -> Preparation:
    return Preparation(order=order(identifier, name, mrn), created_at=START)


def fill_everything(prep: Preparation, serial: str = "SER-0001") -> Preparation:
    """Every page's values, as a wizard would have entered them by the checks step."""
    prep.eligibility = EligibilityAnswers(True, False, Decimal("0.3"), 200, 7)
    prep.eligibility_confirmed = ["age", "severity", "inhibitor", "titre"]
    assert prep.order is not None
    prep.identity = IdentityCheck(prep.order.patient.patient_specific_id, prep.order.patient.date_of_birth)
    prep.set_weight_today(parse_weight("160.4 lb"))
    prep.weight_measured_at = START + timedelta(minutes=5)
    prep.weight_method = "standing scale"
    prep.carton = carton(serial)
    prep.vials_counted = 15
    prep.checks = {
        "hood_clean": True,
        "no_uv_lamp": True,
        "appearance": "clear, colourless",
        "volume_drawn_ml": Decimal("145.6"),
        "saline_expiry": date(2027, 1, 31),
        "note": None,
    }
    prep.prepared_at = START + timedelta(minutes=40)
    prep.record(EventKind.NOTICE, "weight", "The weight changed since the prescription.", START + timedelta(minutes=6))
    return prep


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
