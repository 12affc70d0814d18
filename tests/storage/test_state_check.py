"""``audit verify`` checks the tables against the trail, the event times, and the database file (issue 15).

Each attack is made as someone with the database file would make it: every trigger dropped (SQLite) or disabled
(PostgreSQL), then one statement. The chain still verifies (no event was touched), and ``hemgenix-prep audit
verify`` exits 1 with a sentence naming the row and the event that disagree.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import AuditAction, Role
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.approvals import Approval
from hemgenix_desktop.storage.state_check import StateReplay, _text
from tests.helpers.preparations import new_prep
from tests.helpers.store import WORKSTATION, FakeClock, add_user, cheap_passwords, open_store_file
from tests.storage.test_amendments import FIRST, FIRST_SHA, seal, sign_and_seal, start

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")
TABLES = ("users", "preparations", "signatures", "amendments", "audit_events", "audit_head", "approvals")

# (what, SQL with {sealed} {amended} {draft}, a piece of the sentence that must name it)
ATTACKS: list[tuple[str, str, str]] = [
    (
        "a technician promoted",
        "UPDATE users SET role='pharmacist' WHERE username='tina'",
        "The account tina has role “pharmacist”, but the audit trail says “technician” (event 1 (user_added by",
    ),
    (
        "a password hash replaced",
        "UPDATE users SET password_hash='$argon2id$forged' WHERE username='phil'",
        "The password hash of the account phil is not the one the audit trail last set (event 2 (user_added",
    ),
    (
        "a disabled account enabled",
        "UPDATE users SET active=TRUE WHERE username='olga'",
        "The account olga has active “True”, but the audit trail says “False” (event 4 (user_disabled",
    ),
    (
        "an account added",
        "INSERT INTO users (username, full_name, role, active, password_hash, password_changed_at, failed_attempts, "
        "created_at, created_by) SELECT 'mallory', 'Mal Lory', 'pharmacist', TRUE, password_hash, password_changed_at, "
        "0, created_at, 'tina' FROM users WHERE username='tina'",
        "The account mallory (pharmacist) is in the users table, but no event of the audit trail added it",
    ),
    (
        "a one-time password made the person's own",
        "UPDATE users SET must_change_password=FALSE WHERE username='terry'",
        "The account terry has must_change_password “False”, but the audit trail says “True” (event 20 (password_reset",
    ),
    (
        "a password's age set forward",
        "UPDATE users SET password_changed_at='2099-01-01 00:00:00.000000' WHERE username='terry'",
        "The account terry has password_changed_at “2099-01-01 00:00:00.000000”, but the audit trail says “",
    ),
    (
        "a password history emptied",
        "UPDATE users SET password_history='[]' WHERE username='terry'",
        "The password history of the account terry is not the one the audit trail last set (event 20 (password_reset",
    ),
    (
        "a lockout lifted",
        "UPDATE users SET failed_attempts=0, locked_until=NULL WHERE username='ttech'",
        "The account ttech has locked_until “(none)”, but the audit trail says “",
    ),
    (
        "failed attempts forgotten",
        "UPDATE users SET failed_attempts=0 WHERE username='ttech'",
        "The account ttech has failed_attempts “0”, but the audit trail says “2” (event 23 (sign_in_failed",
    ),
    (
        "a sealed preparation voided",
        "UPDATE preparations SET status='voided', void_reason='x' WHERE id='{sealed}'",
        "is voided in its row, but the audit trail says sealed (event",
    ),
    (
        "a sealed patient changed",
        "UPDATE preparations SET patient_identifier='someone' WHERE id='{sealed}'",
        "has patient_identifier “someone” in its row, but its sealed record says “psi-0001”",
    ),
    (
        "a sealed carton changed",
        "UPDATE preparations SET carton_serial='FREE' WHERE id='{sealed}'",
        "has carton_serial “FREE” in its row, but its sealed record says “SER-0001”",
    ),
    (
        "a sealed carton emptied (NULL)",
        "UPDATE preparations SET carton_gtin=NULL, carton_serial=NULL WHERE id='{sealed}'",
        "has carton_serial “(none)” in its row, but its sealed record says “SER-0001”",
    ),
    (
        "a sealed patient's name changed",
        "UPDATE preparations SET patient_name='Zed Zulu', patient_mrn='MRN-XXXX', "
        "patient_date_of_birth='1999-09-09' WHERE id='{sealed}'",
        "has patient_name “Zed Zulu” in its row, but its sealed record says “",
    ),
    (
        "a sealed patient's date of birth changed",
        "UPDATE preparations SET patient_date_of_birth='1999-09-09' WHERE id='{sealed}'",
        "has patient_date_of_birth “1999-09-09” in its row, but its sealed record says “",
    ),
    (
        "a sealed patient's MRN changed",
        "UPDATE preparations SET patient_mrn='MRN-XXXX' WHERE id='{sealed}'",
        "has patient_mrn “MRN-XXXX” in its row, but its sealed record says “",
    ),
    (
        "a signer's name, role, time and workstation forged",
        "UPDATE signatures SET full_name='Pat Pharmacist', role='pharmacist', signed_at='2026-01-01 00:00:00.000000', "
        "workstation='PHARM-WS-09' WHERE meaning='Prepared by' AND amendment=0",
        "has full_name “Pat Pharmacist”, but its signature_added event says “Tina Tech” (event",
    ),
    (
        "a signature's time forged",
        "UPDATE signatures SET signed_at='2026-01-01 00:00:00.000000' WHERE meaning='Prepared by' AND amendment=0",
        "has signed_at “2026-01-01 00:00:00+00:00”, but its signature_added event says “",
    ),
    (
        "a signature's local time, zone and reason forged",
        "UPDATE signatures SET local_time='2026-01-01T00:00:00+00:00', time_zone='UTC', reason='forged' "
        "WHERE meaning='Prepared by' AND amendment=0",
        "has reason “forged”, but its signature_added event says “” (event",
    ),
    (
        "an approver's name, number, meaning, reason, time and workstation forged",
        "UPDATE approvals SET full_name='Pat Pharmacist', employee_number='E-FORGED', meaning='Verified by', "
        "reason='none', signed_at='2026-01-01 00:00:00.000000', workstation='PHARM-WS-09'",
        "has full_name “Pat Pharmacist”, but the event it approves says “Quin Pharm” (event",
    ),
    (
        "an approval's time forged",
        "UPDATE approvals SET signed_at='2026-01-01 00:00:00.000000'",
        "has signed_at “2026-01-01 00:00:00",
    ),
    (
        "an approver's employee number forged",
        "UPDATE approvals SET employee_number='E-FORGED'",
        "has employee_number “E-FORGED”, but the event it approves says “",
    ),
    (
        "every signature deleted",
        "DELETE FROM signatures",
        "The signature “Prepared by” of tina on preparation",
    ),
    (
        "a signer changed",
        "UPDATE signatures SET username='phil' WHERE meaning='Prepared by' AND amendment=0",
        "has no signature_added event in the audit trail: it was added or changed outside Hemgenix Prep",
    ),
    (
        "a sealed amendment changed",
        "UPDATE amendments SET record_id='REC-FORGED' WHERE id='{amended}'",
        "is sealed (record REC-FORGED) in its row, but the audit trail says sealed (record REC-AMENDMENT-1)",
    ),
    (
        "a draft voided without its event",
        "UPDATE preparations SET status='voided', void_reason='x' WHERE id='{draft}'",
        "is voided in its row, but the audit trail says draft (event",
    ),
    (
        "an approval deleted",
        "DELETE FROM approvals",
        "The approval by quin of event",
    ),
    (
        "an approver changed",
        "UPDATE approvals SET username='phil'",
        "(“Approved by”, phil, of event",
    ),
]


def _scene(store: Store) -> dict[str, str]:
    tech = add_user(store, "tina", "Tina Tech")
    pharmacist = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
    add_user(store, "olga", "Olga Off")
    store.users.set_active("olga", False, pharmacist, WORKSTATION)
    sealed = seal(store, tech, pharmacist)
    amended = start(store, sealed, tech)
    sign_and_seal(store, sealed.id, amended.number, amended.id, tech, pharmacist, FIRST, FIRST_SHA)
    draft = new_prep("PSI-0002")
    store.start_preparation(draft, tech, WORKSTATION)
    quin = add_user(store, "quin", "Quin Pharm", Role.PHARMACIST)  # a second pharmacist approves (issue 14)
    store.users.set_employee_number("tina", "E-TINA-2", pharmacist, WORKSTATION, approval=Approval(quin, "typo"))
    add_user(store, "terry", "Terry Tech")  # a reset's one-time password, with one password kept in the history
    store.users.set_password_hash(
        "terry", cheap_passwords().hash("one-time"), pharmacist, WORKSTATION, one_time=True, keep=5
    )
    add_user(store, "ttech", "Theo Tech")  # locked out after two wrong passwords
    for _ in range(2):
        store.users.record_sign_in_failure("ttech", WORKSTATION, "sign_in", max_failures=2, lock_for=timedelta(hours=1))
    return {"sealed": sealed.id, "amended": amended.id, "draft": draft.id}


Attack = Callable[[str], None]


@pytest.fixture(params=["sqlite", "postgresql"])
def scene(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Attack]]:
    if request.param == "sqlite":
        path = tmp_path / "hemgenix.sqlite3"
        with open_store_file(path) as store:
            ids = _scene(store)

        def attack(sql: str) -> None:
            conn = sqlite3.connect(path)
            try:
                triggers = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
                for name in triggers:
                    conn.execute(f"DROP TRIGGER {name}")
                conn.execute(sql.replace("TRUE", "1"))
                conn.commit()
            finally:
                conn.close()

        yield f"sqlite:///{path}", ids, attack
        return
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    with Store.open(PG_URL) as store:
        ids = _scene(store)
    engine = create_engine(PG_URL)

    def pg_attack(sql: str) -> None:
        with engine.begin() as conn:
            for table in TABLES:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            conn.exec_driver_sql(sql)

    yield PG_URL, ids, pg_attack
    engine.dispose()


def test_an_untouched_database_verifies(
    scene: tuple[str, dict[str, str], Attack], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _, _ = scene
    assert main(["audit", "verify", "--db", url]) == 0
    assert "events checked. The tables match the trail. Database ID: " in capsys.readouterr().out


@pytest.mark.parametrize(("what", "sql", "sentence"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_each_change_of_the_tables_is_named_by_audit_verify(
    scene: tuple[str, dict[str, str], Attack], what: str, sql: str, sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ids, attack = scene
    attack(sql.format(**ids))
    assert main(["audit", "verify", "--db", url]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("The audit trail is intact:")  # the chain itself was not touched
    assert captured.err.startswith("The tables do not match the audit trail (")
    assert sentence in captured.err, captured.err


def test_event_times_going_backwards_beyond_the_tolerance_are_named(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path, clock=clock) as store:
        tech = add_user(store, "tina", "Tina Tech")
        clock.advance(seconds=-90)  # within the two minutes workstations' clocks may differ
        store.audit.record_event(tech, WORKSTATION, AuditAction.SCREEN_LOCKED, "Locked.")
        assert store.audit.verify_trail_and_state()[1] == []
        clock.advance(minutes=-30)
        store.audit.record_event(tech, WORKSTATION, AuditAction.SCREEN_LOCKED, "Locked.")
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert "Event 3 (screen_locked by tina on " in err
    assert "is dated 31 minutes before event 1 (user_added by " in err
    assert "beyond the 2 minutes the workstations' clocks may differ" in err


@pytest.mark.slow
def test_a_damaged_database_file_is_found_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        tech = add_user(store, "tina", "Tina Tech")
        for number in range(300):
            store.audit.record_event(tech, WORKSTATION, AuditAction.SCREEN_LOCKED, f"Locked {number}.")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_audit_events_action'").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:  # a copy taken mid-write leaves pages like this: an index page scrambled
        file.seek((root - 1) * page_size + 8)
        file.write(b"\x07" * 64)
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The database file is damaged (SQLite's integrity check: ")
    assert "Nothing else was checked." in err


def test_a_forged_event_changing_a_sealed_preparation_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An event appended with a correct hash that voids a sealed preparation: the program never writes one."""
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        ids = _scene(store)
        tina = store.users.get("tina")
        assert tina is not None
        store.audit.record_event(
            tina, WORKSTATION, AuditAction.PREPARATION_VOIDED, "Voided.", preparation_id=ids["sealed"]
        )
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert "(preparation_voided by tina on " in err
    assert f"changes preparation {ids['sealed'][:8]}, which event " in err
    assert "a sealed preparation never changes, so the event was written outside Hemgenix Prep." in err


