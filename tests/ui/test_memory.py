"""Issue 13, memory on the real path (ui/memory.py; benchmarks/memory.py measures it): once a preparation's signing
flow is deleted, the window gives the memory its PDFs and print previews used back to the system; glibc's allocator
is set at the start (unless the site sets it); a closed History window gives its pixels back and keeps its search."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui import memory
from tests.ui.helpers import type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, open_store, services, sign_in

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


@pytest.mark.slow
def test_giving_memory_back_runs() -> None:
    memory.give_back_memory()  # the collector, then malloc_trim where there is one: no error, nothing returned


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_the_allocator_is_set_at_the_start_unless_the_site_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=4")
    memory.tune_allocator.cache_clear()
    assert not memory.tune_allocator()  # the site's own setting is kept
    monkeypatch.delenv("GLIBC_TUNABLES")
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    memory.tune_allocator.cache_clear()
    assert not memory.tune_allocator()
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    for name in [name for name in os.environ if name.startswith("MALLOC_")]:
        monkeypatch.delenv(name)
    memory.tune_allocator.cache_clear()
    assert memory.tune_allocator()
    assert memory.tune_allocator()  # once: the second call is the first's answer


def test_a_closed_window_gives_its_pixels_back_and_keeps_its_fields(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    field = QLineEdit(window)
    memory.release_window_when_hidden(window)
    window.show()
    qtbot.waitExposed(window)
    field.setText("smi")
    assert window.windowHandle() is not None
    window.close()
    qtbot.waitUntil(lambda: window.windowHandle() is None)  # the native window and its backing store are gone
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert field.text() == "smi"


def test_history_closed_keeps_its_search_and_gives_its_window_back(qtbot: QtBot, tmp_path: Path) -> None:
    store: Store = open_store(tmp_path)
    add_people(store)
    main = make_main(services(store), qtbot)
    main.show()
    sign_in(main, "ttech")
    history = main.show_history()
    assert history is not None
    qtbot.waitExposed(history)
    type_text(history, "historyPatientEdit", "smi")
    history.close()
    qtbot.waitUntil(lambda: history.windowHandle() is None)
    assert main.show_history() is history  # the same window, opened again
    qtbot.waitExposed(history)
    assert history.patient.text() == "smi"
    history.close()
    store.close()
