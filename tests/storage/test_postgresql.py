"""The same schema, guards and audit chain on PostgreSQL (several workstations on one server).

These run when HEMGENIX_TEST_POSTGRES_URL names a throwaway database whose name contains "test" (every test
empties it), for example ``postgresql+psycopg://hemgenix_test:PASSWORD@127.0.0.1:5432/hemgenix_test``.
``scripts/test-postgres.sh`` installs and starts PostgreSQL on this machine, makes such a database and prints
its URL; CI (``.ci/run``) does that, so these tests run there. Without the variable each test is skipped,
saying so.

Two workstations are two processes here: they race for one patient and for one carton (the reliability
tests' 50 rounds, word for word), append to the audit chain at the same moment, and migrate a new database
together.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, PreparationStatus, Role
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.storage.audit import GENESIS_HASH, ChainVerification
from hemgenix_desktop.storage.migrate import HEAD_REVISION, alembic_config, current_revision
from hemgenix_desktop.storage.schema import metadata
from tests.helpers.preparations import carton, fill_everything, new_prep
from tests.helpers.store import WORKSTATION, FakeClock, add_user, leave_signed_not_sealed
from tests.reliability.test_two_workstations import ROUNDS as RACE_ROUNDS
from tests.reliability.test_two_workstations import _check_rounds, _race
from tests.storage.helpers import corrected
from tests.storage.test_amendments import (
    FIRST,
    FIRST_SHA,
    ORIGINAL,
    ORIGINAL_SHA,
    check_amendment_race,
    seal,
    sign_and_seal,
    start,
)
from tests.storage.test_store import _signature
from tests.storage.workers import append_events, open_at_once

URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(
    not URL,
    reason="HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes a throwaway PostgreSQL database "
    "and prints its URL; CI sets it)",
)

TABLES = {
    "alembic_version",
    "amendments",
    "approvals",
    "audit_events",
    "audit_head",
    "preparation_search_terms",
    "preparations",
    "signatures",
    "users",
}
TRIGGERS = {
    ("amendments", "amendments_sealed_never_change"),
    ("audit_events", "audit_events_append_only"),
    ("audit_head", "audit_head_one_step"),
    ("signatures", "signatures_append_only"),
    ("preparations", "preparations_sealed_state"),
    ("amendments", "amendments_status_audited"),
    ("signatures", "signatures_only_while_made"),
    ("approvals", "approvals_guard"),
}
RACE_SCHEMA = "hemgenix_race_"  # the schemas of the "new database" race, one per round
WRITERS = ("ws-a", "ws-b", "ws-c")
APPENDS = 40  # each writer saves its draft and records an event this many times
NEW_DATABASES = 10
RESULT_TIMEOUT = 180


def _empty(url: str) -> None:
    """Drop everything the tests (or the program) made: the public schema and the race schemas."""
    engine = create_engine(url)
    with engine.begin() as conn:
        race_schemas = conn.execute(
            text("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"), {"prefix": RACE_SCHEMA}
        ).scalars()
        for schema in list(race_schemas):
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def pg_url() -> str:
    """The test database, emptied (a database whose name lacks "test" is refused: it might be a real one)."""
    database = make_url(URL).database or ""
    if "test" not in database:
        pytest.fail(
            f"HEMGENIX_TEST_POSTGRES_URL names the database “{database}”; the PostgreSQL tests empty their database, "
            "so they use only one whose name contains “test”. Give a throwaway database (scripts/test-postgres.sh)."
        )
    _empty(URL)
    return URL


def test_an_empty_database_is_migrated_to_the_newest_schema(pg_url: str) -> None:
    with Store.open(pg_url) as store, store.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == TABLES
        assert current_revision(conn) == HEAD_REVISION
        assert conn.execute(text("SELECT id, last_seq, last_hash FROM audit_head")).one() == (1, 0, GENESIS_HASH)
        # the migrated database is exactly the schema the code uses (columns, types, indexes, constraints)
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        # the guards are partial unique indexes: a voided preparation frees its patient and its carton
        guards = dict(
            conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'preparations' AND indexdef LIKE '%UNIQUE%'"
                )
            ).all()
        )
        assert set(guards) == {"pk_preparations", "uq_preparations_one_per_patient", "uq_preparations_one_per_carton"}
        assert guards["uq_preparations_one_per_patient"].endswith(
            "(patient_identifier) WHERE ((status)::text <> 'voided'::text)"
        )
        assert guards["uq_preparations_one_per_carton"].endswith(
            "(carton_gtin, carton_serial) WHERE ((status)::text <> 'voided'::text)"
        )
        triggers = conn.execute(
            text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
        ).all()
        assert set(map(tuple, triggers)) == TRIGGERS
    with Store.open(pg_url) as again, again.engine.connect() as conn:  # opening again changes nothing
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert again.verify_audit_chain().checked == 0


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"password": "not-the-password-42"}, "password authentication failed"),
        ({"port": 1}, "Connection refused"),  # no server there
    ],
)
def test_a_database_that_cannot_be_opened_is_one_sentence_without_the_password(
    change: dict[str, Any], problem: str
) -> None:
    url = make_url(URL).set(**change)
    try:
        Store.open(url.render_as_string(hide_password=False)).close()
    except StorageError as refused:
        message = refused.message
    else:
        pytest.skip("this PostgreSQL server lets the test role in without checking its password (trust)")
    assert message.startswith(f"The database {url.render_as_string(hide_password=True)} cannot be opened (")
    assert problem in message
    assert message.endswith("). Check the address and that you may use it, or give another with --db.")
    assert "\n" not in message  # PostgreSQL's DETAIL and HINT lines are left out of the sentence
    if url.password:
        assert str(url.password) not in message


def test_the_migration_runs_down_and_up_again(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        command.downgrade(alembic_config(conn), "base")
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        functions = conn.execute(text("SELECT proname FROM pg_proc WHERE proname LIKE 'hemgenix%'")).scalars().all()
        assert functions == []
        command.upgrade(alembic_config(conn), "head")
        assert set(inspect(conn).get_table_names()) == TABLES
    engine.dispose()


def test_a_draft_is_started_saved_and_loaded_whole(pg_url: str) -> None:
    clock = FakeClock(datetime(2026, 5, 4, 8, 30, 12, 345678, tzinfo=UTC))
    with Store.open(pg_url, clock=clock) as store:
        tech = add_user(store, "tina", "Tina Tech")
        prep = new_prep()
        started = store.start_preparation(prep, tech, WORKSTATION)
        assert started.created_at == clock.now  # UTC, to the microsecond
        fill_everything(prep, serial="SER-PG")
        clock.advance(minutes=7)
        store.save_draft(prep, "checks", tech, WORKSTATION)

    with Store.open(pg_url) as store:  # another connection, as another workstation would read it
        loaded = store.load(prep.id)
        assert loaded.to_dict() == prep.to_dict() | {"step": "checks"}
        assert loaded.carton == prep.carton
        assert loaded.checks == prep.checks
        [unfinished] = store.unfinished()
        assert (unfinished.id, unfinished.step, unfinished.updated_at, unfinished.carton_serial) == (
            prep.id,
            "checks",
            clock.now,
            "SER-PG",
        )
        assert [r.id for r in store.search(patient="smi", identifier=" psi-0001 ")] == [prep.id]
        saved = store.audit_trail(prep.id)[-1]
        assert saved.action == "draft_saved"
        assert saved.after["carton.serial"] == "SER-PG"
        assert store.verify_audit_chain().checked == 3


def test_one_dose_and_one_carton_are_guarded_by_the_database(pg_url: str) -> None:
    with Store.open(pg_url, clock=FakeClock()) as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)
        prep = fill_everything(new_prep(), serial="SER-PG")
        store.start_preparation(prep, tech, WORKSTATION)

        with pytest.raises(PatientAlreadyHasPreparation) as second:
            store.start_preparation(new_prep(" psi-0001"), tech, WORKSTATION)
        assert second.value.existing_id == prep.id
        assert second.value.message.startswith(
            f"This patient already has preparation {prep.id[:8]} for John Smith (identifier “PSI-0001”), a draft, "
            "started by Tina Tech (tina) on 2026-05-04 08:30 UTC."
        )
        other = new_prep("PSI-OTHER", "Olga Other")
        store.start_preparation(other, tech, WORKSTATION)
        other.carton = carton("SER-PG")
        with pytest.raises(CartonAlreadyUsed, match=f"already used by preparation {prep.id[:8]}"):
            store.save_draft(other, "carton", tech, WORKSTATION)
        assert store.load(other.id).carton is None  # the refused save changed nothing
        refusals = [e.action for e in store.audit_trail(prep.id) if e.action.endswith("_refused")]
        assert refusals == ["second_preparation_refused", "carton_reuse_refused"]

        # signed, then voided by a pharmacist: the patient and the carton are free again
        store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
        with pytest.raises(InvalidInput, match="already carries this signature"):
            store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
        leave_signed_not_sealed(store, prep, tech, WORKSTATION)
        store.void(prep.id, "Dropped the bag.", pharmacist, WORKSTATION)
        assert store.summary(prep.id).status is PreparationStatus.VOIDED
        again = fill_everything(new_prep(), serial="SER-PG")
        store.start_preparation(again, tech, WORKSTATION)
        assert store.summary(again.id).carton_serial == "SER-PG"
        assert store.verify_audit_chain().intact


def test_the_database_refuses_to_change_the_trail_and_verify_names_an_edit(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(pg_url, clock=FakeClock()) as store:
        tech = add_user(store, "tina", "Tina Tech")
        prep = new_prep()
        store.start_preparation(prep, tech, WORKSTATION)
        store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
        for sql, refusal in (
            ("UPDATE audit_events SET summary = 'x' WHERE seq = 2", "audit_events is append-only: never update"),
            ("DELETE FROM audit_events WHERE seq = 2", "audit_events is append-only: never delete"),
            ("UPDATE signatures SET reason = 'x'", "signatures is append-only: never update"),
            ("DELETE FROM signatures", "signatures is append-only: never delete"),
            ("UPDATE audit_head SET last_seq = 7", "the audit head moves one event at a time"),
            ("DELETE FROM audit_head", "the audit head is never deleted"),
        ):
            with store.engine.begin() as conn, pytest.raises(DBAPIError, match=refusal):
                conn.execute(text(sql))
        assert main(["--db", pg_url, "audit", "verify"]) == 0
        database_id = store.audit.database_id()
        assert capsys.readouterr().out == (
            f"The audit trail is intact: 3 events checked. The tables match the trail. Database ID: {database_id}.\n"
        )

        # someone with the database owner's rights drops the guard and edits an event: verify names it
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
            conn.execute(text("UPDATE audit_events SET username = 'someone' WHERE seq = 2"))
        result = store.verify_audit_chain()
        assert (result.intact, result.first_broken, result.checked) == (False, 2, 1)
        assert main(["--db", pg_url, "audit", "verify"]) == 1
        assert capsys.readouterr().err.startswith(
            "The audit trail is broken at event 2: event 2 (preparation_started by someone on 2026-05-04 08:30 UTC) "
            "was changed after it was written"
        )


def test_a_sealed_record_is_corrected_by_an_amendment_on_postgresql(pg_url: str) -> None:
    with Store.open(pg_url, clock=FakeClock()) as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)
        prep = seal(store, tech, pharmacist, serial="SER-PG")
        with store.engine.connect() as conn:
            row_before = tuple(conn.execute(text("SELECT * FROM preparations")).one())
        original = store.signatures(prep.id)

        first = start(store, prep, tech, name="Jonathan Smythe")
        assert (first.number, first.status, first.amends_record_id) == (1, AmendmentStatus.DRAFT, ORIGINAL)
        with pytest.raises(InvalidInput, match=r"^Tina Tech is already correcting this record \(started 2026-05-04"):
            start(store, prep, pharmacist, name="Joan Smith")
        # the guards do not see corrections: the patient and the carton are still taken by the preparation
        with pytest.raises(PatientAlreadyHasPreparation):
            store.start_preparation(new_prep(), tech, WORKSTATION)
        other = new_prep("PSI-OTHER", "Olga Other")
        other.carton = carton("SER-PG")
        with pytest.raises(CartonAlreadyUsed):
            store.start_preparation(other, tech, WORKSTATION)

        # the same signature as on the original, on another record
        same = original[1]
        store.add_signature(prep.id, same, amendment=1)
        with pytest.raises(InvalidInput, match=r"^Amendment 1 of preparation .* already carries this signature"):
            store.add_signature(prep.id, same, amendment=1)
        sign_and_seal(store, prep.id, 1, first.id, tech, pharmacist, FIRST, FIRST_SHA)
        store.seal_amendment(
            first.id, pharmacist, WORKSTATION, record_id=FIRST, record_sha256=FIRST_SHA, canonical=None
        )
        with pytest.raises(InvalidInput, match=f"^Record {ORIGINAL} was corrected already by amendment 1"):
            start(store, prep, tech, name="Joan Smith")
        second = start(
            store, store.load_amendment(first.id), tech, name="Joan Smith", record_id=FIRST, sha256=FIRST_SHA
        )
        assert second.number == 2
        assert [a.status for a in store.amendments(prep.id)] == [AmendmentStatus.SEALED, AmendmentStatus.DRAFT]
        assert store.signatures(prep.id, amendment=1)[0] == same
        assert store.signatures(prep.id, amendment=2) == []
        assert store.signatures(prep.id) == original

        assert [r.id for r in store.search(patient="smythe")] == [prep.id]
        assert [r.id for r in store.search(patient="john smith")] == [prep.id]
        [found] = store.search(patient="jonathan")
        assert (found.amendments, found.correcting) == (1, True)
        with store.engine.connect() as conn:
            assert tuple(conn.execute(text("SELECT * FROM preparations")).one()) == row_before
            guards: dict[str, str] = dict(
                conn.execute(
                    text(
                        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'amendments' AND indexdef LIKE '%WHERE%'"
                    )
                ).all()
            )
        assert guards["uq_amendments_one_draft_per_preparation"].endswith(
            "(preparation_id) WHERE ((status)::text = 'draft'::text)"
        )
        assert guards["uq_amendments_one_per_record"].endswith(
            "(amends_record_id) WHERE ((status)::text <> 'voided'::text)"
        )
        for sql, refusal in (
            (f"UPDATE amendments SET reason = 'x' WHERE id = '{first.id}'", "a sealed amendment never changes"),
            ("DELETE FROM amendments", "amendments are never deleted"),
        ):
            with store.engine.begin() as conn, pytest.raises(DBAPIError, match=refusal):
                conn.execute(text(sql))
        assert store.amendment(first.id).reason == "Name misspelt on the order entry"
        assert store.verify_audit_chain().intact


def test_upgrading_from_0003_keeps_a_sealed_preparation_and_its_signatures_on_postgresql(pg_url: str) -> None:
    with Store.open(pg_url, clock=FakeClock()) as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)
        prep = seal(store, tech, pharmacist)
        signed = store.signatures(prep.id)
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
        assert "amendments" not in inspect(conn).get_table_names()
        assert "amendment" not in {c["name"] for c in inspect(conn).get_columns("signatures")}
        assert conn.execute(text("SELECT count(*) FROM signatures")).scalar_one() == 2
    engine.dispose()
    with Store.open(pg_url) as store, store.engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.execute(text("SELECT amendment FROM signatures")).scalars().all() == [0, 0]
        triggers = conn.execute(text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal"))
        assert set(map(tuple, triggers.all())) == TRIGGERS
        # the same signatures; the person behind each (0008's employee number) was dropped going back before revision 0008
        assert store.signatures(prep.id) == [dataclasses.replace(s, person="") for s in signed]
        assert store.summary(prep.id).status is PreparationStatus.SEALED
        fixed, changes = corrected(store.load(prep.id), name="Jon Smith")
        store.start_amendment(
            fixed,
            reason="Name misspelt",
            changes=changes,
            amends_record_id=ORIGINAL,
            amends_sha256=ORIGINAL_SHA,
            user=tech,
            workstation=WORKSTATION,
        )
        assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_two_workstations_starting_a_correction_at_once_one_wins_on_postgresql(pg_url: str) -> None:
    check_amendment_race(pg_url)


@pytest.mark.slow
def test_fifty_races_for_one_patient_each_have_one_winner_on_postgresql(pg_url: str) -> None:
    outcomes = _race(pg_url, "patient")
    _check_rounds(pg_url, outcomes, "patient")
    with Store.open(pg_url) as store:
        drafts = store.unfinished()
        assert sorted(d.patient_identifier for d in drafts) == sorted(f"PSI-RACE-{i}" for i in range(RACE_ROUNDS))


@pytest.mark.slow
def test_fifty_races_for_one_carton_each_have_one_winner_on_postgresql(pg_url: str) -> None:
    outcomes = _race(pg_url, "carton")
    _check_rounds(pg_url, outcomes, "carton")
    with Store.open(pg_url) as store:
        drafts = store.unfinished()
        assert len(drafts) == 2 * RACE_ROUNDS  # every loser's draft is kept, without the carton it could not take
        scanned = sorted(d.carton_serial for d in drafts if d.carton_serial is not None)
        assert scanned == sorted(f"SER-RACE-{i}" for i in range(RACE_ROUNDS))


@pytest.mark.slow
def test_writers_appending_at_once_keep_one_unbroken_chain(pg_url: str) -> None:
    """Three workstations save and record events as fast as they can, all at once, while a fourth verifies
    the chain again and again: each event joins the chain after the one before it (the audit head's row lock,
    SELECT … FOR UPDATE), and a verification sees one moment of it (a REPEATABLE READ snapshot)."""
    with Store.open(pg_url) as store:
        for name in WRITERS:
            add_user(store, name, f"Writer {name}")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(WRITERS) + 1)
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=append_events, args=(pg_url, name, APPENDS, barrier, results)) for name in WRITERS]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + RESULT_TIMEOUT  # only so that a hung writer fails the test instead of blocking it
    verifications: list[ChainVerification] = []
    with Store.open(pg_url) as verifier:
        barrier.wait(RESULT_TIMEOUT)
        while True:  # verify while the writers write (at least once)
            verifications.append(verifier.verify_audit_chain())
            if not any(w.is_alive() for w in workers) or time.monotonic() > deadline:
                break
    outcomes = sorted(results.get(timeout=RESULT_TIMEOUT) for _ in WRITERS)
    for worker in workers:
        worker.join(RESULT_TIMEOUT)
        assert worker.exitcode == 0
    assert [o[:2] for o in outcomes] == [(name, "done") for name in WRITERS], outcomes
    assert [v.message for v in verifications if not v.intact] == []

    total = 2 * len(WRITERS) + 2 * len(WRITERS) * APPENDS  # users added, preparations started, saves and events
    with Store.open(pg_url) as store:
        result = store.verify_audit_chain()
        assert (result.intact, result.checked) == (True, total), result.message
        trail = store.audit_trail()
        assert [e.seq for e in trail] == list(range(1, total + 1))
        for name, _, prep_id in outcomes:
            mine = [e for e in trail if e.username == name and e.action == "test_event"]
            assert [e.after for e in mine] == [{"n": n} for n in range(APPENDS)]  # each writer's order is kept
            assert {e.preparation_id for e in mine} == {prep_id}
            assert store.load(prep_id).weight_method == f"scale reading {APPENDS - 1}"
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT last_seq, last_hash FROM audit_head")).one() == (total, trail[-1].hash)
    # the writers really wrote at the same time: their events alternate in the chain
    writers_in_order = [e.username for e in trail if e.action == "test_event"]
    switches = sum(a != b for a, b in itertools.pairwise(writers_in_order))
    assert switches > len(WRITERS), "the writers did not overlap, so this run tested nothing concurrent"


def _schema_url(url: str, schema: str) -> str:
    """The same database, with ``schema`` first in the search path: a new, empty database for the program."""
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"


@pytest.mark.slow
def test_two_processes_creating_a_new_database_at_once_on_postgresql(pg_url: str) -> None:
    """Both find no schema and migrate at the same moment; the advisory lock lets one create it and the
    other find it made."""
    schemas = [f"{RACE_SCHEMA}{i}" for i in range(NEW_DATABASES)]
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    urls = [_schema_url(pg_url, schema) for schema in schemas]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=open_at_once, args=(urls, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=RESULT_TIMEOUT) for _ in range(2 * NEW_DATABASES)]
    for worker in workers:
        worker.join(RESULT_TIMEOUT)
    assert outcomes == [("ok", True)] * (2 * NEW_DATABASES)
    with engine.connect() as conn:
        for schema in schemas:
            assert set(inspect(conn).get_table_names(schema=schema)) == TABLES
            versions = conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version')).scalars().all()
            assert versions == [HEAD_REVISION]
        assert inspect(conn).get_table_names(schema="public") == []  # each went to its own schema
    engine.dispose()
