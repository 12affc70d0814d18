"""The real program offscreen, killed in the middle of a preparation by tests/reliability/test_gui_kill_resume.py.

    python -m tests.reliability.gui_driver DB_URL      (from the project folder)

Builds the main window on the database at DB_URL (whose people tests/ui/main_helpers.py made), signs in as the
technician, and fills wizard pages 1 to 4 with the helpers the wizard's tests use, pressing Next on each. Every
autosave prints ``SAVED <step>`` (the step the preparation resumes at) once the draft is committed to the
database; then it types on page 5 and waits to be killed. It quits by itself after two minutes, so a test that
failed to kill it leaves nothing running.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GIVE_UP_MS = 120_000


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.ui.app import application
    from tests.ui import helpers as h
    from tests.ui import main_helpers as m

    app = application()
    store = Store.open(argv[1])
    window = m.make_main(m.services(store))
    window.show()
    window.autosaved.connect(lambda _prep_id, step: print(f"SAVED {step}", flush=True))
    m.sign_in(window, "ttech")
    wizard = m.wizard_of(window)
    print(f"PREPARATION {wizard.preparation.id}", flush=True)
    h.walk_to(wizard, "kit")  # pages 1 to 4, each saved as it advances
    h.scan(wizard, h.kit_code())  # page 5 is being filled in when the kill comes: none of it is saved
    print("TYPING", flush=True)
    QTimer.singleShot(GIVE_UP_MS, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
