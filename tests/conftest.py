"""Test configuration shared by every test: headless Qt, no user folders touched."""

from __future__ import annotations

import os

# Headless, set by the test configuration itself (before any QApplication exists).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
