"""``state_rows.stored_time``: the text fast path gives exactly the datetime round trip's text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from hemgenix_desktop.storage.state_rows import stored_time


def _round_trip(value: str) -> str:
    moment = datetime.fromisoformat(value)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)))
def test_a_utc_time_as_the_program_writes_it(moment: datetime) -> None:
    text = moment.isoformat()  # Signature.to_dict's form: +00:00, microseconds only when there are some
    assert stored_time(text) == _round_trip(text)


def test_other_forms_take_the_round_trip_and_what_is_no_time_stays() -> None:
    for text in (
        "2026-12-01T15:33:00+01:00",
        "2026-12-01T15:33:00.123+00:00",
        "2026-12-01 15:33:00",
        datetime(2026, 12, 1, 9, 33, tzinfo=timezone(timedelta(hours=-6))).isoformat(),
    ):
        assert stored_time(text) == _round_trip(text)
    assert stored_time("not a time") == "not a time"
    assert stored_time(None) is None