def test_a_signature_made_to_hold_infinity_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite keeps a REAL in an INTEGER column; orjson writes infinity as null, so the digest writes it otherwise."""
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        _scene(store)
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE signatures SET amendment=9e999 WHERE meaning='Prepared by' AND amendment=0")
    conn.commit()
    conn.close()
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert "has no signature_added event in the audit trail: it was added or changed outside Hemgenix Prep" in err


MARKED_APART = [
    ("a", None),
    ("a", float("nan")),
    ("a", float("inf")),
    ("a", "null"),
    ("a", "None"),
    ("a", 0),
    ("a", 0.0),
    ("a", False),
    ("a", "0"),
    ("a", 2**70),
    ("a", str(2**70)),
    ("a", "\ud800"),
    ("a", b"a"),
    ("a", ""),
    ("a",),
    ("a", ("a",)),
]


def test_the_state_checks_digest_tells_apart_every_value_the_tables_can_hold() -> None:
    """The sums compare the trail's values with the tables' by a keyed digest of their text: orjson's array, or
    ``repr`` for what orjson cannot write or writes as null (None, NaN, infinity). Equal values mark alike; each of
    these differs from every other."""
    replay = StateReplay()
    marks = [replay._mark(values) for values in MARKED_APART]
    assert len(set(marks)) == len(MARKED_APART)
    assert [replay._mark(values) for values in MARKED_APART] == marks  # the same values, the same mark
    assert replay._mark(("a", 1)) == replay._mark(("a", 1)) != StateReplay()._mark(("a", 1))  # a key per run
    # the signatures' running digest takes these texts one after another: each ends in its one NUL
    assert all(_text(values).find(b"\x00") == len(_text(values)) - 1 for values in [*MARKED_APART, ("a\x00b",)])


def test_signature_rows_merely_in_another_order_are_no_difference(
    scene: tuple[str, dict[str, str], Attack], capsys: pytest.CaptureFixture[str]
) -> None:
    """The signatures are compared in the order their rows were added; rows whose ids were swapped (which the program
    never does) hold the same signatures, so the events are read again and no difference is named."""
    url, _, attack = scene
    attack("UPDATE signatures SET id = id + 1000 WHERE id IN (1, 2)")
    attack("UPDATE signatures SET id = 1 WHERE id = 1002")
    attack("UPDATE signatures SET id = 2 WHERE id = 1001")
    assert main(["audit", "verify", "--db", url]) == 1  # only for the triggers the attack dropped or disabled
    captured = capsys.readouterr()
    assert "The tables match the trail." in captured.out
    assert captured.err.startswith("The database's triggers and indexes are not the ones its migrations make (")
    assert "The tables do not match" not in captured.err


def test_a_password_hash_swapped_for_a_signature_and_put_back_is_named(
    scene: tuple[str, dict[str, str], Attack], capsys: pytest.CaptureFixture[str]
) -> None:
    """The tables alone cannot show a change undone: phil's row is given tina's hash, phil's password is checked for
    a signature (so tina's password would do), then phil's hash is put back. The sign-in event names the fingerprint
    of the hash it checked, which is not the one the trail last set for phil."""
    url, _, attack = scene
    with Store.open(url) as store:
        original = store.users.password_hash("phil")
    attack(
        "UPDATE users SET password_hash=(SELECT password_hash FROM users WHERE username='tina') WHERE username='phil'"
    )
    with Store.open(url) as store:
        SignInService(store, passwords=cheap_passwords()).confirm_for_signature("phil", "unused password", WORKSTATION)
    attack(f"UPDATE users SET password_hash='{original}' WHERE username='phil'")
    assert main(["audit", "verify", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "(sign_in by phil on " in err
    assert (
        "checked the password of the account phil against a password hash that is not the one the audit trail last "
        "set for it (event 2 (user_added by "
    ) in err, err
    assert "so whoever signed in as phil may have used another person's password." in err


def test_a_sign_in_whose_hash_changed_while_it_was_checked_is_refused(tmp_path: Path) -> None:
    """The event names the hash that was checked; should the row hold another by the time it is written (a reset at
    that moment), the sign-in is refused rather than recorded against a hash the trail no longer holds."""
    with open_store_file(tmp_path / "hemgenix.sqlite3") as store:
        add_user(store, "tina", "Tina Tech")
        with pytest.raises(InvalidInput, match="was changed while it was being checked"):
            store.users.record_sign_in_success("tina", WORKSTATION, "sign_in", checked_hash="$argon2id$another")
        assert store.audit.verify_trail_and_state()[0].checked == 1  # nothing was written: only the account's event


def test_password_state_an_older_event_does_not_name_is_not_checked(tmp_path: Path) -> None:
    """A password reset written before its event named the password state: what it set is not compared."""
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        _scene(store)
        phil, ttech = store.users.get("phil"), store.users.get("ttech")
        assert phil is not None
        assert ttech is not None
        store.audit.record_event(
            phil, WORKSTATION, AuditAction.PASSWORD_RESET, "Reset Terry Tech (terry).", after={"username": "terry"}
        )
        store.audit.record_event(ttech, WORKSTATION, AuditAction.SIGN_IN, "Theo Tech entered the right password.")
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE users SET must_change_password=0, password_changed_at='2099-01-01 00:00:00.000000', "
        "password_history='[]', password_hash='$argon2id$other' WHERE username='terry'"
    )
    conn.execute("UPDATE users SET failed_attempts=0, locked_until=NULL WHERE username='ttech'")
    conn.commit()
    conn.close()
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 0
