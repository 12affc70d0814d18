"""The database from several threads at once, as the GUI thread and a worker use it (ui/background.py checks
passwords and seals off the GUI thread): every write is kept, the audit chain stays intact, and nothing raises.
SQLite files give each thread its own pooled connection; the in-memory practice database's one connection is held
by one thread at a time (storage/engine.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.storage import Store
from tests.helpers.store import add_user, cheap_passwords, open_store_file

THREADS, EACH = 4, 25


@pytest.fixture(params=["practice", "file"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    return Store.open_practice() if request.param == "practice" else open_store_file(tmp_path / "threads.sqlite3")


@pytest.mark.slow
def test_writes_from_several_threads_at_once_are_all_kept_in_one_intact_chain(any_store: Store) -> None:
    user = add_user(any_store, "ttech", "Terry Technician")
    before = len(any_store.audit_trail())
    start = threading.Barrier(THREADS)
    problems: list[BaseException] = []

    def write(number: int) -> None:
        try:
            start.wait()
            for event in range(EACH):
                any_store.record_event(user, f"ws-{number}", AuditAction.SCREEN_LOCKED, f"thread {number} #{event}")
                any_store.audit_trail()  # reads between the writes, as the screens do
        except BaseException as exc:
            problems.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert problems == []
    assert len(any_store.audit_trail()) == before + THREADS * EACH
    assert any_store.verify_audit_chain().intact
    any_store.close()


def test_signing_in_on_a_worker_while_the_gui_thread_writes(any_store: Store) -> None:
    user = add_user(any_store, "ttech", "Terry Technician")
    service = SignInService(any_store, passwords=cheap_passwords())
    signed: list[str] = []
    problems: list[BaseException] = []

    def sign_in() -> None:
        try:
            for _ in range(EACH):
                signed.append(service.sign_in("ttech", "unused password", "ws-worker").username)
        except BaseException as exc:
            problems.append(exc)

    worker = threading.Thread(target=sign_in)
    worker.start()
    for event in range(EACH):
        any_store.record_event(user, "ws-gui", AuditAction.SCREEN_UNLOCKED, f"the GUI thread #{event}")
    worker.join(120)
    assert problems == []
    assert signed == ["ttech"] * EACH
    assert any_store.verify_audit_chain().intact
    any_store.close()
