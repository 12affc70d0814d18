"""What ``hemgenix-prep`` takes from and gives to the terminal, made safe once for every command.

* :func:`check_arguments`: an argument that is not UTF-8 text (Python hands it over with lone surrogates) is refused
  with a sentence before any command sees it, so it never reaches a database or an encoder.
* :class:`StrictInput` replaces standard input: every line is read as UTF-8, whole, of bounded length; anything
  else is an ``InvalidInput`` sentence (exit code 2) instead of a traceback or a mangled password.
* :class:`EscapingOutput` replaces standard output and standard error: control characters (escape sequences,
  carriage returns, the C1 set), bidirectional overrides and isolates, zero-width and other invisible format
  characters, line and paragraph separators and lone surrogates, wherever they come from (a name stored in the
  database, a value in the audit trail, an argument echoed in a sentence), are written as ``\\uXXXX``, never sent
  to the terminal. Only the line break passes. The same escape is a valid JSON escape, so ``--json`` output stays
  valid JSON with the same values.
"""

from __future__ import annotations

import errno
import unicodedata
from collections.abc import Iterator, Sequence
from typing import IO, Any, TextIO

from hemgenix_desktop.domain.errors import InvalidInput

MAX_INPUT_LINE = 64 * 1024  # a password or a scanned code is a few hundred bytes at most
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_KEPT = frozenset("\n")


def _unsafe(char: str) -> bool:
    return char not in _KEPT and unicodedata.category(char) in _UNSAFE_CATEGORIES


def _escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a JSON-style surrogate pair, so that JSON output stays valid
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape_text(text: str) -> str:
    """``text`` with every character that could act on a terminal or hide itself written as ``\\uXXXX``."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escape_char(char) if _unsafe(char) else char for char in text)


def one_line(text: str) -> str:
    """``text`` as :func:`escape_text` gives it, with a line break inside it escaped too: for a line of output
    built from stored values (a name, a summary, a workstation), so that a value can never forge a line."""
    return escape_text(text).replace("\n", "\\u000a")


def check_arguments(argv: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 text (raises :class:`InvalidInput` with the sentence)."""
    for position, word in enumerate(argv, start=1):
        if any(unicodedata.category(char) == "Cs" for char in word):
            raise InvalidInput(
                f"Argument {position} (“{escape_text(word)}”) is not UTF-8 text: its bytes shown as \\udcXX are not "
                "letters in any alphabet. Type it again, or set the terminal to UTF-8."
            )


class EscapingOutput:
    """A text stream that writes through to ``stream`` with :func:`escape_text` applied (see the module)."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream  # None: Python's, when the command was started with that output closed

    def write(self, text: str) -> int:
        if self.stream is None:  # said as a sentence by the command line (``cli._run``), not a traceback
            raise OSError(errno.EBADF, "the output it writes to is closed")
        safe = escape_text(text)
        encoding = (getattr(self.stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if encoding != "utf8":  # a terminal that cannot show a character gets its escape, not an error
            safe = safe.encode(encoding, "backslashreplace").decode(encoding)
        self.stream.write(safe)
        return len(text)

    def writelines(self, lines: Iterator[str] | Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer, close, …
        return getattr(self.stream, name)


class StrictInput:
    """Standard input read as UTF-8 lines of at most :data:`MAX_INPUT_LINE` bytes; other bytes raise
    :class:`InvalidInput` with a sentence (see the module)."""

    def __init__(self, stream: TextIO, buffer: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = buffer

    def readline(self, size: int = -1) -> str:
        limit = MAX_INPUT_LINE if size is None or size < 0 else min(size, MAX_INPUT_LINE)
        raw = self.buffer.readline(limit + 1)
        if len(raw) > limit:
            raise InvalidInput(
                f"A line on standard input is longer than {MAX_INPUT_LINE // 1024} KB, so it was not read. Give "
                "only what is asked for (for a password, one line)."
            )
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"What came on standard input is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position "
                f"{exc.start + 1} of the line). Give the text in UTF-8; nothing was changed."
            ) from None

    def read(self, size: int = -1) -> str:
        lines: list[str] = []
        while size < 0 or sum(map(len, lines)) < size:
            line = self.readline()
            if not line:
                break
            lines.append(line)
        return "".join(lines)

    def __iter__(self) -> Iterator[str]:
        while line := self.readline():
            yield line

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, close, …
        return getattr(self.stream, name)


def strict_input(stream: TextIO) -> TextIO:
    """``stream`` as :class:`StrictInput` when it has bytes underneath (a real standard input), else itself."""
    buffer = getattr(stream, "buffer", None)
    return stream if buffer is None else StrictInput(stream, buffer)  # type: ignore[return-value]


__all__ = ["EscapingOutput", "StrictInput", "check_arguments", "escape_text", "one_line", "strict_input"]
