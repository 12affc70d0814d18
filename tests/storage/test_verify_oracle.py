"""``audit verify`` made fast (issue 13) says exactly what it said before, on every database.

The oracle (tests/storage/verify_oracle.py) is the verifier as it was: SQLAlchemy rows, the content as
``canonical_json`` of the event's dict, every replayed value in memory. The content text is compared with it over
arbitrary values; the time as the driver gives it is compared with SQLAlchemy's reading; and on a database with
sealed preparations, signatures and amendments, every tampering (of the chain or of the tables) gets the same
result and the same sentences from both, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage import Store, trail_reader
from hemgenix_desktop.storage.audit import content_bytes, event_content
from hemgenix_desktop.storage.schema import audit_events
from hemgenix_desktop.storage.trail_reader import iso_column_reader, iso_reader, stream_events, time_reader
from tests.helpers.store import WORKSTATION, open_store_file
from tests.storage.test_state_check import ATTACKS, TABLES, _scene
from tests.storage.verify_oracle import oracle_content, oracle_verify

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")
SQLITE = create_engine("sqlite://").dialect  # no connection is made
POSTGRESQL = create_engine("postgresql+psycopg://").dialect

# Text that JSON escapes, and text that looks like the separator content_text splits at.
TRICKY = st.sampled_from(['"', "\\", "\x00", "\\u0000", "\\\x00", "\n\t\r\b\f", "\x1f\x7f", "“é”", "\u2028", "%s"])
TEXT = st.one_of(st.text(), st.lists(st.one_of(TRICKY, st.text(max_size=5))).map("".join))
MOMENTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC))


@settings(max_examples=400, deadline=None)
@given(
    seq=st.integers(min_value=0, max_value=2**63),
    at=MOMENTS,
    texts=st.lists(TEXT, min_size=8, max_size=8),
    preparation_id=st.none() | TEXT,
    software_version=st.none() | TEXT,
)
@example(
    seq=1,
    at=datetime(2026, 5, 4, 8, 30, tzinfo=UTC),
    texts=["tina", "Tina Tech", "hood-1", "draft_saved", "Saved “x”.", '{"a":1}', "{}", "0" * 64],
    preparation_id=None,
    software_version=None,
)
@pytest.mark.slow
def test_the_content_text_is_the_canonical_json_of_the_event(
    seq: int, at: datetime, texts: list[str], preparation_id: str | None, software_version: str | None
) -> None:
    username, full_name, workstation, action, summary, before, after, prev_hash = texts
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "username": username,
        "full_name": full_name,
        "workstation": workstation,
        "action": action,
        "preparation_id": preparation_id,
        "summary": summary,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
        "software_version": software_version,
    }
    assert event_content(**fields).encode() == oracle_content(**fields).encode()
    assert _bytes_of(fields) == oracle_content(**fields).encode()


def _bytes_of(fields: dict[str, Any]) -> bytes:
    """``content_bytes`` (what audit verify hashes) of an event given as ``event_content``'s fields."""
    return content_bytes(
        fields["action"], fields["after"], fields["at"].isoformat(), fields["before"], fields["full_name"],
        fields["preparation_id"], fields["prev_hash"], fields["seq"], fields["software_version"], fields["summary"],
        fields["username"], fields["workstation"],
    )  # fmt: skip


def test_every_character_is_written_as_the_json_module_writes_it() -> None:
    """orjson writes the content when every value is text: each code point (all 1,112,064 of them that UTF-8 can
    hold), in a value of each kind, comes out as the json module's ``ensure_ascii=False`` writes it; a lone surrogate
    is refused as encoding the oracle's text refuses it."""
    every = "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF)
    for name in ("summary", "after", "username", "preparation_id", "software_version"):
        fields: dict[str, Any] = {
            "seq": 7, "at": datetime(2026, 5, 4, tzinfo=UTC), "username": "tina", "full_name": "Tina Tech",
            "workstation": WORKSTATION, "action": "draft_saved", "preparation_id": "p", "summary": "s",
            "before": "{}", "after": "{}", "prev_hash": "0" * 64, "software_version": "1.0", name: every,
        }  # fmt: skip
        assert _bytes_of(fields) == oracle_content(**fields).encode(), name
        fields[name] = f"a{chr(0xD800)}b"
        with pytest.raises(UnicodeEncodeError):
            oracle_content(**fields).encode()
        with pytest.raises(UnicodeEncodeError):
            _bytes_of(fields)


