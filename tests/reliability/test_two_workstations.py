"""Two workstations, one database: they race to start a preparation for the same patient, and to save the
same carton, 50 times each. Exactly one wins every round; the other is told, word for word, which
preparation won, for whom, who started it and when.

The child processes run ``tests.storage.workers.race`` (the storage tests race 20 rounds with it in
tests/storage/test_concurrency.py); this is the 50-round version, with the loser's whole sentence checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop.storage import PreparationSummary, Store
from tests.storage.helpers import run_race

ROUNDS = 50
RESULT_TIMEOUT = 180
Outcome = tuple[int, str, str, str, str]  # round, workstation, "won"/"lost"/"error", preparation id, sentence


def _race(url: str, guard: str) -> list[Outcome]:
    return run_race(url, guard, ROUNDS, RESULT_TIMEOUT)


def _when(summary: PreparationSummary) -> str:
    return f"{summary.created_at:%Y-%m-%d %H:%M} UTC"


def _named(winner: PreparationSummary) -> str:
    return (
        f"preparation {winner.short_id} for {winner.patient_name} (identifier “{winner.patient_identifier}”), "
        f"a draft, started by {winner.created_by_name} ({winner.created_by}) on {_when(winner)}"
    )


def _patient_sentence(winner: PreparationSummary) -> str:
    return (
        f"This patient already has {_named(winner)}. Hemgenix is given only once: do not prepare a second dose. "
        "Resume or void that preparation, or call the pharmacist in charge."
    )


def _carton_sentence(winner: PreparationSummary, serial: str) -> str:
    return (
        f"This carton (serial “{serial}”) is already used by {_named(winner)}. One carton is for one preparation "
        "only: set this carton aside and call the pharmacist in charge."
    )


def _check_rounds(url: str, outcomes: list[Outcome], guard: str) -> None:
    with Store.open(url) as store:
        for i in range(ROUNDS):
            this_round = sorted(o for o in outcomes if o[0] == i)
            won = [o for o in this_round if o[2] == "won"]
            lost = [o for o in this_round if o[2] == "lost"]
            assert (len(won), len(lost)) == (1, 1), this_round
            winner = store.summary(won[0][3])
            assert lost[0][3] == winner.id
            expected = _patient_sentence(winner) if guard == "patient" else _carton_sentence(winner, f"SER-RACE-{i}")
            assert lost[0][4] == expected
            # the refusal is in the audit trail, on the winner's preparation
            refusals = [
                e
                for e in store.audit_trail(winner.id)
                if e.action in ("second_preparation_refused", "carton_reuse_refused")
            ]
            assert len(refusals) == 1
            assert refusals[0].username == lost[0][1]
        assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_fifty_races_for_one_patient_each_have_one_winner(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    outcomes = _race(url, "patient")
    _check_rounds(url, outcomes, "patient")
    with Store.open(url) as store:
        drafts = store.unfinished()
        assert sorted(d.patient_identifier for d in drafts) == sorted(f"PSI-RACE-{i}" for i in range(ROUNDS))


@pytest.mark.slow
def test_fifty_races_for_one_carton_each_have_one_winner(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    outcomes = _race(url, "carton")
    _check_rounds(url, outcomes, "carton")
    with Store.open(url) as store:
        drafts = store.unfinished()
        assert len(drafts) == 2 * ROUNDS  # every loser's draft is kept, without the carton it could not take
        scanned = sorted(d.carton_serial for d in drafts if d.carton_serial is not None)
        assert scanned == sorted(f"SER-RACE-{i}" for i in range(ROUNDS))
        losers = [o for o in outcomes if o[2] == "lost"]
        for o in losers:
            [mine] = [d for d in drafts if d.patient_identifier == f"PSI-{o[1]}-{o[0]}"]
            assert mine.carton_serial is None
            assert store.load(mine.id).carton is None
