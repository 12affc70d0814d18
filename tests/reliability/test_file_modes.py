"""Every file and folder the program writes is its owner's only (0600 / 0700), whatever the umask and whatever the
database (issue 16, "Patient data on disk"): the record and label PDFs (a PostgreSQL site's too: their folder is
not the SQLite database's), the copies of a reprint, PDFs saved into a folder a user chose, the settings file, the
site key and certificates, the SQLite database, and the temporary files they are written through. Each kind is
written here under umask 022, the usual one, with which a file is 0644 and a folder 0755 unless the program says
otherwise. (The smoke test's outputs are checked by tests/cli/test_smoke.py.)"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop import private_files
from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.records.outputs import build_outputs, save_outputs
from hemgenix_desktop.security.site_keys import create_site_certificate, import_pkcs12, site_folder
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.errors import StorageError, UnusableDatabaseError
from tests.cli.sealed_store import sealed_store
from tests.helpers.preparations import sealed_record
from tests.helpers.store import add_user, open_store_file
from tests.security.test_seal_site_keys import hospital_p12


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes_under(folder: Path) -> dict[str, int]:
    """Every file and folder under ``folder`` (itself included) and its mode."""
    found = {".": mode(folder)}
    found.update({str(p.relative_to(folder)): mode(p) for p in folder.rglob("*")})
    return found


def owner_only(modes: dict[str, int], folder: Path) -> dict[str, int]:
    """The entries of ``modes`` that are not owner-only (empty when all are)."""
    return {name: value for name, value in modes.items() if value != (0o700 if (folder / name).is_dir() else 0o600)}


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_record_and_label_pdfs_of_a_site_whose_database_is_elsewhere(tmp_path: Path) -> None:
    """A PostgreSQL site: nothing made the data folder before the first record is saved into ``records/``."""
    data = tmp_path / "data-home" / "hemgenix-prep"
    site = create_site_certificate(tmp_path / "site", "St. Example")
    record, label = save_outputs(build_outputs(sealed_record(), site), data / "records")
    assert (mode(record), mode(label)) == (0o600, 0o600)
    assert owner_only(modes_under(data), data) == {}
    assert mode(tmp_path / "data-home") == 0o700  # every folder it had to make


def test_pdfs_saved_into_a_folder_the_user_chose(tmp_path: Path) -> None:
    chosen = tmp_path / "Desktop"
    chosen.mkdir()  # the user's own folder (0755) is left as it is; the files in it are the patient's
    site = create_site_certificate(tmp_path / "site", "St. Example")
    record, label = save_outputs(build_outputs(sealed_record(), site), chosen)
    assert (mode(record), mode(label), mode(chosen)) == (0o600, 0o600, 0o755)
    old = chosen / "old.pdf"
    old.write_bytes(b"%PDF")
    assert mode(old) == 0o644
    private_files.write_private(old, b"%PDF-1.7")  # a file replaced is owner-only too
    assert mode(old) == 0o600


@pytest.mark.slow
def test_a_reprint_into_a_new_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sealed = sealed_store(tmp_path / "pharmacy.sqlite3")
    sealed.store.close()
    out = tmp_path / "copies" / "today"
    code = main(["reprint", sealed.original.record_id, "--out", str(out), "--db", sealed.url, "--data-dir",
                 str(tmp_path / "data")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert len(list(out.iterdir())) == 2
    assert owner_only(modes_under(tmp_path / "copies"), tmp_path / "copies") == {}
    assert owner_only(modes_under(tmp_path / "data"), tmp_path / "data") == {}  # the site key made for it


@pytest.mark.slow
def test_the_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config-home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("HEMGENIX_CONFIG", raising=False)
    database = tmp_path / "pharmacy.sqlite3"
    with open_store_file(database) as store:  # `settings set` signs a pharmacist in (issue 14)
        add_user(store, "ada", "Ada Admin", Role.PHARMACIST)
    sign_in = ["--username", "ada", "--password-stdin", "--db", f"sqlite:///{database}"]
    monkeypatch.setattr("sys.stdin", io.StringIO("unused password\n"))
    assert main(["settings", "set", "site_name", "St. Example", *sign_in]) == 0, capsys.readouterr().err
    assert owner_only(modes_under(config), config) == {}
    named = tmp_path / "it" / "settings.toml"  # a file IT names with HEMGENIX_CONFIG, there already as 0644
    named.parent.mkdir()
    named.write_text('site_name = "Before"\n', encoding="utf-8")
    monkeypatch.setenv("HEMGENIX_CONFIG", str(named))
    monkeypatch.setattr("sys.stdin", io.StringIO("unused password\n"))
    assert main(["settings", "set", "printer", "Zebra", *sign_in]) == 0, capsys.readouterr().err
    assert mode(named) == 0o600


def test_the_site_key_and_certificates(tmp_path: Path) -> None:
    data = tmp_path / "data"
    create_site_certificate(data, "St. Example")
    p12, _ = hospital_p12(password=None)
    import_pkcs12(data, p12, None)  # the hospital's: the self-signed one retires (kept for old records)
    folder = site_folder(data)
    assert {p.name for p in folder.iterdir()} == {"key.pem", "certificate.pem", "chain.pem", "retired"}
    assert len(list((folder / "retired").iterdir())) == 1
    assert owner_only(modes_under(data), data) == {}


def test_the_sqlite_database_and_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "hemgenix-prep"
    with Store.open(f"sqlite:///{folder / 'hemgenix-prep.sqlite3'}") as store:
        store.verify_audit_chain()
        names = {p.name for p in folder.iterdir()}
        assert {"hemgenix-prep.sqlite3", "hemgenix-prep.sqlite3-wal", "hemgenix-prep.sqlite3-shm"} <= names
        assert owner_only(modes_under(folder), folder) == {}
    assert mode(tmp_path / "new") == 0o700


def test_temporary_files_are_owner_only_while_they_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, int] = {}
    real_place = private_files.place

    def watching(temporary: Path, path: Path) -> Path:
        seen[temporary.name] = mode(temporary)
        return real_place(temporary, path)

    monkeypatch.setattr(private_files, "place", watching)
    site = create_site_certificate(tmp_path / "site", "St. Example")
    save_outputs(build_outputs(sealed_record(), site), tmp_path / "records")
    assert len(seen) == 4  # the site key and certificate made on first use, the record and the label
    assert set(seen.values()) == {0o600}
    assert all(name.startswith(".") and name.endswith(".partial") for name in seen)
    assert not [p for p in (tmp_path / "records").iterdir() if p.name.endswith(".partial")]


def test_an_existing_database_is_made_owner_only_and_never_writable(tmp_path: Path) -> None:
    """Group and others lose their access to a database given as 0644; a copy kept read-only (0444) becomes 0400,
    not writable (it was chmod-ed to 0600, and a command then wrote to a read-only backup)."""
    database = tmp_path / "hemgenix.sqlite3"
    with Store.open(f"sqlite:///{database}"):
        pass
    database.chmod(0o644)
    with Store.open(f"sqlite:///{database}"):
        pass
    assert mode(database) == 0o600
    copy = tmp_path / "read-only-copy.sqlite3"
    copy.write_bytes(database.read_bytes())
    copy.chmod(0o444)
    with contextlib.suppress(StorageError):  # opening it may fail: it cannot be written
        Store.open(f"sqlite:///{copy}").close()
    assert mode(copy) == 0o400


def test_a_refused_file_keeps_its_mode(tmp_path: Path) -> None:
    """Another program's database (or a file that is no database) is refused and left as it was, its mode too."""
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE foo (x)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    for path in (foreign, text):
        path.chmod(0o644)
        with pytest.raises(UnusableDatabaseError):
            Store.open(f"sqlite:///{path}")
        assert mode(path) == 0o644
