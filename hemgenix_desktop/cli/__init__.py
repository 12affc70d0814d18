"""The ``hemgenix-prep`` command. A contract other tools depend on: see README.md.

Exit codes: 0 done; 2 the input is invalid (a sentence on stderr); 3 a clinical stop (a sentence on stderr).
Each group of subcommands lives in its own module and registers itself; ``_COMMANDS`` says which module has
which command, so that a command loads only its own module (``gui`` starts sooner).
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from hemgenix_desktop import __version__
from hemgenix_desktop.cli.terminal import EscapingOutput, check_arguments, strict_input
from hemgenix_desktop.domain.errors import ClinicalStop, DataFileError, DomainError, InvalidInput
from hemgenix_desktop.third_party_warnings import silence_third_party_deprecations

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_STOP = 3
EXIT_FAILED = 1

# Modules that define ``register(subparsers) -> None``; each subcommand sets ``func`` on its parser.
_COMMAND_MODULES = (
    "hemgenix_desktop.cli.clinical",
    "hemgenix_desktop.cli.gui",
    "hemgenix_desktop.cli.users",
    "hemgenix_desktop.cli.audit",
    "hemgenix_desktop.cli.records",
    "hemgenix_desktop.cli.sealed_records",
    "hemgenix_desktop.cli.smoke",
    "hemgenix_desktop.cli.settings",
    "hemgenix_desktop.cli.database",
)
# Each top-level command and the module above that registers it (tests/cli/test_cli.py checks they agree).
_COMMANDS = {
    "dose": "hemgenix_desktop.cli.clinical",
    "carton": "hemgenix_desktop.cli.clinical",
    "kits": "hemgenix_desktop.cli.clinical",
    "gui": "hemgenix_desktop.cli.gui",
    "users": "hemgenix_desktop.cli.users",
    "audit": "hemgenix_desktop.cli.audit",
    "backup": "hemgenix_desktop.cli.audit",
    "verify": "hemgenix_desktop.cli.records",
    "site": "hemgenix_desktop.cli.records",
    "records": "hemgenix_desktop.cli.sealed_records",
    "reprint": "hemgenix_desktop.cli.sealed_records",
    "smoke-test": "hemgenix_desktop.cli.smoke",
    "settings": "hemgenix_desktop.cli.settings",
    "database": "hemgenix_desktop.cli.database",
}
_TOP_OPTIONS_WITH_VALUE = ("--db",)
_NEGATIVE_NUMBER = re.compile(r"-\s*(\d|\.\d|inf|nan)", re.IGNORECASE)  # -72kg, -.5, -inf, -Infinity, -nan
_GIVEN_WRONG = (errno.ENAMETOOLONG, errno.ELOOP)  # the path as given cannot name a file: exit 2

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage with exit code 2 and one sentence (it already does; keep it so)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"hemgenix-prep: {message[0].upper() + message[1:]}. See hemgenix-prep --help.\n")
        raise SystemExit(EXIT_INVALID)


class _VersionAction(argparse.Action):
    """``--version``: the lines of Help → About that need no database (hemgenix_desktop.about)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option: str | None = None
    ) -> None:
        lines: list[str] = import_module("hemgenix_desktop.cli.gui").version_lines()
        sys.stdout.write("\n".join([f"hemgenix-prep {__version__}", *lines[1:]]) + "\n")
        parser.exit()