@pytest.mark.parametrize(
    "odd",
    [5, 5.0, True, None, b"bytes", "5"],
    ids=["int", "float", "bool", "null", "bytes", "text"],
)
def test_a_value_of_another_type_is_written_as_canonical_json_writes_it(odd: Any) -> None:
    """A column changed behind the program's back can hold any type SQLite allows: the text (and the bytes audit
    verify hashes), or the error, is the oracle's."""
    for name in ("seq", "summary", "after", "prev_hash"):
        fields: dict[str, Any] = {
            "seq": 3,
            "at": datetime(2026, 5, 4, tzinfo=UTC),
            "username": "tina",
            "full_name": "Tina Tech",
            "workstation": WORKSTATION,
            "action": "draft_saved",
            "preparation_id": "p",
            "summary": "s",
            "before": "{}",
            "after": "{}",
            "prev_hash": "0" * 64,
            "software_version": "1.0",
            name: odd,
        }
        expected: str | type[Exception]
        try:
            expected = oracle_content(**fields)
        except (TypeError, ValueError) as error:
            expected = type(error)
        if isinstance(expected, str):
            assert event_content(**fields) == expected
            assert _bytes_of(fields) == expected.encode()
        else:
            with pytest.raises(expected):
                event_content(**fields)
            with pytest.raises(expected):
                _bytes_of(fields)


def _as_sqlalchemy_reads(dialect: Any, value: Any) -> datetime | type[Exception]:
    try:
        moment = audit_events.c.at.type.dialect_impl(dialect).result_processor(dialect, None)(value)  # type: ignore[misc]
    except (TypeError, ValueError) as error:
        return type(error)
    assert isinstance(moment, datetime)
    return moment


def _as_read(dialect: Any, value: Any) -> datetime | type[Exception]:
    try:
        return time_reader(dialect)(value)
    except (TypeError, ValueError) as error:
        return type(error)


def _iso_as_read(dialect: Any, value: Any) -> str | type[Exception]:
    """What audit verify hashes of the time: ``iso_reader``'s text, or its error."""
    try:
        return iso_reader(dialect)(value)
    except (TypeError, ValueError) as error:
        return type(error)


def _iso(read: datetime | type[Exception]) -> str | type[Exception]:
    return read.isoformat() if isinstance(read, datetime) else read


@pytest.mark.parametrize(
    "text",
    [
        "2026-05-04 08:30:00.000000",
        "2026-05-04 08:30:00.000001",
        "2026-02-30 08:30:00.000000",  # no such day
        "2026-02-29 08:30:00.000000",  # nor this one (2026 is not a leap year)
        "2028-02-29 08:30:00.000000",
        "0000-01-01 00:00:00.000000",
        "0001-01-01 00:00:00.000000",
        "2026-05-04 24:00:00.000000",
        "2026-05-04 23:60:00.000000",
        "2026-05-04 23:59:60.000000",
        "2026-05-04 08:30:00.00000",
        "2026-05-04T08:30:00.000000",
        "2026-05-04 08:30:00.000000+02:00",
        "٢٠٢٦-05-04 08:30:00.000000",  # digits of another script
        "2026-05-04 08:30:00.٠٠٠٠٠٠",
    ],
)
def test_the_time_texts_audit_verify_rewrites_itself_read_as_sqlalchemy_reads_them(text: str) -> None:
    """``iso_reader`` rewrites SQLite's stored text without making a datetime: the same text, or the same error."""
    assert _iso_as_read(SQLITE, text) == _iso(_as_sqlalchemy_reads(SQLITE, text))


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    whole_second=st.booleans(),
    stored=st.sampled_from(["%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d"]),
    garbage=st.text(max_size=30),
)
@pytest.mark.slow
def test_the_time_is_read_as_sqlalchemy_reads_it(
    moment: datetime, whole_second: bool, stored: str, garbage: str
) -> None:
    """SQLite's stored text (microseconds zero or not, any other text written behind the program's back), and
    PostgreSQL's datetimes (naive as stored, or aware): the same aware UTC moment, or the same refusal."""
    if whole_second:
        moment = moment.replace(microsecond=0)
    texts = [moment.strftime(stored).rjust(10, "0"), garbage, f"{moment.isoformat()}+02:00", 20260504]
    for value in texts:
        assert _as_read(SQLITE, value) == _as_sqlalchemy_reads(SQLITE, value)
        assert _iso_as_read(SQLITE, value) == _iso(_as_sqlalchemy_reads(SQLITE, value))
    for value in (moment, moment.replace(tzinfo=UTC), moment.replace(tzinfo=timezone(timedelta(hours=2)))):
        assert _as_read(POSTGRESQL, value) == _as_sqlalchemy_reads(POSTGRESQL, value)
        assert _iso_as_read(POSTGRESQL, value) == _iso(_as_sqlalchemy_reads(POSTGRESQL, value))
    assert time_reader(SQLITE)(moment.isoformat(" ", "microseconds")).isoformat() == (
        moment.replace(tzinfo=UTC).isoformat()
    )


