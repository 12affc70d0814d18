"""Issue 21, the verifier's blind check as it shows: which weight the check is on, the precision it compares at (said,
never the value), and a verifier who converts 160 lb exactly (145.15 mL) is not stopped."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.ui.driving import find
from tests.helpers.preparations import complete_preparation
from tests.ui.signing_helpers import Bench, blind_check, make_bench, sign_preparer, verifier_signs_in

PRECISION = "The weight is compared to 0.01 kg and the dose volume to 0.01 mL, as the record prints them."


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def instruction(flow: QWidget) -> str:
    return unescape(find(flow, QLabel, "blindCheckVerifierLabel").text())  # rich text, escaped


def test_a_verifier_who_converts_160_lb_exactly_matches(qtbot: QtBot, bench: Bench) -> None:
    flow = bench.flow(bench.started(complete_preparation(weight="160 lb")))
    qtbot.addWidget(flow)
    sign_preparer(flow)
    verifier_signs_in(flow)
    assert flow.current_key() == "blindCheck"
    assert PRECISION in instruction(flow)  # the precision is said before the entries
    assert "145" not in instruction(flow)
    blind_check(flow, weight="72.57", vials="15", dose="145.15")
    assert flow.current_key() != "blindCheck"
    assert [s.meaning for s in bench.store.signatures(flow.prep.id)] == [Meaning.PREPARED_BY, Meaning.VERIFIED_BY]


def test_a_dose_from_a_weight_rounded_to_72_6_kg_is_stopped_and_told_the_precision(qtbot: QtBot, bench: Bench) -> None:
    flow = bench.flow(bench.started(complete_preparation(weight="160 lb")))
    qtbot.addWidget(flow)
    sign_preparer(flow)
    verifier_signs_in(flow)
    blind_check(flow, weight="160", unit="lb", vials="15", dose="145.2")
    assert flow.current_key() == "blindCheck"
    stop = flow.screens["blindCheck"].stop.text()
    assert stop.startswith("The blind check does not match the preparation: your figures do not all agree with it.")
    assert stop.endswith(PRECISION)
    assert "145.15" not in stop


def test_the_blind_check_says_which_weight_it_is_on_when_the_weight_changed(qtbot: QtBot, bench: Bench) -> None:
    flow = bench.flow(bench.started(complete_preparation(weight="72", today_weight="72.4")))
    qtbot.addWidget(flow)
    sign_preparer(flow)
    verifier_signs_in(flow)
    text = instruction(flow)
    assert (
        "The dose is based on today's weight, from today's weight record, which differs from the prescription weight "
        "on the order: work from today's weight, not the order's."
    ) in text
    assert "72.4" not in text
    every_text = " ".join(label.text() for label in flow.findChildren(QLabel))
    assert "Read the weight from the order or today's weight record" not in every_text
