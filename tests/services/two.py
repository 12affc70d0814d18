"""Two workstations, each with its own Store, on one database: a SQLite file, and PostgreSQL (in a schema of its
own) when ``HEMGENIX_TEST_POSTGRES_URL`` is set. For the seal race and the stale draft (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hemgenix_desktop.security.site_keys import ensure_site_certificate
from hemgenix_desktop.storage import Store
from tests.helpers.people import add_people
from tests.helpers.preparations import WORKSTATION
from tests.services.bench import Bench, workstation
from tests.storage.test_postgresql import URL as PG_URL

DATABASES = ("sqlite", "postgresql")  # each two-workstation test runs on both

OTHER_WORKSTATION = "PHARM-WS-2"
PG_SCHEMA_PREFIX = "hemgenix_race_"  # test_postgresql.py's emptying drops these too


def drop_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def own_schema(url: str, schema: str) -> str:
    """The throwaway PostgreSQL database's URL, working in a schema of its own made anew (emptying only it, so
    other tests on the same server keep theirs)."""
    assert schema.startswith(PG_SCHEMA_PREFIX)
    assert schema.isidentifier()
    drop_schema(url, schema)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return str(
        make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )


@dataclass
class Two:
    schema: str | None  # PostgreSQL's schema of the two (dropped after the test), None on SQLite
    a: Bench  # the faster workstation (WORKSTATION)
    b: Bench  # the slower one (OTHER_WORKSTATION), its own Store on the same database


def _bench(store: Store, users: dict[str, Any], folder: Path, name: str) -> Bench:
    ws = workstation(store, folder)
    ws.workstation = name
    return Bench(store, users, ws, folder)


def open_two(kind: str, tmp_path: Path, name: str) -> Two:
    """Workstation A and B (``OTHER_WORKSTATION``) on one database (``kind`` "sqlite" or "postgresql", then in
    the schema ``hemgenix_<name>``), with the people of tests/helpers/people.py; close both stores after."""
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    else:
        if not PG_URL:
            pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one)")
        schema = f"{PG_SCHEMA_PREFIX}{name}"
        url = own_schema(PG_URL, schema)
    first = Store.open(url)
    users = add_people(first, workstation=WORKSTATION)
    second = Store.open(url)
    other = {name: second.users.get(name) for name in users}
    a = _bench(first, users, tmp_path / "a", WORKSTATION)
    b = _bench(second, other, tmp_path / "b", OTHER_WORKSTATION)
    ensure_site_certificate(a.ws.data_dir, a.ws.site)  # one site: one certificate, as a shared data folder holds
    b.ws.data_dir = a.ws.data_dir
    return Two(schema, a, b)


def close_two(two: Two) -> None:
    two.a.store.close()
    two.b.store.close()
    if two.schema is not None:
        drop_schema(PG_URL, two.schema)
