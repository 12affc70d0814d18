"""The real program offscreen, killed right after one wizard page was saved, by
tests/reliability/test_gui_kill_resume.py.

    python -m tests.reliability.gui_driver DB_URL PAGE      (from the project folder)

Builds the main window on the database at DB_URL (whose people tests/ui/main_helpers.py made), signs in as the
technician, and fills the wizard's pages from the first one to PAGE with the helpers the wizard's tests use,
pressing Next on each (Finish on the Review page). Every autosave prints one line once the draft is committed to
the database::

    SAVED <page just committed> <the Preparation's to_dict() as JSON, as it was saved>

After PAGE was saved it fills in the next page without pressing Next (typed, never saved) and waits to be
killed. It quits by itself after two minutes, so a test that failed to kill it leaves nothing running.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GIVE_UP_MS = 120_000


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.ui.app import application
    from hemgenix_desktop.ui.pages.base import PAGE_KEYS
    from tests.ui import helpers as h
    from tests.ui import main_helpers as m

    url, target = argv[1], argv[2]
    if target not in PAGE_KEYS:
        raise SystemExit(f"PAGE is one of {', '.join(PAGE_KEYS)}")
    app = application()
    store = Store.open(url)
    window = m.make_main(m.services(store))
    window.show()
    m.sign_in(window, "ttech")
    wizard = m.wizard_of(window)

    def saved(_prep_id: str, _step: str) -> None:
        # the autosave runs while the page is being left, so the current page is the one just committed
        print(f"SAVED {wizard.current_key()} {json.dumps(wizard.preparation.to_dict())}", flush=True)

    window.autosaved.connect(saved)
    print(f"PREPARATION {wizard.preparation.id}", flush=True)
    for key in PAGE_KEYS:
        if key == "review":
            h.tick(wizard, "reviewConfirmCheck")
            h.click(wizard, "wizardFinishButton")
        else:
            h.FILLERS[key](wizard)
            h.press_next(wizard)
        if key == target:
            break
    if target != "review":  # the next page is filled in when the kill comes: none of it is saved
        h.FILLERS.get(wizard.current_key(), lambda _wizard: None)(wizard)
    print("TYPING", flush=True)
    QTimer.singleShot(GIVE_UP_MS, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
