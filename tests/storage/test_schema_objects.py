"""``audit verify`` checks the schema as it is, never migrating it: its version, and every trigger, index and trigger
function the migrations make (``storage/schema_check.py``).

The expected objects (``storage/schema_objects.py``) are generated from freshly migrated databases
(``tests.storage.schema_objects_gen``); the first tests fail when a migration changes them and the file was not made
again. The attacks are made as someone with the database would make them (their own connection).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage.schema_check import GUARDS, SchemaObject, describe
from hemgenix_desktop.storage.schema_objects import EXPECTED
from hemgenix_desktop.storage.values import HEAD_REVISION
from tests.helpers.store import add_user, open_store_file
from tests.storage.schema_objects_gen import postgresql_objects, sqlite_objects

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")
HEADLINE = "The database's triggers and indexes are not the ones its migrations make ("

# (what, SQLite statement, PostgreSQL statement, the sentences that must name it)
ATTACKS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "the one-dose index dropped",
        "DROP INDEX uq_preparations_one_per_patient",
        "DROP INDEX uq_preparations_one_per_patient",
        (
            "The index uq_preparations_one_per_patient on preparations (the one-dose guard: one preparation per "
            "patient unless voided) is missing: it was dropped outside Hemgenix Prep.",
        ),
    ),
    (
        "the one-carton index made not unique",
        "DROP INDEX uq_preparations_one_per_carton; CREATE INDEX uq_preparations_one_per_carton ON preparations "
        "(carton_gtin, carton_serial)",
        "DROP INDEX uq_preparations_one_per_carton; CREATE INDEX uq_preparations_one_per_carton ON preparations "
        "(carton_gtin, carton_serial)",
        (
            "The index uq_preparations_one_per_carton on preparations (the one-carton guard: one preparation per "
            "carton unless voided) is not the one the migrations make: it was changed outside Hemgenix Prep.",
        ),
    ),
    (
        "the sealed-state trigger dropped",
        "DROP TRIGGER preparations_sealed_never_change",
        "DROP TRIGGER preparations_sealed_state ON preparations",
        ("preparations (a sealed preparation never changes", "is missing: it was dropped outside Hemgenix Prep."),
    ),
    (
        "every trigger dropped",
        "EVERY TRIGGER",
        "EVERY TRIGGER",
        ("The trigger audit_events_", "The trigger audit_head_one_step on audit_head (the audit trail's head moves"),
    ),
    (
        "the trail's action index dropped",
        "DROP INDEX ix_audit_events_action",
        "DROP INDEX ix_audit_events_action",
        ("The index ix_audit_events_action on audit_events (the one-dose and one-carton guards read",),
    ),
]
# PostgreSQL only: a trigger the owner disables, a trigger function replaced by one that lets everything through
PG_ATTACKS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "PostgreSQL: the sealed-state trigger disabled",
        "ALTER TABLE preparations DISABLE TRIGGER preparations_sealed_state",
        ("The trigger preparations_sealed_state on preparations (", "is disabled, so it guards nothing"),
    ),
    (
        "PostgreSQL: the sealed-state trigger function replaced",
        "CREATE OR REPLACE FUNCTION hemgenix_preparation_guard() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RETURN NEW; END $$",
        (
            "The function hemgenix_preparation_guard (the code of the trigger that keeps sealed preparations "
            "unchanged and undeleted) is not the one the migrations make: it was changed outside Hemgenix Prep.",
        ),
    ),
]


# --- the expected objects are the migrations' own ---------------------------------------------------------------
def test_the_expected_sqlite_objects_are_those_a_fresh_migration_makes() -> None:
    assert sqlite_objects() == EXPECTED["sqlite"], "run .venv/bin/python -m tests.storage.schema_objects_gen"


def test_the_expected_postgresql_objects_are_those_a_fresh_migration_makes() -> None:
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    assert postgresql_objects(PG_URL) == EXPECTED["postgresql"], (
        "run .venv/bin/python -m tests.storage.schema_objects_gen with HEMGENIX_TEST_POSTGRES_URL set"
    )


def test_every_trigger_function_and_guarding_index_says_what_it_guards() -> None:
    for objects in EXPECTED.values():
        for name, row in objects.items():
            obj = SchemaObject(*row)
            if obj.kind != "index" or " WHERE " in obj.definition:  # triggers, functions, the partial guards
                assert name in GUARDS, name
            assert describe(name, obj)
    assert set(GUARDS) <= {name for objects in EXPECTED.values() for name in objects}  # none left over


# --- verify never migrates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "sentence"),
    [
        (
            "0006",
            f"The database's schema version says 0006 while this program's is {HEAD_REVISION}: it is older, so the "
            "database was not brought up to date by this program or its version row was changed; nothing else was "
            "checked and nothing was changed: keep this database as it is and report it to the pharmacist in charge.",
        ),
        (
            "0010",
            f"The database's schema version says 0010 while this program's is {HEAD_REVISION}: it is newer (or "
            "unknown), so it was written by a newer version of Hemgenix Prep or its version row was changed; nothing "
            "else was checked and nothing was changed: run audit verify with the newer version.",
        ),
    ],
)
def test_verify_reports_a_schema_version_not_the_programs_and_changes_nothing(
    tmp_path: Path, version: str, sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        add_user(store, "tina", "Tina Tech")
    _sqlite(path, f"UPDATE alembic_version SET version_num = '{version}'")
    before = _files(tmp_path)
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", sentence + "\n")
    assert _files(tmp_path) == before  # not migrated: every byte as it was
    assert main(["backup", "--out", str(tmp_path / "copy.sqlite3"), "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"The backup did not pass its checks, so it was removed: {sentence} Run hemgenix-prep")
    assert _files(tmp_path) == before  # the copy removed, the database as it was


def test_verify_on_postgresql_reports_a_schema_version_not_the_programs(capsys: pytest.CaptureFixture[str]) -> None:
    url = _pg_scene()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0006'")
    engine.dispose()
    assert main(["audit", "verify", "--db", url]) == 1
    assert capsys.readouterr().err.startswith("The database's schema version says 0006 while this program's is ")
    engine = create_engine(url)
    with engine.connect() as conn:  # not migrated over it
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0006"
    engine.dispose()


# --- the guards dropped or changed ---------------------------------------------------------------------------------
Attack = Callable[[str], None]


@pytest.fixture(params=["sqlite", "postgresql"])
def scene(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, Attack]]:
    if request.param == "sqlite":
        path = tmp_path / "hemgenix.sqlite3"
        with open_store_file(path) as store:
            add_user(store, "tina", "Tina Tech")

        def attack(sql: str) -> None:
            if sql == "EVERY TRIGGER":
                triggers = _sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
                sql = "; ".join(f"DROP TRIGGER {name}" for (name,) in triggers)
            _sqlite(path, sql)

        yield "sqlite", f"sqlite:///{path}", attack
        return
    url = _pg_scene()
    engine = create_engine(url)

    def pg_attack(sql: str) -> None:
        with engine.begin() as conn:
            if sql == "EVERY TRIGGER":
                rows = conn.exec_driver_sql(
                    "SELECT g.tgname, c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                    "WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                )
                sql = "; ".join(f"DROP TRIGGER {name} ON {table}" for name, table in rows.all())
            for statement in sql.split("; "):
                conn.exec_driver_sql(statement)

    yield "postgresql", url, pg_attack
    engine.dispose()


def test_an_untouched_schema_verifies(scene: tuple[str, str, Attack], capsys: pytest.CaptureFixture[str]) -> None:
    _, url, _ = scene
    assert main(["audit", "verify", "--db", url]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("what", "sqlite_sql", "pg_sql", "sentences"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_each_guard_dropped_or_changed_is_named_by_audit_verify(
    scene: tuple[str, str, Attack],
    what: str,
    sqlite_sql: str,
    pg_sql: str,
    sentences: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    dialect, url, attack = scene
    attack(sqlite_sql if dialect == "sqlite" else pg_sql)
    assert main(["audit", "verify", "--db", url]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("The audit trail is intact:")  # the trail and the tables agree: only the guards
    assert captured.err.startswith(HEADLINE), captured.err
    for sentence in sentences:
        assert sentence in captured.err, captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(("what", "sql", "sentences"), PG_ATTACKS, ids=[a[0] for a in PG_ATTACKS])
def test_a_postgresql_guard_disabled_or_replaced_is_named_by_audit_verify(
    what: str, sql: str, sentences: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    url = _pg_scene()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()
    assert main(["audit", "verify", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith(HEADLINE + "1 finding)"), err
    for sentence in sentences:
        assert sentence in err, err


# --- helpers ---------------------------------------------------------------------------------------------------------
def _pg_scene() -> str:
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from hemgenix_desktop.storage import Store
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    with Store.open(PG_URL) as store:
        add_user(store, "tina", "Tina Tech")
    return PG_URL


def _sqlite(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(sql).fetchall() if sql.startswith("SELECT") else []
        if not sql.startswith("SELECT"):
            conn.executescript(sql)
        conn.commit()
        return rows
    finally:
        conn.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
