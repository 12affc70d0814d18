"""The first look at the database (storage.glance): an answer only when the database will open as it is."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.engine import parse_url, sqlite_file
from hemgenix_desktop.storage.glance import Glance, glance, plain_sqlite_file
from hemgenix_desktop.storage.values import HEAD_REVISION
from tests.helpers.store import add_user


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def migrated(tmp_path: Path) -> Path:
    path = tmp_path / "hemgenix.sqlite3"
    Store.open(url_of(path)).close()
    return path


def test_an_up_to_date_database_without_accounts(migrated: Path) -> None:
    assert glance(url_of(migrated)) == Glance(has_users=False)


def test_an_up_to_date_database_with_an_account(migrated: Path) -> None:
    with Store.open(url_of(migrated)) as store:
        add_user(store, "ttech", "Tara Technician")
    assert glance(url_of(migrated)) == Glance(has_users=True)


def test_the_look_changes_nothing(migrated: Path) -> None:
    before = migrated.read_bytes()
    glance(url_of(migrated))
    assert migrated.read_bytes() == before
    assert sorted(p.name for p in migrated.parent.iterdir()) == [migrated.name]


def test_a_new_file_is_left_to_the_store_which_creates_and_migrates_it(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    assert glance(url_of(path)) is None
    assert not path.exists()


@pytest.mark.parametrize("revision", ["0000", "9999", None])
def test_a_database_at_another_revision_is_left_to_the_migrations(migrated: Path, revision: str | None) -> None:
    assert revision != HEAD_REVISION
    with sqlite3.connect(migrated) as connection:
        connection.execute("DELETE FROM alembic_version")
        if revision is not None:
            connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    connection.close()
    assert glance(url_of(migrated)) is None


def test_a_damaged_or_foreign_file_is_left_to_the_store(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database " * 500)
    assert glance(url_of(damaged)) is None
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE something (x)")
    connection.close()
    assert glance(url_of(foreign)) is None
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert glance(url_of(empty)) is None


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root may write any file")
def test_a_read_only_file_is_left_to_the_store(migrated: Path) -> None:
    migrated.chmod(0o400)
    try:
        assert glance(url_of(migrated)) is None
    finally:
        migrated.chmod(0o600)


def test_a_database_another_program_is_writing_is_left_to_the_store(migrated: Path) -> None:
    """A write lock held by another program this instant: no waiting here, the store waits its busy timeout."""
    with sqlite3.connect(migrated) as writer:
        writer.execute("PRAGMA journal_mode = DELETE")
        writer.execute("BEGIN EXCLUSIVE")
        try:
            assert glance(url_of(migrated)) is None
        finally:
            writer.rollback()
    writer.close()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://user@host/hemgenix",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:hemgenix?mode=memory&uri=true",
        "sqlite:////tmp/hemgenix.sqlite3?timeout=5",
        "sqlite:////tmp/hemgen%69x.sqlite3",
        "not a url",
    ],
)
def test_urls_it_does_not_read_are_left_to_the_store(url: str) -> None:
    assert plain_sqlite_file(url) is None
    assert glance(url) is None


@pytest.mark.parametrize(
    "url", ["sqlite:////srv/hemgenix/hemgenix-prep.sqlite3", "sqlite:///relative/db.sqlite3", "sqlite:///~/db.sqlite3"]
)
def test_the_file_it_reads_is_the_file_the_engine_opens(url: str) -> None:
    assert plain_sqlite_file(url) == sqlite_file(parse_url(url))


def test_the_look_loads_no_database_library() -> None:
    code = (
        "import sys; from hemgenix_desktop.storage.glance import glance; glance('sqlite:////nonexistent/x.db'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
