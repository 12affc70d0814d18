"""What the tests share, defined once (issue 12, "Test fixtures defined once").

* :mod:`tests.helpers.store`: the clock the tests move by hand, the cheap password hasher, adding a user; the
  ``store`` fixture and its companions (``db_url``, ``clock``, ``tech``, ``pharmacist``) are in tests/conftest.py.
* :mod:`tests.helpers.people`: the one list of people (usernames, names, roles, passwords, their signers).
* :mod:`tests.helpers.preparations`: the one builder of preparations: a complete reviewed one, signed, sealed
  and amended; and the drafts the storage tests save.
* :mod:`tests.helpers.printer`: the one fake printer (prints into PDF files).

The GUI drivers stay beside their tests for now: tests/ui/helpers.py (the wizard), tests/ui/main_helpers.py (the
main window), tests/ui/signing_helpers.py (the signatures).
"""
