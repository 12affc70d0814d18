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
# Nor the user's data folder (~/.local/share/hemgenix-prep: the default database and site key): `verify` reads the
# default database's trail for the retired certificates a pharmacist trusted.
_DATA_HOME = tempfile.TemporaryDirectory(prefix="hemgenix-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME.name

# The site key file is encrypted with a passphrase asked for at start; for the tests (and the program they run as
# a subprocess) the variable meant for scripts and CI gives it. Tests of the prompt and a missing or wrong
# passphrase remove or change it. No token is configured unless a test sets one.
os.environ["HEMGENIX_SITE_KEY_SECRET"] = "test passphrase of the site key"
for _name in ("HEMGENIX_PKCS11_MODULE", "HEMGENIX_PKCS11_TOKEN", "HEMGENIX_PKCS11_KEY_LABEL"):
    os.environ.pop(_name, None)

# The fixtures shared by every directory (the store, its clock and two users): tests/helpers/fixtures.py,
# registered after the environment above is set.
pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.softhsm"]
