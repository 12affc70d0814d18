"""``verify`` and ``site``: check a record PDF; import and show the site's record-signing certificate, encrypt its
key file, and trust a retired certificate (a pharmacist, audited)."""

from __future__ import annotations

import argparse
import errno
import getpass
import sys
from pathlib import Path
from typing import Any

from hemgenix_desktop.cli import add_db_option, given_path
from hemgenix_desktop.cli.credentials import add_signin_options
from hemgenix_desktop.private_files import UnreadableFileError, read_regular_file

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
MAX_RECORD_FILE = 50 * 1024 * 1024  # a record PDF is a few hundred KB; a .p12 or a certificate a few KB


def register(subparsers: Any) -> None:
    verify = subparsers.add_parser(
        "verify",
        help="check a record PDF: signature over the whole file, attached record, hash, site certificate",
    )
    verify.add_argument("file", metavar="FILE.pdf", type=given_path, help="the record PDF to check")
    verify.add_argument(
        "--certificate",
        metavar="CERT",
        type=given_path,
        help="check against this certificate (PEM or DER) instead of this site's",
    )
    verify.add_argument(
        "--tsa-certificate",
        metavar="CERT",
        type=given_path,
        help="trust a timestamp whose authority's certificate chains to this root (PEM or DER), as the authority "
        "publishes it",
    )
    _data_dir_option(verify)
    add_db_option(verify)
    verify.set_defaults(func=run_verify)

    site = subparsers.add_parser("site", help="the site's record-signing certificate")
    site_commands = site.add_subparsers(dest="site_command", metavar="SITE_COMMAND", parser_class=type(site))
    imp = site_commands.add_parser(
        "import-certificate",
        help="use the hospital's certificate and key from a PKCS#12 (.p12/.pfx) file (a pharmacist signs in, a "
        "second approves)",
    )
    imp.add_argument("file", metavar="FILE.p12", type=given_path, help="the PKCS#12 file")
    add_signin_options(imp, approval=True)
    imp.add_argument(
        "--file-password-stdin",
        action="store_true",
        help="read the PKCS#12 file's password from the next line of stdin (after the sign-in's lines)",
    )
    add_db_option(imp)
    _data_dir_option(imp)
    imp.set_defaults(func=run_import_certificate)
    show = site_commands.add_parser("show-certificate", help="print the site certificate's subject and fingerprint")
    _data_dir_option(show)
    show.set_defaults(func=run_show_certificate)
    encrypt = site_commands.add_parser(
        "encrypt-key", help="encrypt the site's key file in place with a passphrase (asked at every start)"
    )
    encrypt.add_argument(
        "--passphrase-stdin", action="store_true", help="read the new passphrase from the first line of stdin"
    )
    _data_dir_option(encrypt)
    encrypt.set_defaults(func=run_encrypt_key)
    trust = site_commands.add_parser(
        "trust-retired",
        help="a pharmacist trusts a retired site certificate, a second approves, so records signed with it still "
        "verify (audited)",
    )
    trust.add_argument("fingerprint", metavar="FINGERPRINT", help="the retired certificate's SHA-256 fingerprint")
    add_signin_options(trust, approval=True)
    _data_dir_option(trust)
    add_db_option(trust)
    trust.set_defaults(func=run_trust_retired)
    site.set_defaults(func=lambda args: _site_usage(site))


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=given_path,
        default=None,
        help="the data folder (default: the user's data folder)",
    )


def _data_dir(args: argparse.Namespace) -> Path:
    from hemgenix_desktop.security.site_keys import default_data_dir

    chosen: Path | None = args.data_dir
    return chosen if chosen is not None else default_data_dir()


def _site_usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    sys.stderr.write(
        "Choose what to do: import-certificate FILE.p12, show-certificate, encrypt-key or trust-retired FINGERPRINT.\n"
    )
    return 2


def _site_database_id() -> str | None:
    """The site's database ID (``database_id``). An unusable value (``HEMGENIX_DATABASE_ID``, or the settings
    file's) is said on stderr with the sentence ``settings show`` gives, and the next source's value is used: it was
    passed over without a word, so a mistyped ID left the record compared with another ID (or none) unseen."""
    from hemgenix_desktop.settings import resolve_setting

    resolved = resolve_setting("database_id")
    for warning in resolved.warnings:
        sys.stderr.write(f"{warning}\n")
    return str(resolved.value) or None


_TSA_ROOT = "the timestamp authority's root certificate (--tsa-certificate)"
# A file given that is not there, or a folder (or a path that cannot name a file): invalid input, as a named pipe
# or a device is (README, "Exit codes"); any other error reading it (a disk error) is a failure.
_NOT_A_FILE = frozenset({errno.ENOENT, errno.EISDIR, errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP})


def _read_exit_code(exc: OSError) -> int:
    return EXIT_INVALID if exc.errno in _NOT_A_FILE else EXIT_FAILED


