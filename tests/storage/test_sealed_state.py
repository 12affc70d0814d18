"""Sealed state never changes, and no status changes without its audit event (issue 15, migration 0007).

Each attack is one SQL statement run as someone with the database file (SQLite, through Python's own ``sqlite3``
with none of the program's settings) or the database role (PostgreSQL) would run it, outside Hemgenix Prep: the
database itself refuses it and nothing changes. The program's own paths (void a draft, sign, seal, correct) still
work, because they write the audit event first, in the same transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import PreparationStatus, Role
from hemgenix_desktop.storage import Store
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import WORKSTATION, add_user, leave_signed_not_sealed, open_store_file
from tests.storage.test_amendments import FIRST, FIRST_SHA, seal, sign_and_seal, start
from tests.storage.test_store import _signature

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")

# The attacks: (what, SQL). {sealed}: a sealed preparation; {draft}: a draft; {signed}: a signed one;
# {amended}: the id of a sealed amendment; {drafting}: a draft amendment (of {sealed2}).
ATTACKS: list[tuple[str, str]] = [
    ("void a sealed preparation", "UPDATE preparations SET status='voided', void_reason='x' WHERE id='{sealed}'"),
    ("void every preparation", "UPDATE preparations SET status='voided', void_reason='x'"),
    ("unseal a sealed preparation", "UPDATE preparations SET status='draft' WHERE id='{sealed}'"),
    ("change a sealed patient", "UPDATE preparations SET patient_identifier='OTHER' WHERE id='{sealed}'"),
    ("free a sealed carton", "UPDATE preparations SET carton_serial='FREED' WHERE id='{sealed}'"),
    ("delete a sealed preparation", "DELETE FROM preparations WHERE id='{sealed}'"),
    ("void a draft without its event", "UPDATE preparations SET status='voided', void_reason='x' WHERE id='{draft}'"),
    ("seal a signed one without its event", "UPDATE preparations SET status='sealed' WHERE id='{signed}'"),
    ("delete a draft", "DELETE FROM preparations WHERE id='{draft}'"),
    ("delete every signature", "DELETE FROM signatures"),
    ("change a signer", "UPDATE signatures SET username='tina' WHERE preparation_id='{sealed}'"),
    (
        "add a signature to a sealed record",
        "INSERT INTO signatures (preparation_id, meaning, username, full_name, role, signed_at, local_time, "
        "time_zone, workstation, content_sha256, subject, reason, amendment) SELECT preparation_id, meaning, "
        "username, full_name, role, signed_at, local_time, time_zone, workstation, 'f', subject, reason, amendment "
        "FROM signatures WHERE preparation_id='{sealed}' AND amendment=0",
    ),
    ("change a sealed amendment", "UPDATE amendments SET reason='rewritten' WHERE id='{amended}'"),
    ("void a sealed amendment", "UPDATE amendments SET status='voided', void_reason='x' WHERE id='{amended}'"),
    ("delete an amendment", "DELETE FROM amendments WHERE id='{amended}'"),
    (
        "seal a correction without its event",
        "UPDATE amendments SET status='sealed', record_id='R', record_sha256='s' WHERE id='{drafting}'",
    ),
    (
        "discard a correction without its event",
        "UPDATE amendments SET status='voided', void_reason='x' WHERE id='{drafting}'",
    ),
]


@dataclass(frozen=True)
class Scene:
    ids: dict[str, str]
    run: Callable[[str], None]  # runs one statement outside the program, committing it; raises when refused
    rows: Callable[[], list[tuple[object, ...]]]  # every row of the attacked tables, to prove nothing changed


def _make_scene(store: Store) -> dict[str, str]:
    tech = add_user(store, "tina", "Tina Tech")
    pharmacist = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
    sealed = seal(store, tech, pharmacist, identifier="PSI-0001", serial="SER-0001")
    amended = start(store, sealed, tech)
    sign_and_seal(store, sealed.id, amended.number, amended.id, tech, pharmacist, FIRST, FIRST_SHA)
    sealed2 = seal(
        store, tech, pharmacist, identifier="PSI-0002", serial="SER-0002", record_id="REC-2", sha256="d" * 64
    )
    drafting = start(store, sealed2, tech, record_id="REC-2", sha256="d" * 64)
    draft = fill_everything(new_prep("PSI-0003"), serial="SER-0003")
    store.start_preparation(draft, tech, WORKSTATION)
    signed = fill_everything(new_prep("PSI-0004"), serial="SER-0004")
    store.start_preparation(signed, tech, WORKSTATION)
    store.add_signature(signed.id, _signature(tech, Meaning.PREPARED_BY))
    leave_signed_not_sealed(store, signed, tech, WORKSTATION)
    return {
        "sealed": sealed.id,
        "amended": amended.id,
        "drafting": drafting.id,
        "draft": draft.id,
        "signed": signed.id,
        "sealed2": sealed2.id,
    }


SNAPSHOT = (
    "SELECT 'p', id, status, patient_identifier, carton_serial, void_reason FROM preparations UNION ALL "
    "SELECT 's', CAST(id AS TEXT), preparation_id, username, content_sha256, CAST(amendment AS TEXT) FROM signatures "
    "UNION ALL SELECT 'a', id, status, reason, record_id, void_reason FROM amendments"
)


@pytest.fixture
def sqlite_scene(tmp_path: Path) -> Scene:
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        ids = _make_scene(store)

    def run(sql: str) -> None:
        conn = sqlite3.connect(path)  # the attacker's own connection: no foreign keys, none of the program's pragmas
        try:
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()

    def rows() -> list[tuple[object, ...]]:
        conn = sqlite3.connect(path)
        try:
            return sorted((tuple(r) for r in conn.execute(SNAPSHOT)), key=repr)
        finally:
            conn.close()

    return Scene(ids, run, rows)


@pytest.fixture
def pg_scene() -> Iterator[Scene]:
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    if "test" not in (make_url(PG_URL).database or ""):
        pytest.fail("HEMGENIX_TEST_POSTGRES_URL must name a throwaway database whose name contains “test”.")
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    with Store.open(PG_URL) as store:
        ids = _make_scene(store)
    engine = create_engine(PG_URL)

    def run(sql: str) -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)

    def rows() -> list[tuple[object, ...]]:
        with engine.connect() as conn:
            return sorted((tuple(r) for r in conn.exec_driver_sql(SNAPSHOT)), key=repr)

    yield Scene(ids, run, rows)
    engine.dispose()


def _refused(scene: Scene, sql: str) -> str:
    before = scene.rows()
    with pytest.raises((sqlite3.DatabaseError, DBAPIError)) as refused:
        scene.run(sql.format(**scene.ids))
    assert scene.rows() == before, "the refused statement changed something"
    return str(refused.value)


@pytest.mark.parametrize(("what", "sql"), ATTACKS, ids=[what for what, _ in ATTACKS])
def test_each_attack_is_refused_by_the_sqlite_file_itself(sqlite_scene: Scene, what: str, sql: str) -> None:
    _refused(sqlite_scene, sql)


@pytest.mark.parametrize(("what", "sql"), ATTACKS, ids=[what for what, _ in ATTACKS])
def test_each_attack_is_refused_by_postgresql_itself(pg_scene: Scene, what: str, sql: str) -> None:
    _refused(pg_scene, sql)


def test_the_refusal_says_why(sqlite_scene: Scene) -> None:
    assert "a sealed preparation never changes" in _refused(sqlite_scene, ATTACKS[3][1])
    assert "a status changes only with its audit event" in _refused(sqlite_scene, ATTACKS[6][1])
    assert "a signature is added only to a record being made" in _refused(sqlite_scene, ATTACKS[11][1])


def test_the_programs_own_void_works_and_its_event_licenses_no_other_change(tmp_path: Path) -> None:
    """Voiding through the program writes its event, then the status, in one transaction; that event (the chain's
    newest) lets no other preparation's status change afterwards."""
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        ids = _make_scene(store)
        pharmacist = store.users.get("phil")
        assert pharmacist is not None
        store.void(ids["draft"], "Order cancelled", pharmacist, WORKSTATION)
        assert store.summary(ids["draft"]).status is PreparationStatus.VOIDED
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="a status changes only with its audit event"):
            conn.execute(f"UPDATE preparations SET status='voided', void_reason='x' WHERE id='{ids['signed']}'")
        with pytest.raises(sqlite3.DatabaseError, match="a status changes only with its audit event"):
            conn.execute(f"UPDATE preparations SET status='draft' WHERE id='{ids['draft']}'")
    finally:
        conn.close()
