"""Code that runs in child processes started by the concurrency and crash tests."""

from __future__ import annotations

import sys
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.storage import Store
from tests.helpers.preparations import carton, fill_everything, new_prep
from tests.storage.helpers import corrected

BARRIER_TIMEOUT = 60


def race(url: str, username: str, rounds: int, guard: str, barrier: Barrier, results: Queue[Any]) -> None:
    """Each round: wait for the other process, then both try to take the same patient (or carton)."""
    try:
        store = Store.open(url)
        user = store.users.get(username)
        assert user is not None
        for i in range(rounds):
            if guard == "patient":
                prep = new_prep(f"PSI-RACE-{i}", f"Patient {i}")
                barrier.wait(BARRIER_TIMEOUT)
                try:
                    store.start_preparation(prep, user, username)
                    results.put((i, username, "won", prep.id, ""))
                except PatientAlreadyHasPreparation as stop:
                    results.put((i, username, "lost", stop.existing_id, stop.message))
            else:
                prep = new_prep(f"PSI-{username}-{i}", f"Patient {username} {i}")
                store.start_preparation(prep, user, username)
                prep.carton = carton(f"SER-RACE-{i}")
                barrier.wait(BARRIER_TIMEOUT)
                try:
                    store.save_draft(prep, "carton", user, username)
                    results.put((i, username, "won", prep.id, ""))
                except CartonAlreadyUsed as stop:
                    results.put((i, username, "lost", stop.existing_id, stop.message))
        store.close()
    except BaseException as exc:  # report, so the test fails with the reason instead of waiting
        results.put((-1, username, "error", "", repr(exc)))
        barrier.abort()


def amend_race(
    url: str, username: str, records: list[tuple[str, str, str]], barrier: Barrier, results: Queue[Any]
) -> None:
    """For each sealed preparation ``(id, record id, record SHA-256)``: wait for the other process, then both
    start correcting its record at the same moment."""
    try:
        with Store.open(url) as store:
            user = store.users.get(username)
            assert user is not None
            for i, (prep_id, record_id, sha256) in enumerate(records):
                prep, changes = corrected(store.load(prep_id), name=f"Corrected by {username}")
                barrier.wait(BARRIER_TIMEOUT)
                try:
                    started = store.start_amendment(
                        prep,
                        reason=f"Name misspelt ({username})",
                        changes=changes,
                        amends_record_id=record_id,
                        amends_sha256=sha256,
                        user=user,
                        workstation=username,
                    )
                    results.put((i, username, "won", started.id, ""))
                except InvalidInput as refused:
                    results.put((i, username, "lost", "", refused.message))
    except BaseException as exc:  # report, so the test fails with the reason instead of waiting
        results.put((-1, username, "error", "", repr(exc)))
        barrier.abort()


def append_events(url: str, username: str, count: int, barrier: Barrier, results: Queue[Any]) -> None:
    """Start a preparation, wait for the other writers, then ``count`` times: save the draft and record an
    event (numbered ``n``), as fast as the database lets it, while the others do the same."""
    try:
        with Store.open(url) as store:
            user = store.users.get(username)
            assert user is not None
            prep = new_prep(f"PSI-{username}", f"Patient {username}")
            store.start_preparation(prep, user, username)
            barrier.wait(BARRIER_TIMEOUT)
            for n in range(count):
                prep.weight_method = f"scale reading {n}"
                store.save_draft(prep, "weight", user, username)
                store.record_event(
                    user, username, "test_event", f"Event {n} of {username}.", preparation_id=prep.id, after={"n": n}
                )
        results.put((username, "done", prep.id))
    except BaseException as exc:  # report, so the test fails with the reason instead of waiting
        results.put((username, "error", repr(exc)))
        barrier.abort()


def open_at_once(urls: list[str], barrier: Barrier, results: Queue[Any]) -> None:
    """For each new database: wait for the other process, then both create and migrate it together."""
    for url in urls:
        try:
            barrier.wait(BARRIER_TIMEOUT)
            with Store.open(url) as store:
                results.put(("ok", store.verify_audit_chain().intact))
        except BaseException as exc:
            results.put(("error", repr(exc)))


def save_then_wait(url: str, username: str, prep_id: str) -> None:
    """Save a full draft, say so, then wait to be killed."""
    store = Store.open(url)
    user = store.users.get(username)
    assert user is not None
    prep = new_prep()
    prep.id = prep_id
    store.start_preparation(prep, user, "hood-1")
    fill_everything(prep)
    store.save_draft(prep, "checks", user, "hood-1")
    print("saved", flush=True)
    sys.stdin.read()  # the test kills this process while it waits here


def save_forever(url: str, username: str, prep_id: str) -> None:
    """Save the draft again and again, printing each count, until killed mid-save."""
    store = Store.open(url)
    user = store.users.get(username)
    assert user is not None
    prep = new_prep()
    prep.id = prep_id
    store.start_preparation(prep, user, "hood-1")
    count = 0
    while True:
        count += 1
        prep.weight_method = f"scale reading {count}"
        store.save_draft(prep, "weight", user, "hood-1")
        print(count, flush=True)


if __name__ == "__main__":
    {"save_then_wait": save_then_wait, "save_forever": save_forever}[sys.argv[1]](*sys.argv[2:])