def run_verify(args: argparse.Namespace) -> int:
    from hemgenix_desktop.records.verify import RecordNotVerified, database_lines, verify_record_pdf
    from hemgenix_desktop.security.site_keys import NotACertificate, SiteCertificateError, load_certificate_file

    path: Path = args.file
    try:
        data = read_regular_file(path, MAX_RECORD_FILE, "record PDF")
    except UnreadableFileError as exc:
        sys.stderr.write(f"NOT VERIFIED: {exc.message}\n")
        return EXIT_INVALID
    except OSError as exc:
        sys.stderr.write(f"NOT VERIFIED: {path} cannot be read ({exc.strerror}). Check the file name.\n")
        return _read_exit_code(exc)
    try:
        trusted = [load_certificate_file(args.certificate)] if args.certificate else _site_certificates(args)
        tsa_roots = [load_certificate_file(args.tsa_certificate, _TSA_ROOT)] if args.tsa_certificate else []
        result = verify_record_pdf(data, trusted, tsa_roots)
    except (RecordNotVerified, SiteCertificateError) as exc:
        sys.stderr.write(f"NOT VERIFIED: {exc.message}\n")
        cause = exc.__cause__
        given_wrong = isinstance(exc, NotACertificate) or isinstance(cause, UnreadableFileError)
        if isinstance(cause, OSError):  # --certificate or --tsa-certificate not there, or a folder
            given_wrong = _read_exit_code(cause) == EXIT_INVALID
        return EXIT_INVALID if given_wrong else EXIT_FAILED
    line, elsewhere = database_lines(result.record, _site_database_id())
    if elsewhere is not None:
        sys.stderr.write(f"NOT THIS SITE'S DATABASE: {elsewhere}\n")
        return EXIT_FAILED
    print(f"VERIFIED: record {result.record_id}")
    print(f"Record SHA-256: {result.sha256}")
    print(line)
    if result.audit_line is not None:
        print(result.audit_line)
    for line in result.amendment_lines():
        print(line)
    print(f"Signed by: {result.certificate_subject}")
    print(f"Certificate SHA-256: {result.certificate_fingerprint}")
    for line in (
        result.timestamp.lines()
        if result.timestamp is not None
        else ("Timestamp: none (signed without a timestamp authority)",)
    ):
        print(line)
    for signer in result.signers:
        print(signer)
    return EXIT_OK


def _site_certificates(args: argparse.Namespace) -> list[Any]:
    """This site's certificate and the retired ones a pharmacist trusted in the audit trail. With no database
    (a SQLite file not there) only the current certificate counts; one that cannot be opened: stderr says so."""
    from hemgenix_desktop.config import resolve_db_url
    from hemgenix_desktop.domain.errors import DomainError
    from hemgenix_desktop.security.site_keys import trusted_certificates
    from hemgenix_desktop.services.site_trust import site_certificates
    from hemgenix_desktop.storage import StorageError, Store
    from hemgenix_desktop.storage.glance import plain_sqlite_file

    url = resolve_db_url(getattr(args, "db", None))
    sqlite = plain_sqlite_file(url)
    if sqlite is not None and not sqlite.exists():  # no trail here: no retired certificate can be trusted
        return trusted_certificates(_data_dir(args))
    try:
        with Store.open(url) as store:
            return site_certificates(store, _data_dir(args))
    except (StorageError, DomainError) as exc:
        sys.stderr.write(f"{exc.message} Only the current site certificate is trusted.\n")
        return trusted_certificates(_data_dir(args))


def _read_password(from_stdin: bool) -> bytes | None:
    if from_stdin:
        line = sys.stdin.readline()
        text = line.removesuffix("\n").removesuffix("\r")
    else:
        text = getpass.getpass("Password of the PKCS#12 file: ")
    return text.encode("utf-8") if text else None


def run_import_certificate(args: argparse.Namespace) -> int:
    """A pharmacist signs in and a second approves (the key signs every record from now on), then the import and
    its audit event (``site_certificate_imported``)."""
    from hemgenix_desktop.cli import credentials
    from hemgenix_desktop.cli.users import open_store, reports_storage_errors
    from hemgenix_desktop.domain.vocabulary import AuditAction
    from hemgenix_desktop.security.site_keys import SiteCertificateError, import_pkcs12, load_site_certificate

    path: Path = args.file
    try:
        p12 = read_regular_file(path, MAX_RECORD_FILE, "PKCS#12 file")
    except UnreadableFileError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return EXIT_INVALID
    except OSError as exc:
        sys.stderr.write(f"{path} cannot be read ({exc.strerror}). Check the file name.\n")
        return _read_exit_code(exc)

    @reports_storage_errors
    def signed(args: argparse.Namespace) -> int:
        action = "importing the site's signing certificate"
        with open_store(args) as store:
            admin = credentials.administration(store)
            operator = credentials.sign_in(admin, args, action)
            approval = admin.require_approval(operator, credentials.approval(admin, operator, args, action), action)
            password = _read_password(bool(args.file_password_stdin))
            data_dir = _data_dir(args)
            try:
                before = load_site_certificate(data_dir)
                site = import_pkcs12(data_dir, p12, password)
            except SiteCertificateError as exc:
                sys.stderr.write(f"{exc.message}\n")
                return EXIT_FAILED
            replaced = f", replacing {before.fingerprint}" if before is not None else ""
            store.record_event(
                operator,
                admin.workstation,
                AuditAction.SITE_CERTIFICATE_IMPORTED,
                f"Imported the site's signing certificate {site.subject} (SHA-256 {site.fingerprint}){replaced}."
                + approval.summary(),
                before={"fingerprint": before.fingerprint if before is not None else None},
                after={"fingerprint": site.fingerprint, "subject": site.subject, **approval.details()},
                approval=approval,
            )
        print("The site certificate was imported; new records are signed with it.")
        _print_certificate(site)
        return EXIT_OK

    return signed(args)


