"""``smoke-test --out DIR``: the real wizard offscreen, from sign-in to print, on throwaway data.

Everything it makes lives in a temporary folder that is deleted afterwards: the database (``HEMGENIX_DB_URL``),
the data folder with its site certificate (``XDG_DATA_HOME``) and even ``HOME``, so nothing reaches the
user's folders or the pharmacy's records. Only ``record.pdf``, ``label.pdf`` and the throwaway site certificate
that signed the record (``site-certificate.pem``, for ``verify --certificate``) are written into DIR.
Exit 0 only when every step worked; each step prints one line.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hemgenix_desktop.cli import given_path
from hemgenix_desktop.private_files import private_folder

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
_FAILURES_OF_NOW = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})
OUTPUTS = ("record.pdf", "label.pdf", "site-certificate.pem")


def register(subparsers: Any) -> None:
    smoke = subparsers.add_parser(
        "smoke-test",
        help="run the wizard offscreen from sign-in to print on throwaway data; writes record.pdf and label.pdf",
    )
    smoke.add_argument("--out", metavar="DIR", type=given_path, required=True, help="where record.pdf and label.pdf go")
    smoke.set_defaults(func=run_smoke_test)


@contextmanager
def _throwaway_environment(work: Path) -> Iterator[None]:
    """Point every place the program keeps data at ``work`` (restored afterwards)."""
    wanted = {
        "HEMGENIX_DB_URL": f"sqlite:///{work / 'hemgenix-prep.sqlite3'}",
        "HOME": str(work / "home"),
        "XDG_DATA_HOME": str(work / "data-home"),
        "XDG_CONFIG_HOME": str(work / "config-home"),
        "XDG_CACHE_HOME": str(work / "cache-home"),
        "QT_QPA_PLATFORM": "offscreen",
        # a throwaway site key in a file, encrypted with a throwaway passphrase; never the site's token
        "HEMGENIX_SITE_KEY_SECRET": secrets.token_urlsafe(24),
        "HEMGENIX_PKCS11_MODULE": "",
        "HEMGENIX_PKCS11_TOKEN": "",
        "HEMGENIX_PKCS11_KEY_LABEL": "",
    }
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    for name in ("home", "data-home", "config-home", "cache-home"):
        (work / name).mkdir()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_smoke_test(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and not out.is_dir():  # README: an --out that is a file is invalid input
        sys.stderr.write(
            f"{out} is a file, not a folder. Give --out a folder to write record.pdf and label.pdf into.\n"
        )
        return EXIT_INVALID
    try:
        private_folder(out)  # made owner-only when missing: the files are practice data, but the rule is one
        for name in OUTPUTS:  # a file left from an earlier run must not pass for this one
            (out / name).unlink(missing_ok=True)
    except OSError as exc:
        sys.stderr.write(f"The folder {out} cannot be used ({exc.strerror or exc}). Give a folder you can write to.\n")
        # a folder that cannot be written is invalid input; a full disk or a failing one is a failure of now
        return EXIT_FAILED if exc.errno in _FAILURES_OF_NOW else EXIT_INVALID
    with tempfile.TemporaryDirectory(prefix="hemgenix-smoke-") as folder:
        work = Path(folder)
        with _throwaway_environment(work):
            from hemgenix_desktop.ui.smoke import run_smoke  # Qt is imported only here

            def say(line: str) -> None:
                print(line, flush=True)

            code: int = run_smoke(out.resolve(), work, say)
    if code != EXIT_OK:  # a failed run leaves no file that could pass for a good one
        for name in OUTPUTS:
            with contextlib.suppress(OSError):
                (out / name).unlink(missing_ok=True)
    return code
