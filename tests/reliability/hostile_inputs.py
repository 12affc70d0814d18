"""The hostile inputs given to the whole command line (issue 16), one row per case, by class.

Each row is what a user (or an attacker at the workstation) can give ``hemgenix-prep``: the arguments, the bytes
on standard input, the environment, the files and databases the arguments name. ``test_hostile_input.py`` runs
each row through the command's real entry function (``hemgenix_desktop.cli.main`` with the argument list and the
standard-input bytes a terminal hands over) and asserts the class's promise; ``figures.py`` counts the rows for
docs/reliability.md.

Placeholders in ``argv`` and ``env`` are filled in by the test: ``{db}`` the database URL of the row's kind,
``{tmp}`` the test's folder, ``{fifo}`` a named pipe, ``{folder}`` a folder, ``{huge}`` a 60 MB sparse file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The classes, in the order docs/reliability.md lists them.
CLASSES: dict[str, str] = {
    "arguments": "arguments that are not UTF-8 (lone surrogates), in every command",
    "stdin": "standard input that is not UTF-8, or a line longer than 64 KB",
    "files": "a named pipe, a device, a folder or a 60 MB file where a file is read",
    "database": "a database that is not a file, not SQLite, truncated, another program's or of a newer schema, "
    "in every command that opens one",
    "kept": "an in-memory or relative SQLite database (--db or HEMGENIX_DB_URL), in every command that opens one",
    "settings": "deeply nested TOML, 10,000-digit numbers, over-long values in `settings set` and the settings file",
    "environment": "environment values (HEMGENIX_WORKSTATION, HEMGENIX_DB_URL, USER) over-long or with a line break",
    "output": "control, escape, bidi and zero-width characters in stored text printed by `users list` and "
    "`audit show` (text and JSON)",
    "whole": "files written on a full disk (a 64 KB tmpfs): whole or not at all",
}

RECORD_ID = "HGX-20261203-ABCDEFGH"
PASSWORD = b"a long enough password here\n"
SIGNER_PASSWORD = b"unused password\n"  # the password of the pharmacist "ada" who signs in (tests/helpers/store.py)
SIGN_IN = ["--username", "ada", "--password-stdin"]  # an administrative command signs a pharmacist in first

# Every subcommand that opens the database, as a user types it (``--db`` is added by the test).
DB_COMMANDS: dict[str, list[str]] = {
    "users add": ["users", "add", "zoe", "--full-name", "Zoe Zed", "--role", "technician", *SIGN_IN],
    "users list": ["users", "list"],
    "users disable": ["users", "disable", "zoe"],
    "users enable": ["users", "enable", "zoe"],
    "users reset-password": ["users", "reset-password", "zoe", *SIGN_IN],
    "audit verify": ["audit", "verify"],
    "audit show": ["audit", "show"],
    "records show": ["records", "show", RECORD_ID],
    "reprint": ["reprint", RECORD_ID, "--out", "{tmp}/copies"],
}

# Every subcommand, with a word that is not UTF-8 (what Python makes of the bytes 0xff 0xfe in an argument).
BAD = "\udcff\udcfe"
EVERY_COMMAND: dict[str, list[str]] = {
    "dose": ["dose", f"72{BAD}"],
    "carton": ["carton", f"(01)00300530150153(17)271231(10){BAD}"],
    "kits": ["kits", BAD],
    "gui": ["gui", "--db", f"sqlite:////tmp/{BAD}.sqlite3"],
    "--db before the command": ["--db", f"sqlite:////tmp/{BAD}", "users", "list"],
    "users add": ["users", "add", f"zoe{BAD}", "--full-name", "Zoe", "--role", "pharmacist"],
    "users add --full-name": ["users", "add", "zoe", "--full-name", f"Zoe{BAD}", "--role", "pharmacist"],
    "users list": ["users", "list", "--db", f"sqlite:////tmp/{BAD}"],
    "users disable": ["users", "disable", f"zoe{BAD}"],
    "users enable": ["users", "enable", f"zoe{BAD}"],
    "users reset-password": ["users", "reset-password", f"zoe{BAD}"],
    "audit verify": ["audit", "verify", "--db", f"sqlite:////tmp/{BAD}"],
    "audit show": ["audit", "show", "--preparation", BAD],
    "verify": ["verify", f"record{BAD}.pdf"],
    "site import-certificate": ["site", "import-certificate", f"site{BAD}.p12"],
    "site show-certificate": ["site", "show-certificate", "--data-dir", f"/tmp/{BAD}"],
    "records show": ["records", "show", BAD],
    "reprint": ["reprint", BAD, "--out", "/tmp/copies"],
    "smoke-test": ["smoke-test", "--out", f"/tmp/{BAD}"],
    "settings show": ["settings", "show", BAD],
    "settings set": ["settings", "set", "site_name", f"St. {BAD}"],
}


@dataclass(frozen=True)
class Case:
    """One hostile input: its class, a name, the argument list, standard input, the environment added, the exit
    code and the beginning of the one sentence on stderr (None: any one sentence)."""

    kind: str
    name: str
    argv: list[str]
    code: int = 2
    sentence: str | None = None
    stdin: bytes = b""
    env: dict[str, str] = field(default_factory=dict)


_NOT_UTF8 = "What came on standard input is not UTF-8 text"
_ARGUMENT = "hemgenix-prep: Argument "

ARGUMENT_CASES = [Case("arguments", name, argv, 2, _ARGUMENT) for name, argv in EVERY_COMMAND.items()]

STDIN_CASES = [
    Case("stdin", "users add: a password with the byte 0xff", DB_COMMANDS["users add"], 2, _NOT_UTF8,
         b"a long enough\xff password\n"),
    Case("stdin", "users add: half a UTF-8 character", DB_COMMANDS["users add"], 2, _NOT_UTF8,
         b"a long enough password \xc3\n"),
    Case("stdin", "users reset-password: Latin-1 bytes", DB_COMMANDS["users reset-password"], 2, _NOT_UTF8,
         "caf\u00e9 au lait is long enough\n".encode("latin-1")),
    Case("stdin", "site import-certificate: the pharmacist's password with 0xfe", ["site", "import-certificate",
         "{tmp}/site.p12", *SIGN_IN, "--data-dir", "{tmp}/data", "--db", "{db}"], 2, _NOT_UTF8, b"pass\xfeword\n"),
    Case("stdin", "users add: a 100 KB line", DB_COMMANDS["users add"], 2, "A line on standard input is longer",
         b"x" * 100_000 + b"\n"),
]  # fmt: skip

FILE_CASES = [
    Case("files", "verify a named pipe", ["verify", "{fifo}"], 2, "NOT VERIFIED: {fifo} is a named pipe"),
    Case("files", "verify /dev/zero", ["verify", "/dev/zero"], 2, "NOT VERIFIED: /dev/zero is a device"),
    Case("files", "verify a 60 MB file", ["verify", "{huge}"], 2, "NOT VERIFIED: {huge} is bigger than 50 MB"),
    Case("files", "verify a folder", ["verify", "{folder}"], 2, "NOT VERIFIED: {folder} cannot be read (Is a dir"),
    Case("files", "verify a file not there", ["verify", "{tmp}/none.pdf"], 2,
         "NOT VERIFIED: {tmp}/none.pdf cannot be read (No such file"),
    Case("files", "verify --certificate a folder", ["verify", "{pdf}", "--certificate", "{folder}"], 2,
         "NOT VERIFIED: The certificate file {folder} cannot be read (Is a dir"),
    Case("files", "site import-certificate a folder", ["site", "import-certificate", "{folder}",
         "--password-stdin", "--data-dir", "{tmp}/data"], 2, "{folder} cannot be read (Is a dir"),
    Case("files", "site import-certificate a file not there", ["site", "import-certificate", "{tmp}/none.p12",
         "--password-stdin", "--data-dir", "{tmp}/data"], 2, "{tmp}/none.p12 cannot be read (No such file"),
    Case("files", "verify --certificate a named pipe", ["verify", "{pdf}", "--certificate", "{fifo}"], 2,
         "NOT VERIFIED: {fifo} is a named pipe"),
    Case("files", "site import-certificate a named pipe", ["site", "import-certificate", "{fifo}",
         "--password-stdin", "--data-dir", "{tmp}/data"], 2, "{fifo} is a named pipe"),
    Case("files", "site import-certificate /dev/zero", ["site", "import-certificate", "/dev/zero",
         "--password-stdin", "--data-dir", "{tmp}/data"], 2, "/dev/zero is a device"),
    Case("files", "HEMGENIX_CONFIG a named pipe", ["users", "list"], 2, "The settings file {fifo} cannot be used",
         env={"HEMGENIX_CONFIG": "{fifo}"}),
    Case("files", "HEMGENIX_CONFIG /dev/zero", ["audit", "verify"], 2, "The settings file /dev/zero cannot be used",
         env={"HEMGENIX_CONFIG": "/dev/zero"}),
]  # fmt: skip

# The database kinds: made by the test (``test_hostile_input.unusable_database``).
DATABASE_KINDS = ("text file", "truncated", "another program's", "newer schema", "named pipe", "folder")
# ``audit verify`` opens a database as it is and reports a schema version not its own as a finding (exit 1).
DATABASE_CASES = [
    Case("database", f"{command}: {kind}", argv, 1 if (command, kind) == ("audit verify", "newer schema") else 2,
         None) for kind in DATABASE_KINDS for command, argv in DB_COMMANDS.items()
]  # fmt: skip

KEPT_URLS = {
    "sqlite:///:memory:": "An in-memory database keeps nothing",
    "sqlite://": "An in-memory database keeps nothing",
    "sqlite:///relative.sqlite3": "The SQLite file relative.sqlite3 is given without its full path",
}
KEPT_CASES = [
    Case("kept", f"{command}: --db {url}", [*argv, "--db", url], 2, sentence)
    for url, sentence in KEPT_URLS.items()
    for command, argv in DB_COMMANDS.items()
] + [
    Case("kept", f"{command}: HEMGENIX_DB_URL={url}", argv, 2,
         f"The environment variable HEMGENIX_DB_URL sets database_url to “{url}”, which cannot be used.",
         env={"HEMGENIX_DB_URL": url})
    for url in KEPT_URLS
    for command, argv in DB_COMMANDS.items()
    if command not in ("records show", "reprint")  # they name the database first: covered with --db above
]  # fmt: skip

NESTED = "site_name = " + "[" * 5000 + "]" * 5000 + "\n"
DIGITS = "9" * 10_000
SETTINGS_CASES = [
    Case("settings", "set a 10,000-digit number", ["settings", "set", "idle_lock_minutes", DIGITS], 2,
         "Minutes before the screen locks must be a whole number from 1 to 60"),
    Case("settings", "set 1 followed by 10,000 zeros", ["settings", "set", "lockout_minutes", "1" + "0" * 10_000],
         2, "Minutes an account stays locked must be a whole number from 1 to 1440"),
    Case("settings", "set 5,000 brackets as a name", ["settings", "set", "site_name", "[" * 5000], 2,
         "Site name must be at most 80 characters long"),
    Case("settings", "set 10,000 characters as the workstation", ["settings", "set", "workstation_name", "W" * 10_000],
         2, "Workstation name must be at most 64 characters long"),
    Case("settings", "set a workstation with a line break", ["settings", "set", "workstation_name", "WS\n#99 forged"],
         2, "Workstation name must be one line"),
    Case("settings", "set, the file nested 5,000 deep", ["settings", "set", "site_name", "X"], 2,
         "The settings file {tmp}/settings.toml cannot be used (it is not valid TOML: a value is nested too deeply)",
         env={"HEMGENIX_CONFIG": "{tmp}/settings.toml"}),
    Case("settings", "users list, the file nested 5,000 deep", ["users", "list"], 2,
         "The settings file {tmp}/settings.toml cannot be used (it is not valid TOML: a value is nested too deeply)",
         env={"HEMGENIX_CONFIG": "{tmp}/settings.toml"}),
    Case("settings", "set, the file with a 10,000-digit number", ["settings", "set", "site_name", "Y"], 2,
         "The settings file {tmp}/digits.toml cannot be used (it is not valid TOML: a number has too many digits)",
         env={"HEMGENIX_CONFIG": "{tmp}/digits.toml"}),
]  # fmt: skip

ADD_YAN = [
    "users",
    "add",
    "yan",
    "--full-name",
    "Yan Yu",
    "--role",
    "technician",
    "--employee-number",
    "E-YAN",
    *SIGN_IN,
]
ENVIRONMENT_CASES = [
    Case("environment", "HEMGENIX_WORKSTATION of 10,000 characters", ADD_YAN, 0,
         "", SIGNER_PASSWORD, {"HEMGENIX_WORKSTATION": "W" * 10_000}),
    Case("environment", "HEMGENIX_WORKSTATION with a line break", ADD_YAN, 0,
         "", SIGNER_PASSWORD, {"HEMGENIX_WORKSTATION": "PHARM-WS-01\n#99  2026-01-01 forged"}),
    Case("environment", "HEMGENIX_DB_URL with a line break", ["users", "list"], 2,
         "The environment variable HEMGENIX_DB_URL sets database_url", env={"HEMGENIX_DB_URL": "sqlite:////tmp/x\n.db"}),
    Case("environment", "HEMGENIX_DB_URL of 10,000 characters", ["audit", "verify"], 2,
         "The environment variable HEMGENIX_DB_URL sets database_url",
         env={"HEMGENIX_DB_URL": "sqlite:////" + "d" * 10_000}),
    Case("environment", "USER and LOGNAME with a line break", DB_COMMANDS["users add"], 2,
         "The operating-system account name", PASSWORD, {"USER": "pat\n#99 forged", "LOGNAME": "pat\n#99 forged"}),
    Case("environment", "USER and LOGNAME of 10,000 characters", DB_COMMANDS["users add"], 2,
         "The operating-system account name", PASSWORD, {"USER": "p" * 10_000, "LOGNAME": "p" * 10_000}),
]  # fmt: skip

# Text stored with characters that act on a terminal or hide themselves (a name as typed, a value written by
# another program into the database), and the commands that print it.
HOSTILE_TEXT = {
    "escape sequence": "\x1b[2J\x1b[31mRED",
    "C1 control (CSI)": "\x9b31m",
    "bell and backspace": "\x07\x08\x08",
    "carriage return": "\roverwritten",
    "right-to-left override": "\u202eevil\u202c",
    "bidi isolate": "\u2066x\u2069",
    "zero-width space and joiner": "a\u200bb\u200dc",
    "byte order mark": "\ufeff",
    "line separator": "\u2028",
    "line break": "\n#99  2026-01-01 00:00:00 UTC  forged line",
}
OUTPUT_COMMANDS = {
    "users list": ["users", "list"],
    "users list --json": ["users", "list", "--json"],
    "audit show": ["audit", "show"],
    "audit show --json": ["audit", "show", "--json"],
}
OUTPUT_CASES = [
    Case("output", f"{command}: {what}", argv, 0, "") for what in HOSTILE_TEXT for command, argv in
    OUTPUT_COMMANDS.items()
]  # fmt: skip

WHOLE_CASES = [
    Case("whole", "reprint --out a full disk", ["reprint", "{record}", "--out", "{full}/copies"], 2, None),
    Case("whole", "settings set into a full disk", ["settings", "set", "site_name", "St. Example", *SIGN_IN], 2,
         None, SIGNER_PASSWORD, env={"HEMGENIX_CONFIG": "{full}/settings.toml"}),
    Case("whole", "site import-certificate into a full disk", ["site", "import-certificate", "{tmp}/site.p12",
         *SIGN_IN, "--approver", "zoe", "--approver-password-stdin", "--file-password-stdin", "--data-dir",
         "{full}/data"], 1, None, SIGNER_PASSWORD * 2 + b"s3cret\n"),
    Case("whole", "smoke-test --out a full disk", ["smoke-test", "--out", "{full}/smoke"], 1, None),
]  # fmt: skip

CASES: list[Case] = [
    *ARGUMENT_CASES,
    *STDIN_CASES,
    *FILE_CASES,
    *DATABASE_CASES,
    *KEPT_CASES,
    *SETTINGS_CASES,
    *ENVIRONMENT_CASES,
    *OUTPUT_CASES,
    *WHOLE_CASES,
]


def class_counts() -> dict[str, int]:
    counts = dict.fromkeys(CLASSES, 0)
    for case in CASES:
        counts[case.kind] += 1
    return counts