def _isos_each_alone(dialect: Any, values: list[Any]) -> list[str] | type[Exception]:
    try:
        return list(map(iso_reader(dialect), values))
    except (TypeError, ValueError) as error:
        return type(error)


def _isos_as_read(read: Any, values: list[Any]) -> list[str] | type[Exception]:
    try:
        result: list[str] = read(values)
    except (TypeError, ValueError) as error:
        return type(error)
    return result


_ODD_TIMES = [
    "2026-02-30 08:30:00.000000",
    "0000-01-01 00:00:00.000000",
    "2026-05-04 24:00:00.000000",
    "2026-05-04 08:30:00.000000\n",
    "2026-05-04 08:30:00.000000+02:00",
    "٢٠٢٦-05-04 08:30:00.000000",
    "2026-05-04T08:30:00.000000",
    20260504,
    None,
]
_STORED_TIMES = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
    lambda moment: moment.isoformat(" ", "microseconds")
)


@settings(max_examples=300, deadline=None)
@given(
    chunks=st.lists(
        st.lists(
            st.one_of(
                _STORED_TIMES,
                _STORED_TIMES.map(lambda text: text[:20] + "000000"),  # a whole second
                st.sampled_from(_ODD_TIMES),
                st.text(max_size=30),
            ),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=4,
    )
)
@pytest.mark.slow
def test_a_chunks_times_are_read_as_each_one_alone(chunks: list[list[Any]]) -> None:
    """``iso_column_reader`` on SQLite (one reader for a run, chunk after chunk): each chunk's texts are
    ``iso_reader``'s, or its refusal."""
    read = iso_column_reader(SQLITE)
    for values in chunks:
        assert _isos_as_read(read, values) == _isos_each_alone(SQLITE, values)


# --- whole databases, tampered -----------------------------------------------------------------------------
Attack = Callable[[str], None]

CHAIN_ATTACKS = [
    "UPDATE audit_events SET summary = 'Nothing happened.' WHERE seq = 9",
    "UPDATE audit_events SET at = '2026-05-04 09:30:00' WHERE seq = 9",
    "UPDATE audit_events SET hash = '" + "f" * 64 + "' WHERE seq = 7",
    "UPDATE audit_events SET prev_hash = '" + "e" * 64 + "' WHERE seq = 12",
    "DELETE FROM audit_events WHERE seq = 11",
    "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
    "UPDATE audit_head SET last_seq = last_seq + 2",
    "UPDATE audit_head SET last_hash = '" + "d" * 64 + "'",
    "DELETE FROM audit_head",
]
STATE_ATTACKS = [sql for _, sql, _ in ATTACKS] + [
    "UPDATE signatures SET content_sha256 = 'x' WHERE amendment = 1",
    "DELETE FROM amendments WHERE id = '{amended}'",
    "DELETE FROM users WHERE username = 'olga'",
    "UPDATE users SET employee_number = 'E-9' WHERE username = 'tina'",
    "UPDATE preparations SET carton_gtin = NULL, carton_serial = NULL WHERE id = '{sealed}'",
]
SQLITE_ONLY = [  # a row its events still name (no foreign key checked), types a column was not declared with
    "DELETE FROM preparations WHERE id = '{draft}'",
    "UPDATE audit_events SET summary = 5 WHERE seq = 9",
    "UPDATE audit_events SET seq = 9.0 WHERE seq = 9",
    "UPDATE signatures SET amendment = 1.0 WHERE amendment = 1",
    "UPDATE preparations SET carton_serial = 7 WHERE id = '{sealed}'",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def scene(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Attack]]:
    if request.param == "sqlite":
        path = tmp_path / "hemgenix.sqlite3"
        with open_store_file(path) as store:
            ids = _scene(store)
        _forged_and_late_events(f"sqlite:///{path}", ids)

        def attack(sql: str) -> None:
            conn = sqlite3.connect(path)
            try:
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
                    conn.execute(f"DROP TRIGGER {name}")
                conn.execute(sql.replace("TRUE", "1"))
                conn.commit()
            finally:
                conn.close()

        yield f"sqlite:///{path}", ids, attack
        return
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    with Store.open(PG_URL) as store:
        ids = _scene(store)
    _forged_and_late_events(PG_URL, ids)
    engine = create_engine(PG_URL)

    def pg_attack(sql: str) -> None:
        with engine.begin() as conn:
            for table in TABLES:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            conn.exec_driver_sql(sql)

    yield PG_URL, ids, pg_attack
    engine.dispose()


def _forged_and_late_events(url: str, ids: dict[str, str]) -> None:
    """Events the program never writes, each with a correct hash: one voiding a sealed preparation, and one dated
    half an hour before the others."""
    with Store.open(url) as store:
        tina = store.users.get("tina")
        assert tina is not None
        store.audit.record_event(
            tina, WORKSTATION, AuditAction.PREPARATION_VOIDED, "Voided.", preparation_id=ids["sealed"]
        )
    with Store.open(url, clock=lambda: datetime.now(UTC) - timedelta(minutes=30)) as store:
        store.audit.record_event(tina, WORKSTATION, AuditAction.SCREEN_LOCKED, "Locked “early”.")


def _same_as_the_oracle(url: str) -> None:
    with Store.open(url) as store:
        result, findings = store.audit.verify_trail_and_state()
        expected, expected_findings = oracle_verify(store)
    assert result == expected
    assert findings == expected_findings


def test_an_untouched_database_gives_the_oracles_findings(scene: tuple[str, dict[str, str], Attack]) -> None:
    url, _, _ = scene
    _same_as_the_oracle(url)
    with Store.open(url) as store:
        findings = store.audit.verify_trail_and_state()[1]
    assert len(findings) == 2  # the forged void and the early event, named


@pytest.mark.parametrize("sql", CHAIN_ATTACKS + STATE_ATTACKS)
def test_each_tampering_gives_the_oracles_result_and_sentences(
    scene: tuple[str, dict[str, str], Attack], sql: str
) -> None:
    url, ids, attack = scene
    attack(sql.format(**ids))
    _same_as_the_oracle(url)


@pytest.mark.parametrize("sql", ["", *CHAIN_ATTACKS, *STATE_ATTACKS])
def test_walked_a_few_events_at_a_time_each_tampering_gives_the_same(
    scene: tuple[str, dict[str, str], Attack], sql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk checks a chunk at a time and walks a chunk with anything unusual in it again event by event: chunks
    of three events put each break, each forged event and each late one in a chunk of its own or beside others, and
    at a chunk's first or last place, and the result and the sentences stay the oracle's."""
    monkeypatch.setattr(trail_reader, "CHUNK", 3)
    url, ids, attack = scene
    if sql:
        attack(sql.format(**ids))
    _same_as_the_oracle(url)


@pytest.mark.parametrize("sql", SQLITE_ONLY)
def test_odd_types_written_into_sqlite_give_the_oracles_result(tmp_path: Path, sql: str) -> None:
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        ids = _scene(store)
    conn = sqlite3.connect(path)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(sql.format(**ids))
        conn.commit()
    finally:
        conn.close()
    _same_as_the_oracle(f"sqlite:///{path}")


def test_postgresql_streams_the_trail_through_a_server_side_cursor() -> None:
    """Never the whole trail in memory: the rows wait on the server, a chunk at a time, while the walk goes on."""
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    with Store.open(PG_URL) as store:
        _scene(store)
        with store.reading(snapshot=True) as conn:
            events = stream_events(conn)
            first = next(events)
            cursors = list(conn.exec_driver_sql("SELECT name FROM pg_cursors").scalars())
            rest = list(events)
    assert first[0] == 1
    assert cursors == ["hemgenix_verify"]
    assert [event[0] for event in rest] == list(range(2, len(rest) + 2))


@pytest.mark.slow
def test_a_damaged_trail_is_reported_as_damage_while_the_walk_fails_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The integrity check runs beside the walk: when the trail's own pages are scrambled the walk fails too, and
    the sentence is still the integrity check's."""
    from hemgenix_desktop.cli import main

    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        _scene(store)
        tech = store.users.get("tina")
        assert tech is not None
        for number in range(300):
            store.audit.record_event(tech, WORKSTATION, AuditAction.SCREEN_LOCKED, f"Locked {number}.")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_events'").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\x07" * 64)
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The database file is damaged (SQLite's integrity check: "), err
    assert "Traceback" not in err