def run_show_certificate(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.site_keys import SiteCertificateError, load_site_certificate

    try:
        site = load_site_certificate(_data_dir(args))
    except SiteCertificateError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return EXIT_FAILED
    if site is None:
        sys.stderr.write(
            "This workstation has no site certificate yet. It is created when the first record is sealed, or "
            "import the hospital's with: hemgenix-prep site import-certificate FILE.p12\n"
        )
        return EXIT_FAILED
    _print_certificate(site)
    return EXIT_OK


def _read_line_or_ask(from_stdin: bool, question: str, *, twice: bool) -> str:
    """The site key file's new passphrase: the first line of standard input (``--passphrase-stdin``), or typed
    twice without echo."""
    from hemgenix_desktop.domain.errors import InvalidInput

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput(
                "Nothing came on standard input. Give the passphrase as its first line (--passphrase-stdin)."
            )
        text = line.removesuffix("\n").removesuffix("\r")
        if not text:
            raise InvalidInput(
                "The first line of standard input is empty: an empty passphrase protects nothing. Give the passphrase "
                "as that line; nothing was changed."
            )
        return text
    if not sys.stdin.isatty():
        raise InvalidInput(
            "There is no terminal to ask for the passphrase on. Give it as the first line of standard input with "
            "--passphrase-stdin; nothing was changed."
        )
    try:
        first = getpass.getpass(f"{question}: ")
        if twice and getpass.getpass("Type the same again: ") != first:
            raise InvalidInput("The two entries differ; nothing was changed. Try again.")
    except (EOFError, KeyboardInterrupt):
        raise InvalidInput("Nothing was given, so nothing was changed.") from None
    return first


def run_encrypt_key(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.site_keys import SiteCertificateError, encrypt_key_file

    passphrase = _read_line_or_ask(bool(args.passphrase_stdin), "New passphrase of the site key file", twice=True)
    try:
        changed = encrypt_key_file(_data_dir(args), passphrase)
    except SiteCertificateError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return EXIT_FAILED
    if changed:
        print("The site key file is now encrypted; its passphrase is asked for when the program starts.")
    else:
        print("The site key file was encrypted already; nothing was changed.")
    return EXIT_OK


def run_trust_retired(args: argparse.Namespace) -> int:
    """A pharmacist signs in and a second approves (records signed with that certificate count as this site's
    again, as an imported certificate's would), then the audited trust."""
    from hemgenix_desktop.cli import credentials
    from hemgenix_desktop.cli.users import open_store, reports_storage_errors
    from hemgenix_desktop.security.site_keys import fingerprint
    from hemgenix_desktop.services.site_trust import trust_retired

    @reports_storage_errors
    def signed(args: argparse.Namespace) -> int:
        action = "trusting a retired site certificate"
        with open_store(args) as store:
            admin = credentials.administration(store)
            operator = credentials.sign_in(admin, args, action)
            approval = admin.require_approval(operator, credentials.approval(admin, operator, args, action), action)
            cert = trust_retired(store, _data_dir(args), args.fingerprint, operator, admin.workstation, approval)
        print(f"The retired certificate {fingerprint(cert)} is trusted: records signed with it verify as this site's.")
        return EXIT_OK

    return signed(args)


def _print_certificate(site: Any) -> None:
    print(f"Subject: {site.subject}")
    print(f"Issuer: {site.issuer}{' (self-signed)' if site.self_signed else ''}")
    print(f"Valid: {site.not_valid_before:%Y-%m-%d} to {site.not_valid_after:%Y-%m-%d}")
    print(f"SHA-256 fingerprint: {site.fingerprint}")
    if site.token is not None:
        print(f"Key: on {site.token.describe()}; the PIN is asked when the program starts")
    elif site.key_file_encrypted:
        print(f"Key: {site.key_path}, encrypted with the site's passphrase")
    else:
        print(f"Key: {site.key_path}, NOT encrypted")
        sys.stderr.write(
            f"The site key file {site.key_path} is not encrypted: anyone who can read it can sign records as this "
            "site. Encrypt it with: hemgenix-prep site encrypt-key\n"
        )
