"""The audit trail: append-only in the database, and any edit or deletion found by verification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage import Store, User
from tests.helpers.preparations import new_prep
from tests.helpers.store import WORKSTATION, FakeClock


def _trail_of_five(store: Store, tech: User, clock: FakeClock) -> str:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)  # event 2 (event 1 added the user)
    for step in ("eligibility", "identity", "weight"):  # events 3, 4, 5
        clock.advance(minutes=1)
        store.save_draft(prep, step, tech, WORKSTATION)
    return prep.id


def _tamper(store: Store, sql: str) -> None:
    """What someone with direct access to the database file could do: drop the guard, then edit."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text(sql))


def test_an_untouched_trail_is_intact(store: Store, tech: User, clock: FakeClock) -> None:
    _trail_of_five(store, tech, clock)
    result = store.verify_audit_chain()
    assert (result.intact, result.checked, result.first_broken) == (True, 5, None)
    assert result.message == "The audit trail is intact: 5 events checked."


def test_an_empty_trail_is_intact(store: Store) -> None:
    assert store.verify_audit_chain().message == "The audit trail is intact: 0 events checked."


def test_the_database_refuses_to_change_or_delete_an_event(store: Store, tech: User, clock: FakeClock) -> None:
    _trail_of_five(store, tech, clock)
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="append-only: never updated"):
        conn.execute(text("UPDATE audit_events SET summary = 'nothing' WHERE seq = 3"))
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="append-only: never deleted"):
        conn.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="moves one event at a time"):
        conn.execute(text("UPDATE audit_head SET last_seq = 4"))
    assert store.verify_audit_chain().intact


def test_an_edited_event_is_named(store: Store, tech: User, clock: FakeClock) -> None:
    _trail_of_five(store, tech, clock)
    _tamper(store, "UPDATE audit_events SET username = 'someone' WHERE seq = 3")
    result = store.verify_audit_chain()
    assert (result.intact, result.first_broken, result.checked) == (False, 3, 2)
    assert result.message == (
        "The audit trail is broken at event 3: event 3 (draft_saved by someone on 2026-05-04 08:31 UTC) was changed "
        "after it was written: its content no longer matches its hash. Keep this database as it is and report it "
        "to the pharmacist in charge."
    )


def test_an_edited_and_rehashed_event_is_named(store: Store, tech: User, clock: FakeClock) -> None:
    from hemgenix_desktop.storage.audit import event_content, event_hash

    _trail_of_five(store, tech, clock)
    event = store.audit_trail()[2]  # event 3
    forged = event_hash(
        event_content(
            seq=3,
            at=event.at,
            username=event.username,
            full_name=event.full_name,
            workstation=event.workstation,
            action=event.action,
            preparation_id=event.preparation_id,
            summary="Nothing happened.",
            before="{}",
            after="{}",
            prev_hash=event.prev_hash,
            software_version=event.software_version,
        )
    )
    _tamper(
        store,
        f"UPDATE audit_events SET summary = 'Nothing happened.', before = '{{}}', after = '{{}}', hash = '{forged}' "
        "WHERE seq = 3",
    )
    result = store.verify_audit_chain()
    assert result.first_broken == 3
    assert result.message.startswith(
        "The audit trail is broken at event 3: event 3 was changed or replaced after it was written: event 4 "
        "recorded a different hash for it."
    )


def test_a_deleted_event_is_named(store: Store, tech: User, clock: FakeClock) -> None:
    _trail_of_five(store, tech, clock)
    _tamper(store, "DELETE FROM audit_events WHERE seq = 4")
    result = store.verify_audit_chain()
    assert (result.intact, result.first_broken) == (False, 4)
    assert result.message.startswith(
        "The audit trail is broken at event 4: event 4 is missing (the trail jumps from event 3 to event 5), "
        "so it was deleted."
    )


def test_a_deleted_last_event_is_found(store: Store, tech: User, clock: FakeClock) -> None:
    _trail_of_five(store, tech, clock)
    _tamper(store, "DELETE FROM audit_events WHERE seq = 5")
    result = store.verify_audit_chain()
    assert (result.intact, result.first_broken) == (False, 5)
    assert result.message == (
        "The audit trail is broken at event 5: event 5 at the end of the trail is missing, so it was deleted. "
        "Keep this database as it is and report it to the pharmacist in charge."
    )


def test_several_deleted_last_events_are_found(store: Store, tech: User, clock: FakeClock) -> None:
    _trail_of_five(store, tech, clock)
    _tamper(store, "DELETE FROM audit_events WHERE seq >= 4")
    result = store.verify_audit_chain()
    assert (result.intact, result.first_broken) == (False, 4)
    assert result.message.startswith(
        "The audit trail is broken at event 4: events 4 to 5 at the end of the trail are missing, so they were deleted."
    )


def test_audit_verify_on_the_command_line(
    store: Store, tech: User, clock: FakeClock, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _trail_of_five(store, tech, clock)
    assert main(["--db", db_url, "audit", "verify"]) == 0
    assert capsys.readouterr().out == (
        "The audit trail is intact: 5 events checked. The tables match the trail. "
        f"Database ID: {store.audit.database_id()}.\n"
    )

    _tamper(store, 'UPDATE audit_events SET after = \'{"step":"review"}\' WHERE seq = 5')
    assert main(["audit", "verify", "--db", db_url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("The audit trail is broken at event 5: event 5 (draft_saved by tina on ")


def test_audit_show_one_preparation(
    store: Store, tech: User, clock: FakeClock, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    prep_id = _trail_of_five(store, tech, clock)
    other = new_prep("PSI-OTHER", "Olga Other")
    store.start_preparation(other, tech, WORKSTATION)

    assert main(["--db", db_url, "audit", "show", "--preparation", prep_id[:8]]) == 0
    out = capsys.readouterr().out
    assert out.count("\n#") + out.startswith("#") == 4
    assert "Olga Other" not in out
    assert out.startswith(
        f"#2  2026-05-04 08:30:00 UTC  Tina Tech (tina)  at hood-1  preparation_started  preparation {prep_id[:8]}\n"
        f"    Started preparation {prep_id[:8]} for John Smith.\n"
    )
    assert '    step: "identity" → "weight"\n' in out

    assert main(["--db", db_url, "audit", "show", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[5]["summary"] == f"Started preparation {other.id[:8]} for Olga Other."


def test_audit_show_an_unknown_preparation(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    Store.open(db_url).close()  # the pharmacy's database, with no preparation in it
    assert main(["--db", db_url, "audit", "show", "--preparation", "deadbeef"]) == 2
    assert capsys.readouterr().err == (
        "There is no preparation “deadbeef”. Check its id in the History window or with “hemgenix-prep audit show”.\n"
    )
