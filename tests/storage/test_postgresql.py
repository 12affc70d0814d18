"""The same schema, guards and audit chain on PostgreSQL (several workstations on one server).

These run when HEMGENIX_TEST_POSTGRES_URL names a database they may empty, for example
``postgresql+psycopg://postgres@127.0.0.1:5433/hemgenix`` (and a driver such as psycopg is installed).
"""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, PatientAlreadyHasPreparation
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.schema import metadata
from tests.storage.helpers import WORKSTATION, FakeClock, add_user, carton, fill_everything, new_prep
from tests.storage.test_concurrency import _check_one_winner_per_round, _race

URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(not URL, reason="set HEMGENIX_TEST_POSTGRES_URL to test on PostgreSQL")


@pytest.fixture
def pg_url() -> str:
    engine = create_engine(URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text("DROP FUNCTION IF EXISTS hemgenix_append_only, hemgenix_audit_head_one_step"))
    engine.dispose()
    return URL


def test_migration_guards_and_chain_on_postgresql(pg_url: str) -> None:
    clock = FakeClock()
    with Store.open(pg_url, clock=clock) as store:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        tech = add_user(store, "tina", "Tina Tech")
        prep = new_prep()
        store.start_preparation(prep, tech, WORKSTATION)
        fill_everything(prep, serial="SER-PG")
        store.save_draft(prep, "checks", tech, WORKSTATION)
        assert store.load(prep.id).to_dict() == prep.to_dict() | {"step": "checks"}

        with pytest.raises(PatientAlreadyHasPreparation, match=f"already has preparation {prep.id[:8]}"):
            store.start_preparation(new_prep(" psi-0001"), tech, WORKSTATION)
        other = new_prep("PSI-OTHER")
        store.start_preparation(other, tech, WORKSTATION)
        other.carton = carton("SER-PG")
        with pytest.raises(CartonAlreadyUsed, match=f"already used by preparation {prep.id[:8]}"):
            store.save_draft(other, "carton", tech, WORKSTATION)
        assert [r.patient_identifier for r in store.search(identifier="psi-0001")] == ["PSI-0001"]

        assert store.verify_audit_chain().intact
        with store.engine.begin() as conn, pytest.raises(DBAPIError, match="append-only: never update"):
            conn.execute(text("UPDATE audit_events SET summary = 'x' WHERE seq = 2"))
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
            conn.execute(text("UPDATE audit_events SET summary = 'x' WHERE seq = 2"))
        assert store.verify_audit_chain().first_broken == 2


@pytest.mark.slow
def test_two_processes_racing_on_postgresql(pg_url: str) -> None:
    Store.open(pg_url).close()
    outcomes = _race(pg_url, "patient")
    _check_one_winner_per_round(outcomes, pg_url)
