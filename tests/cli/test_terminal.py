"""cli/terminal.py: what every ``hemgenix-prep`` command reads from and writes to the terminal (issue 16)."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest

from hemgenix_desktop.cli.terminal import EscapingOutput, StrictInput, escape_text, one_line, strict_input
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.private_files import UnreadableFileError, read_regular_file


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Plain text, “quotes”, é, 72 kg → 144 mL", "Plain text, “quotes”, é, 72 kg → 144 mL"),
        ("two\nlines", "two\nlines"),
        ("\x1b[31mred", "\\u001b[31mred"),
        ("\x9b", "\\u009b"),
        ("tab\there", "tab\\u0009here"),
        ("\u202eevil", "\\u202eevil"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("\udcff", "\\udcff"),
        ("\U000e0041", "\\udb40\\udc41"),  # a tag character (invisible): a JSON surrogate pair
    ],
)
def test_escape_text(text: str, shown: str) -> None:
    assert escape_text(text) == shown


def test_one_line_escapes_the_line_break_too_and_json_reads_the_escapes_back() -> None:
    value = "Dave\n#99 forged\x1b[2J\u202e\U000e0041"
    assert one_line(value) == "Dave\\u000a#99 forged\\u001b[2J\\u202e\\udb40\\udc41"
    assert json.loads(f'"{one_line(value)}"') == value


def test_a_terminal_that_cannot_show_a_character_gets_its_escape() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    out = EscapingOutput(stream)
    assert out.write("Café ✓\x1b") == 7
    out.writelines(["\n", "ok"])
    out.flush()
    assert raw.getvalue() == b"Caf\xe9 \\u2713\\u001b\nok"


def test_standard_input_is_read_as_utf8_lines() -> None:
    data = "first line\nsecond é\nthird"
    reader = StrictInput(io.StringIO(), io.BytesIO(data.encode("utf-8")))
    assert list(reader) == ["first line\n", "second é\n", "third"]
    assert StrictInput(io.StringIO(), io.BytesIO(data.encode("utf-8"))).read() == data
    assert StrictInput(io.StringIO(), io.BytesIO(data.encode("utf-8"))).read(5) == "first line\n"
    with pytest.raises(InvalidInput) as caught:
        StrictInput(io.StringIO(), io.BytesIO(b"ok\nno \xff\n")).read()
    assert caught.value.message.startswith("What came on standard input is not UTF-8 text (byte 0xff at position 4")
    text_only = io.StringIO("no bytes underneath")
    assert strict_input(text_only) is text_only  # a test's stand-in is left as it is


def test_a_socket_is_not_read_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "socket"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(
            OSError, match="No such device or address"
        ):  # a socket cannot even be opened as a file: the caller's own sentence
            read_regular_file(path, 100)
    finally:
        server.close()
    small = tmp_path / "small"
    small.write_bytes(b"12345")
    assert read_regular_file(small, 5) == b"12345"
    with pytest.raises(UnreadableFileError) as caught:
        read_regular_file(small, 4, "record PDF")
    assert caught.value.message == (
        f"{small} is bigger than 4 bytes, far more than any record PDF Hemgenix Prep makes, so it was not read. "
        "Check that it is the right file."
    )
