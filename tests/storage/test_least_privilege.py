"""PostgreSQL with least privilege (issue 15): the owner migrates, the program runs as an app role that cannot
change audit events, signatures or sealed rows, nor drop or disable the triggers.

Runs when HEMGENIX_TEST_POSTGRES_URL names a throwaway database and the server has the role ``<user>_app`` with
the same password (scripts/test-postgres.sh makes both; CI runs it).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.vocabulary import PreparationStatus, Role
from hemgenix_desktop.storage import Store
from tests.helpers.store import add_user
from tests.storage.test_amendments import seal

URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")

ATTACKS = [
    ("UPDATE audit_events SET summary = 'x'", "permission denied"),
    ("DELETE FROM audit_events", "permission denied"),
    ("UPDATE signatures SET reason = 'x'", "permission denied"),
    ("DELETE FROM signatures", "permission denied"),
    ("UPDATE approvals SET reason = 'x'", "permission denied"),
    ("DELETE FROM approvals", "permission denied"),
    ("DROP TRIGGER preparations_sealed_state ON preparations", "must be owner"),
    ("ALTER TABLE preparations DISABLE TRIGGER USER", "must be owner"),
    ("ALTER TABLE audit_events DISABLE TRIGGER USER", "must be owner"),
    ("UPDATE preparations SET status = 'voided', void_reason = 'x'", "a sealed preparation never changes"),
    ("DELETE FROM preparations", "permission denied"),
    ("TRUNCATE audit_events CASCADE", "permission denied"),
]


@pytest.fixture
def urls() -> tuple[str, str]:
    if not URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from tests.storage.test_postgresql import _empty

    owner = make_url(URL)
    if "test" not in (owner.database or ""):
        pytest.fail("HEMGENIX_TEST_POSTGRES_URL must name a throwaway database whose name contains “test”.")
    app = owner.set(username=f"{owner.username}_app").render_as_string(hide_password=False)
    probe = create_engine(app)
    try:
        with probe.connect():
            pass
    except OperationalError:
        pytest.skip(f"the server has no role {owner.username}_app (scripts/test-postgres.sh makes it)")
    finally:
        probe.dispose()
    _empty(URL)
    return URL, app


def test_the_app_role_works_as_the_program_does_and_cannot_undo_the_guards(
    urls: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    owner_url, app_url = urls
    Store.open(owner_url).close()  # the owner migrates
    role = make_url(app_url).username
    assert main(["database", "grant-app-role", str(role), "--db", owner_url]) == 0
    assert capsys.readouterr().out.startswith(f"The role {role} may now use this database as Hemgenix Prep does")

    with Store.open(app_url) as store:  # the program, as the app role: start, sign, seal
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
        sealed = seal(store, tech, pharmacist)
        assert store.summary(sealed.id).status is PreparationStatus.SEALED
        assert store.audit.verify_trail_and_state()[1] == []

    engine = create_engine(app_url)
    try:
        for sql, refusal in ATTACKS:
            with engine.begin() as conn, pytest.raises(DBAPIError, match=refusal):
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()
    assert main(["audit", "verify", "--db", app_url]) == 0


def test_roles_are_postgresql_s(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["database", "grant-app-role", "app", "--db", f"sqlite:///{tmp_path}/h.sqlite3"]) == 2
    assert capsys.readouterr().err.startswith("Database roles are PostgreSQL's")
