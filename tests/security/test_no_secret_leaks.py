"""No password or hash is ever printed, logged, or written anywhere but the users table."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from hemgenix_desktop.security.signin import SignInRefused, SignInService
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.schema import users

ROOT = Path(__file__).resolve().parents[2]
FIRST = "Sphinx of black quartz 1"
SECOND = "judge my vow 2 please"
WRONG = "Wrong-Guess-Password-3"
WEAK = "tinaXYZ"  # refused by the policy: must not be echoed either


def _cli(db_url: str, *args: str, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | {"HEMGENIX_DB_URL": db_url},
        check=False,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout + result.stderr


@pytest.mark.slow
def test_no_password_or_hash_outside_the_users_table(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db_path = tmp_path / "db.sqlite3"
    db_url = f"sqlite:///{db_path}"
    output = [
        _cli(
            db_url,
            "users",
            "add",
            "pam",
            "--full-name",
            "Pam Pharm",
            "--role",
            "pharmacist",
            "--employee-number",
            "E1",
            "--password-stdin",
            stdin=FIRST + "\n",
        ),
        _cli(
            db_url,
            "users",
            "add",
            "tom",
            "--full-name",
            "Tom",
            "--role",
            "technician",
            "--employee-number",
            "E2",
            "--username",
            "pam",
            "--password-stdin",
            stdin=WEAK + "\n",
        ),  # a wrong password: refused
    ]
    added = _cli(
        db_url,
        "users",
        "add",
        "tina",
        "--full-name",
        "Tina Tech",
        "--role",
        "technician",
        "--employee-number",
        "E3",
        "--username",
        "pam",
        "--password-stdin",
        stdin=FIRST + "\n",
    )
    one_time = added.split("One-time password for tina: ")[1].split()[0]  # printed once, deliberately
    output += [
        _cli(db_url, "users", "change-password", "tina", "--password-stdin", stdin=f"{one_time}\n{WEAK}\n"),
        _cli(db_url, "users", "change-password", "tina", "--password-stdin", stdin=f"{one_time}\n{SECOND}\n"),
        _cli(db_url, "users", "list"),
        _cli(db_url, "users", "list", "--json"),
    ]

    caplog.set_level(logging.DEBUG)
    with Store.open(db_url) as store:
        signin = SignInService(store)
        signin.sign_in("tina", SECOND, "hood-1")
        for password in (WRONG, FIRST):
            with pytest.raises(SignInRefused) as info:
                signin.sign_in("tina", password, "hood-1")
            output.append(info.value.message)
        with store.engine.connect() as conn:
            hashes = [str(h) for h in conn.execute(select(users.c.password_hash)).scalars()]
            other_tables = [name for name in inspect(conn).get_table_names() if name != "users"]
            dumped = [repr(row) for name in other_tables for row in conn.execute(text(f"SELECT * FROM {name}"))]
    output += [
        _cli(db_url, "audit", "show"),
        _cli(db_url, "audit", "show", "--json"),
        _cli(db_url, "audit", "verify"),
    ]

    assert len(hashes) == 2
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert any("sign_in_failed" in row for row in dumped)  # the attempts were audited …
    everything_but_users = "\n".join(output + dumped + [caplog.text])
    for secret in (FIRST, SECOND, WRONG, WEAK, *hashes, *(h.split("$")[-1] for h in hashes)):
        assert secret not in everything_but_users  # … without the password or its hash
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("db.sqlite3"))
    for password in (FIRST, SECOND, WRONG, WEAK):
        assert password.encode() not in files  # not even in free pages of the database file
