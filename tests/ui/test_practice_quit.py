"""Quitting practice mode: its database is in memory, so the confirmation says nothing is kept, not "resume"."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop.storage import Store
from tests.ui.conftest import Boxes
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services, sign_in, wizard_of

pytestmark = OFFSCREEN_NOISE

NOTHING_KEPT = "This is practice: nothing of it is kept after the program closes."
RESUMED = "The pages completed with Next are saved: the preparation can be resumed after signing in again."


@pytest.mark.parametrize(
    ("practice", "said", "not_said"), [(True, NOTHING_KEPT, RESUMED), (False, RESUMED, NOTHING_KEPT)]
)
def test_quit_with_a_preparation_open_says_what_is_kept(
    qtbot: QtBot, store: Store, boxes: Boxes, practice: bool, said: str, not_said: str
) -> None:
    add_people(store)
    window = make_main(services(store, practice=practice), qtbot)
    window.show()
    sign_in(window, "ttech")
    wizard_of(window)  # the wizard is open (practice mode: with the demo order)

    window.close()

    title, text, _quit = boxes.asked[-1]
    assert title == "Quit Hemgenix Prep?"
    assert said in text
    assert not_said not in text
    assert window.isVisible()  # asked first: nothing closed yet
