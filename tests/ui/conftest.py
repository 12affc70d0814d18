"""Fixtures for the wizard's tests: a wizard on a fixed clock, and message boxes that never open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import make_wizard


@dataclass
class Boxes:
    """What the code under test asked the message-box helper to show."""

    asked: list[tuple[str, str, Callable[[], None]]] = field(default_factory=list)
    informed: list[tuple[str, str]] = field(default_factory=list)
    save_requests: list[tuple[str, Callable[[str], None]]] = field(default_factory=list)


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    record = Boxes()

    def ask(_parent: Any, title: str, text: str, on_yes: Callable[[], None], **_kw: Any) -> None:
        record.asked.append((title, text, on_yes))

    def inform(_parent: Any, title: str, text: str) -> None:
        record.informed.append((title, text))

    def choose_save_path(
        _parent: Any, _title: str, suggested: str, _filter: str, on_chosen: Callable[[str], None]
    ) -> None:
        record.save_requests.append((suggested, on_chosen))

    monkeypatch.setattr(msgbox, "ask", ask)
    monkeypatch.setattr(msgbox, "inform", inform)
    monkeypatch.setattr(msgbox, "choose_save_path", choose_save_path)
    return record


WizardFactory = Callable[..., PreparationWizard]


@pytest.fixture
def new_wizard(qtbot: QtBot) -> WizardFactory:
    def build(preparation: Preparation | None = None, **kwargs: Any) -> PreparationWizard:
        wizard = make_wizard(preparation, **kwargs)
        # Closed for good after the test: a shown wizard with something entered would ask first (and stay on screen,
        # its patient's data visible to the next test, until the garbage collector happens to take it).
        qtbot.addWidget(wizard, before_close_func=lambda w: w._leave())  # type: ignore[attr-defined]
        return wizard

    return build


@pytest.fixture
def wizard(new_wizard: WizardFactory) -> PreparationWizard:
    return new_wizard()
