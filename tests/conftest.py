"""Test configuration shared by every test: headless Qt, no user folders touched."""

from __future__ import annotations

import os
import tempfile

# Headless, set by the test configuration itself (before any QApplication exists).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")

# No test reads or writes the user's real settings file (~/.config/hemgenix-prep/settings.toml): the config
# folder is a fresh empty one for the whole run, and HEMGENIX_CONFIG from the developer's shell is dropped.
_CONFIG_HOME = tempfile.TemporaryDirectory(prefix="hemgenix-test-config-")
os.environ["XDG_CONFIG_HOME"] = _CONFIG_HOME.name
os.environ.pop("HEMGENIX_CONFIG", None)

# The fixtures shared by every directory (the store, its clock and two users): tests/helpers/fixtures.py,
# registered after the environment above is set.
pytest_plugins = ["tests.helpers.fixtures"]
