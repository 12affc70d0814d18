"""The workstation's session with no Qt: sign-in, the signing session (21 CFR 11.200), lock, unlock, review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop import config
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.security.signin import SignInRefused, SignInService
from hemgenix_desktop.services.session import WorkstationSession
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import StorageError
from tests.helpers.people import PASSWORDS
from tests.helpers.store import cheap_passwords
from tests.services.bench import Bench, make_bench


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def events(bench: Bench, action: str) -> list[tuple[str, str]]:
    return [(e.username, e.summary) for e in bench.store.audit_trail() if e.action == action]


def test_nobody_signed_in_has_no_signing_session_and_no_lock(bench: Bench) -> None:
    session = WorkstationSession(bench.ws)
    assert session.signing_session() is None
    assert session.lock("The screen locked") == ""
    assert not session.locked
    assert events(bench, AuditAction.SCREEN_LOCKED) == []


def test_a_sign_in_starts_one_continuous_signing_session(bench: Bench) -> None:
    session = WorkstationSession(bench.ws)
    session.signed_in(bench.user("ttech"))
    signing = session.signing_session()
    assert signing is not None
    assert signing.continuous
    assert signing.needs_user_id()  # the first signature of the session takes the username too
    signing.signatures_given = 1
    assert session.signing_session() is signing
    assert not signing.needs_user_id()


def test_a_lock_and_unlock_are_audited_and_break_the_signing_session(bench: Bench) -> None:
    session = WorkstationSession(bench.ws)
    session.signed_in(bench.user("ttech"))
    before = session.signing_session()
    assert session.lock("Tara Technician (ttech) locked the screen") == ""
    assert session.locked
    assert events(bench, AuditAction.SCREEN_LOCKED) == [
        ("ttech", "Tara Technician (ttech) locked the screen; Tara Technician (ttech) was signed in.")
    ]
    unlocked = session.unlock(bench.user("ttech"))
    assert (unlocked.previous, unlocked.took_over, unlocked.problem) == (bench.user("ttech"), False, "")
    assert not session.locked
    assert events(bench, AuditAction.SCREEN_UNLOCKED) == [("ttech", "Tara Technician (ttech) unlocked the screen.")]
    after = session.signing_session()
    assert after is not None
    assert after is not before
    assert not after.continuous  # the lock broke the session: the next signature takes the username again
    assert after.needs_user_id()


def test_another_person_taking_over_is_named_in_the_audit_trail(bench: Bench) -> None:
    session = WorkstationSession(bench.ws)
    session.signed_in(bench.user("ttech"))
    session.lock("The screen locked after 5 minutes without input")
    unlocked = session.unlock(bench.user("ppharm"))
    assert unlocked.took_over
    assert session.user == bench.user("ppharm")
    assert events(bench, AuditAction.SCREEN_UNLOCKED) == [
        ("ppharm", "Pat Pharmacist (ppharm) unlocked the screen and took over from Tara Technician (ttech).")
    ]
    signing = session.signing_session()
    assert signing is not None
    assert signing.user == bench.user("ppharm")


def test_a_new_sign_in_after_a_lock_is_continuous_again(bench: Bench) -> None:
    session = WorkstationSession(bench.ws)
    session.signed_in(bench.user("ttech"))
    session.lock("locked")
    session.unlock(bench.user("ttech"))
    session.signed_in(bench.user("ttech"))
    signing = session.signing_session()
    assert signing is not None
    assert signing.continuous


def test_the_end_of_a_review_is_audited(bench: Bench) -> None:
    prep = bench.started()
    session = WorkstationSession(bench.ws)
    with pytest.raises(StorageError):
        session.review_finished(prep)  # nobody signed in
    session.signed_in(bench.user("ttech"))
    session.review_finished(prep)
    [event] = [e for e in bench.store.audit_trail(prep.id) if e.action == AuditAction.REVIEW_FINISHED]
    assert event.username == "ttech"
    assert event.summary.startswith("Tara Technician (ttech) finished the review of preparation 3f9a1c2b")


def test_a_lock_and_unlock_that_cannot_be_audited_say_so(bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    session = WorkstationSession(bench.ws)
    session.signed_in(bench.user("ttech"))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The database cannot be written.")

    monkeypatch.setattr(bench.store, "record_event", refuse)
    assert session.lock("locked") == "The database cannot be written."
    assert session.locked  # locked all the same: the screen must not stay open
    unlocked = session.unlock(bench.user("ttech"))
    assert unlocked.problem == "The database cannot be written."
    assert not session.locked


@pytest.mark.slow
def test_the_windows_sign_in_lock_and_unlock_events_name_the_operating_system_account(
    bench: Bench, tmp_path: Path
) -> None:
    """Issue 14: beside the person, the operating-system account that runs the program (as the command line does)."""
    ws = Workstation.from_settings(bench.store, data_dir=tmp_path / "data")
    account = config.os_account()
    assert ws.sign_in.os_account == account
    assert account
    ws.sign_in = SignInService(bench.store, passwords=cheap_passwords(), os_account=account)
    user = ws.sign_in.sign_in("ttech", PASSWORDS["ttech"], ws.workstation)
    with pytest.raises(SignInRefused):
        ws.sign_in.sign_in("ttech", "not the password", ws.workstation)
    with pytest.raises(SignInRefused):
        ws.sign_in.sign_in("nobody", "not the password", ws.workstation)
    session = WorkstationSession(ws)
    session.signed_in(user)
    session.lock("The screen locked after 5 minutes without input")
    session.unlock(ws.sign_in.unlock("ttech", PASSWORDS["ttech"], ws.workstation))
    wanted = {AuditAction.SIGN_IN, AuditAction.SIGN_IN_FAILED, AuditAction.SCREEN_LOCKED, AuditAction.SCREEN_UNLOCKED}
    written = [e for e in bench.store.audit_trail() if e.action in wanted and e.workstation == ws.workstation]
    assert {e.action for e in written} == {str(a) for a in wanted}
    assert all(e.after.get("os_account") == account for e in written), [(e.action, e.after) for e in written]


def test_the_operating_system_account_is_unknown_when_it_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass
    import pwd

    def fails(*_args: object) -> str:
        raise KeyError("no name for this user ID")

    monkeypatch.setattr(pwd, "getpwuid", fails)
    monkeypatch.setattr(getpass, "getuser", fails)
    assert config.os_account() == "unknown"
    monkeypatch.setattr(getpass, "getuser", lambda: "evil\u202ename")  # not one printable line: never in the trail
    assert config.os_account() == "unknown"
    monkeypatch.setattr(getpass, "getuser", lambda: "pharmacy-ws-07")
    assert config.os_account() == "pharmacy-ws-07"
