"""Two processes on one database file: the guards hold; a killed process loses nothing it saved."""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from hemgenix_desktop.storage import Store
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import add_user
from tests.storage.helpers import run_race
from tests.storage.workers import open_at_once

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 20
RESULT_TIMEOUT = 120


def _race(url: str, guard: str) -> list[tuple[int, str, str, str, str]]:
    return run_race(url, guard, ROUNDS, RESULT_TIMEOUT)


def _check_one_winner_per_round(outcomes: list[tuple[int, str, str, str, str]], url: str) -> None:
    with Store.open(url) as store:
        for i in range(ROUNDS):
            this_round = [o for o in outcomes if o[0] == i]
            won = [o for o in this_round if o[2] == "won"]
            lost = [o for o in this_round if o[2] == "lost"]
            assert (len(won), len(lost)) == (1, 1), this_round
            winner_id = won[0][3]
            assert lost[0][3] == winner_id  # the loser is told which preparation won
            winner = store.summary(winner_id)
            assert f"preparation {winner_id[:8]} for {winner.patient_name}" in lost[0][4]
            assert f"started by {winner.created_by_name} ({winner.created_by})" in lost[0][4]
        assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_two_processes_racing_for_one_patient(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    outcomes = _race(url, "patient")
    _check_one_winner_per_round(outcomes, url)
    with Store.open(url) as store:
        assert len(store.unfinished()) == ROUNDS
        assert all(o[4].startswith("This patient already has preparation ") for o in outcomes if o[2] == "lost")


@pytest.mark.slow
def test_two_processes_racing_for_one_carton(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    outcomes = _race(url, "carton")
    _check_one_winner_per_round(outcomes, url)
    with Store.open(url) as store:
        scanned = [row for row in store.unfinished() if row.carton_serial is not None]
        assert sorted(row.carton_serial or "" for row in scanned) == sorted(f"SER-RACE-{i}" for i in range(ROUNDS))
        assert all(o[4].startswith("This carton (serial “SER-RACE-") for o in outcomes if o[2] == "lost")


@pytest.mark.slow
def test_two_processes_creating_a_new_database_at_once(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / f'brand-new-{i}.sqlite3'}" for i in range(ROUNDS)]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=open_at_once, args=(urls, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=RESULT_TIMEOUT) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(RESULT_TIMEOUT)
    assert outcomes == [("ok", True)] * (2 * ROUNDS)
    for url in urls:
        with Store.open(url) as store, store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar_one() == 1


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.workers", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(RESULT_TIMEOUT)
    assert child.returncode == -signal.SIGKILL
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream is not None:
            stream.close()


@pytest.mark.slow
def test_a_draft_survives_sigkill_with_every_value(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        add_user(store, "tina", "Tina Tech")
    prep_id = str(uuid.uuid4())

    child = _child("save_then_wait", url, "tina", prep_id)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line == "saved\n", child.stderr.read() if child.stderr else ""
    _kill(child)

    expected = fill_everything(new_prep())
    expected.id = prep_id
    with Store.open(url) as store:
        [unfinished] = store.unfinished()
        assert (unfinished.id, unfinished.step, unfinished.patient_name, unfinished.updated_by_name) == (
            prep_id,
            "checks",
            "John Smith",
            "Tina Tech",
        )
        assert store.load(prep_id).to_dict() == expected.to_dict() | {"step": "checks"}
        assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_a_process_killed_while_saving_leaves_a_whole_draft_and_its_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        add_user(store, "tina", "Tina Tech")
    prep_id = str(uuid.uuid4())

    child = _child("save_forever", url, "tina", prep_id)
    assert child.stdout is not None
    confirmed = 0
    while confirmed < 40:  # kill it while it is saving, after 40 saves it confirmed
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else ""
        confirmed = int(line)
    _kill(child)

    with Store.open(url) as store:
        saved = store.load(prep_id).weight_method
        count = int(saved.removeprefix("scale reading "))
        assert count >= confirmed  # every save it confirmed is there (and perhaps one it had not printed yet)
        saves = [e for e in store.audit_trail(prep_id) if e.action == "draft_saved"]
        assert len(saves) == count  # each save and its audit event committed together
        assert saves[-1].after == {"weight_method": saved}
        assert store.verify_audit_chain().intact
