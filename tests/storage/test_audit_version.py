"""Every audit event names the program version that wrote it, and that name is part of the chain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from hemgenix_desktop import __version__
from hemgenix_desktop.storage import Store, cli_actor


def test_each_event_carries_the_version_and_a_changed_version_breaks_the_chain(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        store.record_event(cli_actor(), "ws-1", "test_event", "Something happened.")
        events = store.audit_trail()
        assert events
        assert all(event.software_version == __version__ for event in events)
        assert store.verify_audit_chain().intact
        with store.engine.begin() as conn:  # what a tamperer would do: drop the append-only trigger first
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("UPDATE audit_events SET software_version = '9.9.9' WHERE seq = 1"))
        result = store.verify_audit_chain()
        assert not result.intact
        assert result.first_broken == 1


@pytest.mark.slow
def test_audit_show_prints_the_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        store.record_event(cli_actor(), "ws-1", "test_event", "Something happened.")
    run = [sys.executable, "-m", "hemgenix_desktop", "--db", url, "audit", "show"]
    shown = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert f"written by Hemgenix Prep {__version__}" in shown
    as_json = subprocess.run([*run, "--json"], capture_output=True, text=True, check=True).stdout
    assert {event["software_version"] for event in json.loads(as_json)} == {__version__}
