"""Issue 13, memory on the real path: once a preparation's signing flow is deleted, the window gives the memory its
PDFs and print previews used back to the system (ui/memory.py; benchmarks/memory.py measures it)."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui import memory
from tests.ui.main_helpers import OFFSCREEN_NOISE, make_main, open_store, services

pytestmark = OFFSCREEN_NOISE


class _Flow(QWidget):
    """Stands for a signing flow: what matters is that it is deleted, and what follows."""

    record = None


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_s_malloc_trim_is_found() -> None:
    assert memory._malloc_trim() is not None


def test_closing_a_signing_flow_gives_its_memory_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given_back: list[bool] = []
    monkeypatch.setattr(memory, "give_back_memory", lambda: given_back.append(True))
    store: Store = open_store(tmp_path)
    window = make_main(services(store, data_dir=tmp_path / "data"), qtbot)
    flow = _Flow()
    window.signing = flow  # type: ignore[assignment]
    layout = window.flow_host.layout()  # where the signing flow is shown
    assert layout is not None
    layout.addWidget(flow)
    window.show_home()
    assert given_back == []  # not while the flow still exists
    gone: list[bool] = []
    flow.destroyed.connect(lambda: gone.append(True))
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # as the event loop does
    assert gone == [True]
    qtbot.waitUntil(lambda: given_back == [True])
    store.close()


def test_giving_memory_back_runs() -> None:
    memory.give_back_memory()  # the collector, then malloc_trim where there is one: no error, nothing returned
