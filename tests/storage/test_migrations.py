"""The schema comes from Alembic migrations, applied at start; the database file is the owner's only."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.storage import InvalidDatabaseURL, StorageError, Store
from hemgenix_desktop.storage.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
)
from hemgenix_desktop.storage.schema import metadata
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import WORKSTATION, add_user
from tests.storage.helpers import corrected
from tests.storage.test_store import _signature

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


def test_a_new_database_is_migrated_to_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "db.sqlite3"
    with Store.open(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == TABLES
        assert current_revision(conn) == head_revision() == HEAD_REVISION == "0009"
        assert conn.execute(text("SELECT id, last_seq, last_hash FROM audit_head")).one() == (1, 0, "0" * 64)
        # the migrated database is exactly the schema the code uses (columns, types, indexes, constraints)
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_migrating_from_an_empty_database_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()  # an empty file, as SQLite leaves one
    with Store.open(f"sqlite:///{path}") as store:
        assert store.verify_audit_chain().intact
        tech = add_user(store, "tina", "Tina Tech")
        store.start_preparation(new_prep(), tech, WORKSTATION)


@pytest.mark.slow
def test_opening_again_keeps_everything(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        tech = add_user(store, "tina", "Tina Tech")
        prep = new_prep()
        store.start_preparation(prep, tech, WORKSTATION)
    with Store.open(url) as again:
        assert again.load(prep.id).to_dict() == prep.to_dict()
        assert again.verify_audit_chain().checked == 2


def test_the_migration_runs_down_and_up_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        command.downgrade(alembic_config(conn), "base")
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        command.upgrade(alembic_config(conn), "head")
        assert set(inspect(conn).get_table_names()) == TABLES
    engine.dispose()


def test_upgrading_from_0001_fills_in_the_search_terms_of_stored_preparations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        tech = add_user(store, "tina", "Tina Tech")
        prep = new_prep()
        store.start_preparation(prep, tech, WORKSTATION)
        name = store.summary(prep.id).patient_name
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
        assert "preparation_search_terms" not in inspect(conn).get_table_names()
        command.upgrade(alembic_config(conn), "head")
        terms = set(conn.execute(text("SELECT term FROM preparation_search_terms")).scalars())
    engine.dispose()
    assert set(name.lower().split()) <= terms
    with Store.open(url) as again:
        assert [s.id for s in again.search(patient=name.split()[-1][:3])] == [prep.id]


def test_the_migrations_travel_inside_the_package() -> None:
    package = Path(__import__("hemgenix_desktop").__file__).parent
    assert MIGRATIONS_DIR.is_relative_to(package)
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "versions" / "v0001_initial.py").is_file()


def test_sqlite_runs_with_wal_foreign_keys_full_sync_and_a_busy_timeout(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store, store.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15000, "synchronous": 2}


def test_the_database_file_is_the_owners_only(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    path = folder / "db.sqlite3"
    with Store.open(f"sqlite:///{path}") as store:
        add_user(store, "tina", "Tina Tech")
        for member in (path, Path(f"{path}-wal")):
            assert stat.S_IMODE(member.stat().st_mode) == 0o600, member
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_existing_file_readable_by_others_is_made_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.touch()
    os.chmod(path, 0o644)
    Store.open(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "not a url",
            "“not a url” is not a database URL. Give one like sqlite:////path/to/hemgenix-prep.sqlite3 or "
            "postgresql+psycopg://user@host/hemgenix.",
        ),
        (
            "mysql://u@h/db",
            "The database “mysql” is not supported. Use SQLite or PostgreSQL, for example "
            "sqlite:////path/to/hemgenix-prep.sqlite3 or postgresql+psycopg://user@host/hemgenix.",
        ),
    ],
)
def test_a_bad_url_is_refused_with_a_sentence(url: str, message: str) -> None:
    with pytest.raises(InvalidDatabaseURL) as info:
        Store.open(url)
    assert info.value.message == message


def test_a_missing_driver_is_a_sentence() -> None:
    with pytest.raises(StorageError) as info:
        Store.open("postgresql+nosuchdriver://nobody@127.0.0.1:1/none")
    assert info.value.message == (
        "The database driver for “postgresql+nosuchdriver” is not installed on this computer. Install it, or use a "
        "SQLite database."
    )


def test_a_folder_that_cannot_be_made_is_a_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError) as info:
        Store.open(f"sqlite:///{blocker / 'db.sqlite3'}")
    assert info.value.message.startswith(f"The database file {blocker / 'db.sqlite3'} cannot be created or opened (")
    assert info.value.message.endswith("). Check the folder exists and is yours, or give another place with --db.")


@pytest.mark.slow
def test_opening_waits_while_another_program_holds_a_new_file(tmp_path: Path) -> None:
    # Switching a new file to WAL needs it to itself; SQLite answers "locked" at once (no busy wait) while
    # another program writes to it, as when two workstations start on a new database together (the other one
    # creating the schema, Alembic's version table first; another program's tables are refused, issue 16).
    path = tmp_path / "db.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    release = threading.Timer(0.3, other.commit)
    release.start()
    try:
        with Store.open(f"sqlite:///{path}") as store, store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        release.join()
        other.close()


def _sealed_with_signatures(store: Store) -> str:
    """A sealed preparation, prepared and verified (two signatures), its record kept in the trail."""
    tech = add_user(store, "tina", "Tina Tech")
    pharmacist = add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)
    prep = fill_everything(new_prep())
    store.start_preparation(prep, tech, WORKSTATION)
    store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY))
    store.seal_preparation(prep, pharmacist, WORKSTATION, record_id="REC-1", record_sha256="a" * 64, canonical="{}")
    return prep.id


SIGNATURE_COLUMNS = "id, preparation_id, meaning, username, signed_at, content_sha256, subject, reason"


@pytest.mark.slow
def test_upgrading_from_0003_keeps_a_sealed_preparation_and_its_signatures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        prep_id = _sealed_with_signatures(store)
        signed = store.signatures(prep_id)
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh-0003.sqlite3'}")
    with fresh.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    schema_0003 = MetaData()
    schema_0003.reflect(fresh)
    with engine.connect() as conn:  # the database is as 0003 made it, with its rows
        assert current_revision(conn) == "0003"
        assert compare_metadata(MigrationContext.configure(conn), schema_0003) == []
        rows_0003 = conn.execute(text(f"SELECT {SIGNATURE_COLUMNS} FROM signatures ORDER BY id")).all()
        assert len(rows_0003) == 2
    engine.dispose()
    fresh.dispose()

    with Store.open(url) as store, store.engine.connect() as conn:  # as the program opens it: upgraded to the head
        assert current_revision(conn) == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        rows = conn.execute(text(f"SELECT {SIGNATURE_COLUMNS}, amendment FROM signatures ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(*r, 0) for r in rows_0003]
        # the same signatures; the person behind each (0008's employee number) was dropped going back before revision 0008
        assert store.signatures(prep_id) == [replace(s, person="") for s in signed]
        assert store.summary(prep_id).status.value == "sealed"
        assert (store.summary(prep_id).amendments, store.summary(prep_id).correcting) == (0, False)
        # the signatures' append-only triggers survived SQLite's copy of the table
        triggers = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        assert {"signatures_no_update", "signatures_no_delete", "amendments_sealed_never_change"} <= triggers
        for sql, refusal in (
            ("UPDATE signatures SET reason = 'x'", "signatures are append-only: never updated"),
            ("DELETE FROM signatures", "signatures are append-only: never deleted"),
        ):
            with pytest.raises(IntegrityError, match=refusal):
                conn.execute(text(sql))
            conn.rollback()
        assert store.verify_audit_chain().intact

        # and the stored record can be corrected now
        tina = store.users.get("tina")
        assert tina is not None
        fixed, changes = corrected(store.load(prep_id), name="Jon Smith")
        draft = store.start_amendment(
            fixed,
            reason="Name misspelt",
            changes=changes,
            amends_record_id="REC-1",
            amends_sha256="a" * 64,
            user=tina,
            workstation=WORKSTATION,
        )
        store.add_signature(prep_id, _signature(tina, Meaning.AMENDED_BY), amendment=draft.number)

    engine = create_engine(url)
    with engine.begin() as conn, pytest.raises(RuntimeError, match="holds corrections"):
        command.downgrade(alembic_config(conn), "0003")
    engine.dispose()


def test_0008_keeps_accounts_and_gives_them_no_number(tmp_path: Path) -> None:
    """Accounts made before 0008 keep everything and have no employee number (a pharmacist sets it before they can
    sign); numbers are unique, NULLs may repeat."""
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004")
        for name in ("old1", "old2"):
            conn.execute(
                text(
                    "INSERT INTO users (username, full_name, role, active, password_hash, password_changed_at, "
                    "failed_attempts, created_at, created_by) VALUES (:u, :u, 'pharmacist', 1, 'x', "
                    "'2026-01-01 00:00:00.000000', 0, '2026-01-01 00:00:00.000000', 'cli:root')"
                ),
                {"u": name},
            )
        command.upgrade(alembic_config(conn), "head")
        rows = conn.execute(
            text("SELECT username, employee_number, must_change_password, password_history FROM users ORDER BY 1")
        ).all()
        assert [tuple(r) for r in rows] == [("old1", None, 0, "[]"), ("old2", None, 0, "[]")]
        conn.execute(text("UPDATE users SET employee_number = 'E1' WHERE username = 'old1'"))
        with pytest.raises(IntegrityError):
            conn.execute(text("UPDATE users SET employee_number = 'E1' WHERE username = 'old2'"))
    engine.dispose()


@pytest.mark.slow
def test_partial_indexes_carry_the_same_predicate_on_postgresql_without_loading_it_for_sqlite(tmp_path: Path) -> None:
    """The one-dose and one-carton guards' predicates: SQLite's named in the schema; PostgreSQL's, the same, added
    when a PostgreSQL engine is made (``schema.for_postgresql``), so that a SQLite workstation does not load
    SQLAlchemy's PostgreSQL dialect at its start."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    Store.open(url).close()  # made and migrated here (the migrations name both predicates); then opened as at a start
    code = (
        "import sys\n"
        "from hemgenix_desktop.storage import Store\n"
        f"Store.open({url!r}).close()\n"
        "print('sqlalchemy.dialects.postgresql' in sys.modules)\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == "False"

    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from hemgenix_desktop.storage.schema import for_postgresql

    for_postgresql()
    for_postgresql()  # again: nothing changes
    partial = {
        index.name: str(CreateIndex(index).compile(dialect=sqlite.dialect()))
        for table in metadata.tables.values()
        for index in table.indexes
        if index.dialect_options["sqlite"]["where"] is not None
    }
    assert set(partial) == {
        "uq_preparations_one_per_patient",
        "uq_preparations_one_per_carton",
        "uq_amendments_one_draft_per_preparation",
        "uq_amendments_one_per_record",
    }
    for table in metadata.tables.values():
        for index in table.indexes:
            if index.name in partial:
                on_postgresql = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
                assert " WHERE " in on_postgresql
                assert on_postgresql == partial[index.name]
