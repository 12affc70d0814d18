"""A second pharmacist's approval is an electronic signature of its own (issue 14): a row carrying the printed
name, username, employee number, role, meaning, UTC time, workstation and the event it approved; never updated or
deleted, added only with its event; shown by ``audit show``. On SQLite, and on PostgreSQL when
HEMGENIX_TEST_POSTGRES_URL names a throwaway database."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.vocabulary import AuditAction, Role
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.approvals import Approval
from tests.helpers.store import WORKSTATION, add_user, open_store_file

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "hemgenix.sqlite3"
        open_store_file(path).close()
        yield f"sqlite:///{path}"
        return
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    yield PG_URL


def _approved_reset(url: str) -> int:
    """Phil resets Tina's password; Quin approves with a reason. Returns the reset event's number."""
    with Store.open(url) as store:
        add_user(store, "tina", "Tina Tech")
        phil = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
        quin = add_user(store, "quin", "Quin Pharm", Role.PHARMACIST)
        store.users.set_password_hash(
            "tina", "$argon2id$new", phil, WORKSTATION, one_time=True, approval=Approval(quin, "forgot it")
        )
        return store.audit_trail()[-1].seq


def test_an_approval_is_stored_as_a_signature_naming_its_event(url: str) -> None:
    seq = _approved_reset(url)
    with Store.open(url) as store:
        event = store.audit_trail()[-1]
        signature = store.audit.approvals()[seq]
        assert main(["audit", "verify", "--db", url]) == 0
    assert event.action == AuditAction.PASSWORD_RESET
    assert event.after["approved_by"] == "quin"
    assert event.after["approver_employee_number"] == "E-QUIN"
    assert (signature.event_seq, signature.event_hash, signature.action) == (seq, event.hash, event.action)
    assert (signature.meaning, signature.full_name, signature.username) == ("Approved by", "Quin Pharm", "quin")
    assert (signature.employee_number, signature.role, signature.reason) == ("E-QUIN", "pharmacist", "forgot it")
    assert (signature.signed_at, signature.workstation) == (event.at, event.workstation)
    assert signature.signed_at.utcoffset() is not None
    assert not signature.signed_at.utcoffset()


def test_audit_show_prints_the_approval_beside_its_event(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seq = _approved_reset(url)
    capsys.readouterr()
    assert main(["audit", "show", "--db", url]) == 0
    shown = capsys.readouterr().out
    assert "    signature: Approved by Quin Pharm (quin, employee no. E-QUIN), pharmacist, " in shown
    assert f"; reason: forgot it; signs event #{seq} (password_reset, SHA-256 " in shown
    assert main(["audit", "show", "--json", "--db", url]) == 0
    events = json.loads(capsys.readouterr().out)
    approval = next(e["approval"] for e in events if e["seq"] == seq)
    assert (approval["username"], approval["employee_number"], approval["meaning"]) == ("quin", "E-QUIN", "Approved by")
    assert all("approval" not in e for e in events if e["seq"] != seq)


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE approvals SET username = 'phil'", "never updated or deleted"),
        ("DELETE FROM approvals", "never updated or deleted"),
        (  # a second approval slipped in beside an older event
            "INSERT INTO approvals (event_seq, event_hash, action, meaning, username, full_name, employee_number, role, "
            "signed_at, workstation, reason) SELECT seq, hash, action, 'Approved by', 'phil', 'Phil Pharm', 'E-PHIL', "
            "'pharmacist', at, workstation, '' FROM audit_events WHERE seq = 1",
            "added only with its audit event",
        ),
    ],
    ids=["update", "delete", "insert-beside-an-old-event"],
)
def test_the_database_refuses_to_change_an_approval(url: str, statement: str, refusal: str) -> None:
    _approved_reset(url)
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError, match=refusal), engine.begin() as conn:
            conn.execute(text(statement))
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT username FROM approvals")).scalars().all()
    finally:
        engine.dispose()
    assert rows == ["quin"]