def given(text: str) -> str:
    """An option's value (or a path) as typed, refused when empty or blank: argparse then says so, exit 2. An empty
    ``--db`` was taken for "not given" (the configured database), an empty ``--out`` or ``--data-dir`` for the
    current folder, an empty ``--checkpoints`` for no checkpoints (exit 0 with none checked)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the value is empty; give one (an empty value is never taken for the default)")
    return text


def given_path(text: str) -> Path:
    """A path as typed (``given``)."""
    return Path(given(text))


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db URL`` on a subcommand (``hemgenix-prep users --db URL list``); ``hemgenix-prep --db URL users``
    works too. Shared by the commands that use the database."""
    parser.add_argument(
        "--db",
        metavar="URL",
        type=given,
        default=argparse.SUPPRESS,
        help="the database (default: $HEMGENIX_DB_URL, else a SQLite file in your data folder)",
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line. With ``argv`` naming a command, only that command's module is loaded and registered
    (the others are not needed to parse it); with no command at all (the desktop's launcher: the wizard), only
    ``gui``'s; otherwise (``--help``, an unknown command, ``argv`` not given) all are."""
    parser = _Parser(
        prog="hemgenix-prep",
        description="Hemgenix Prep: prepare one patient's Hemgenix dose, checked at every step.",
        epilog="Exit codes: 0 done, 1 failed, 2 invalid input, 3 clinical stop.",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version, the licence, the Qt and PySide6 versions and the database schema, and exit",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        type=given,
        help="the database (default: $HEMGENIX_DB_URL, else a SQLite file in your data folder)",
    )
    import_module("hemgenix_desktop.cli.key_secret").add_pin_option(parser)  # `hemgenix-prep --pin-stdin reprint …`
    import_module("hemgenix_desktop.cli.gui").add_gui_options(parser)  # `hemgenix-prep --practice` = `gui --practice`
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    command = _command_in(argv)
    if command is None and argv is not None and _starts_the_wizard(argv):
        command = "gui"  # registering every command would import about a hundred modules (some 100 ms) for nothing
    for name in (_COMMANDS[command],) if command is not None else _COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The known command ``argv`` names (the first word that is neither an option nor an option's value)."""
    words = iter(argv or ())
    for word in words:
        if any(len(word) > 2 and option.startswith(word) for option in _TOP_OPTIONS_WITH_VALUE):  # --db, --d
            next(words, None)
        elif not word.startswith("-"):
            return word if word in _COMMANDS else None
    return None


def _negative_weight_last(argv: Sequence[str]) -> list[str]:
    """``dose -72kg``, ``dose -inf``: argparse takes a word that starts with "-" (and is not a plain number) for an
    option and said "the following arguments are required: WEIGHT". Such a word is given to ``dose`` as its WEIGHT
    (after ``--``, the options before it), so the weight's own sentence says what is wrong with it."""
    words = list(argv)
    if _command_in(words) != "dose" or "--" in words:
        return words
    start = words.index("dose") + 1
    negative = [i for i in range(start, len(words)) if _NEGATIVE_NUMBER.match(words[i])]
    if len(negative) != 1 or words[negative[0] - 1] == "--unit":
        return words
    weight = words.pop(negative[0])
    return [*words, "--", weight]


def _starts_the_wizard(argv: Sequence[str]) -> bool:
    """Whether ``argv`` names no command and does not ask for help (which lists every command): the wizard starts."""
    words = iter(argv)
    for word in words:
        if word.startswith(("-h", "--h")):  # -h, --help, or an abbreviation of it
            return False
        if any(len(word) > 2 and option.startswith(word) for option in _TOP_OPTIONS_WITH_VALUE):  # --db URL
            next(words, None)
        elif not word.startswith("-"):
            return False  # a command (a known one was found before this is asked)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Standard input, output and error are made safe for the whole run (``cli/terminal.py``:
    UTF-8 lines only in, no control, bidi or invisible characters out), and every error the program words itself
    becomes its sentence and exit code (:func:`_run`): never a traceback for something a user gave."""
    silence_third_party_deprecations()  # a library's deprecation is for the developers, not for the user
    if argv is None:
        argv = sys.argv[1:]
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = strict_input(sys.stdin)
    sys.stdout, sys.stderr = EscapingOutput(sys.stdout), EscapingOutput(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def _run(argv: Sequence[str]) -> int:
    try:
        check_arguments(argv)
    except InvalidInput as exc:
        sys.stderr.write(f"hemgenix-prep: {exc.message}\n")
        return EXIT_INVALID
    parser = build_parser(argv)
    args = parser.parse_args(_negative_weight_last(argv))
    func: Handler = getattr(args, "func", None) or _default_handler(parser)
    try:
        import_module("hemgenix_desktop.cli.key_secret").set_up(args)
        return func(args)
    except BrokenPipeError:  # e.g. piped into `head`: the reader went away, nothing to report
        sys.stderr.close()
        return EXIT_OK
    except InvalidInput as exc:
        sys.stderr.write(f"{exc.message}\n")
        return EXIT_INVALID
    except ClinicalStop as exc:
        sys.stderr.write(f"CLINICAL STOP: {exc.message}\n")
        return EXIT_STOP
    except DataFileError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return EXIT_FAILED
    except DomainError as exc:  # e.g. a PDF that could not be saved (records.outputs.PdfSaveError)
        sys.stderr.write(f"{exc.message}\n")
        return EXIT_FAILED
    except RecursionError:
        sys.stderr.write(
            "What was given is nested too deeply to be read (a list in a list in a list …), so nothing was done. "
            "Check the value or the file.\n"
        )
        return EXIT_INVALID
    except OSError as exc:  # a path or a stream the command was given refused it (a name too long, a full disk)
        sys.stderr.write(f"{_os_error_sentence(exc)}\n")
        return EXIT_INVALID if exc.errno in _GIVEN_WRONG else EXIT_FAILED
    except Exception as exc:
        code = _storage_exit_code(exc)
        if code is None:
            raise
        sys.stderr.write(f"{exc}\n")
        return code


def _os_error_sentence(exc: OSError) -> str:
    """The sentence of an operating-system error no command words itself: what refused, and what to do."""
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename is not None else ""
    if exc.errno in _GIVEN_WRONG:
        return (
            f"A path given cannot be used: {reason}{where}. Give a shorter or different path; nothing was done with it."
        )
    return (
        f"The command stopped: the system refused to read or write{where}: {reason}. Check the path, the disk and the "
        "output it writes to, then try again."
    )


def _storage_exit_code(exc: Exception) -> int | None:
    """The exit code of the storage layer's errors (exit 2: a database that is not a usable Hemgenix Prep database,
    as given; 1: one that cannot be reached or written now), or None for another error. The storage layer is
    looked up only when it is loaded, so that commands without a database never import it."""
    errors = sys.modules.get("hemgenix_desktop.storage.errors")
    if errors is None or not isinstance(exc, errors.StorageError):
        return None
    return EXIT_INVALID if isinstance(exc, errors.UnusableDatabaseError) else EXIT_FAILED


def _default_handler(parser: argparse.ArgumentParser) -> Handler:
    """With no subcommand: start the wizard (the ``gui`` module sets this up)."""
    gui = import_module("hemgenix_desktop.cli.gui")
    run: Handler = gui.run_default
    return run
