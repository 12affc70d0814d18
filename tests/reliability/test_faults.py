"""Faults: a read-only database, a full disk, a database locked past the busy timeout, no printer, a PDF folder
that cannot be written. Each gives its sentence word for word, keeps what was entered (on screen, in memory and
what was saved before), and the same action succeeds once the fault is gone.

Met where a person meets them: the main window's autosave (sign in, fill a page, press Next: the page stays,
says why, keeps every value; Next again saves), the Done screen of the signing flow (the records folder, the
printer), and the command line; and below them, the Store and the PDF writer. FAULT_CASES counts them for
docs/reliability.md.
"""

from __future__ import annotations

import builtins
import io
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop import private_files
from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.outputs import PdfSaveError, RecordOutputs, build_outputs, save_outputs
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import SiteCertificate, create_site_certificate, trusted_certificates
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.storage import StorageError, Store, User
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.printing import PrintPreview, no_printer_sentence
from hemgenix_desktop.ui.signing import SigningFlow
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.helpers.preparations import fill_everything, new_prep, sealed_record
from tests.helpers.printer import FakePrinter
from tests.helpers.store import add_user
from tests.reliability.faults import (
    DISK_FULL,
    LOCKED,
    READ_ONLY,
    autosave_hook,
    commit_fails,
    disk_full,
    read_only,
    read_only_url,
    short_busy_timeout,
    url_of,
    write_locked,
)
from tests.ui.helpers import FILLERS, click, fill_eligibility, fill_order, find, press_next, text_of, walk_to
from tests.ui.helpers import make_wizard as ui_make_wizard
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, open_store, services, sign_in, wizard_of
from tests.ui.signing_helpers import make_bench, press_print, sign_through

WORKSTATION = "hood-1"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hemgenix.sqlite3"


@pytest.fixture
def store(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    short_busy_timeout(monkeypatch)  # before the first connection: 0.2 s instead of 15 s
    with Store.open(url_of(db_path)) as opened:
        yield opened


@pytest.fixture
def tech(store: Store) -> User:
    return add_user(store, "tina", "Tina Tech")


@pytest.fixture
def saved(store: Store, tech: User) -> Preparation:
    """A draft with every page's values, saved at the kit step."""
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    fill_everything(prep)
    store.save_draft(prep, "kit", tech, WORKSTATION)
    return prep


def _stored(store: Store, prep_id: str) -> dict[str, Any]:
    return store.load(prep_id).to_dict()


def _fails_with(sentence: str, action: Callable[[], object]) -> None:
    with pytest.raises(StorageError) as caught:
        action()
    assert caught.value.message == sentence


# --- read-only ------------------------------------------------------------------------------------------
def test_a_read_only_database_refuses_the_save_and_keeps_the_draft(
    store: Store, tech: User, saved: Preparation, db_path: Path
) -> None:
    before = _stored(store, saved.id)
    saved.weight_method = "bed scale"
    entered = saved.to_dict()
    with Store.open(read_only_url(db_path)) as read_only:
        _fails_with(READ_ONLY, lambda: read_only.save_draft(saved, "preparation", tech, WORKSTATION))
        assert saved.to_dict() == entered  # what was entered is still there, unchanged
        assert _stored(read_only, saved.id) == before  # what was saved before is still there (and readable)
        assert read_only.verify_audit_chain().intact
        other = new_prep("PSI-0002", "Mary Major")
        _fails_with(READ_ONLY, lambda: read_only.start_preparation(other, tech, WORKSTATION))
    store.save_draft(saved, "preparation", tech, WORKSTATION)  # the fault is gone: the same save succeeds
    assert _stored(store, saved.id) == entered | {"step": "preparation"}
    assert store.verify_audit_chain().intact


SIGNED_IN = ("--username", "phil", "--password-stdin")  # a pharmacist signs in first (issue 14)


def _password_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("unused password\n" * 4))  # tests.helpers.store.add_user's


@pytest.mark.slow
def test_a_read_only_database_on_the_command_line(
    store: Store,
    tech: User,
    pharmacist: User,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _password_on_stdin(monkeypatch)
    assert main(["users", "disable", "tina", *SIGNED_IN, "--db", read_only_url(db_path)]) == 1
    assert capsys.readouterr().err == READ_ONLY + "\n"
    assert store.users.get("tina") == tech  # nothing changed
    _password_on_stdin(monkeypatch)
    assert main(["users", "disable", "tina", *SIGNED_IN, "--db", url_of(db_path)]) == 0
    user = store.users.get("tina")
    assert user is not None
    assert not user.active


# --- disk full ------------------------------------------------------------------------------------------
def test_a_full_disk_refuses_the_save_and_keeps_the_last_one(store: Store, tech: User, saved: Preparation) -> None:
    last_saved = _stored(store, saved.id)
    failure = ""
    with disk_full(store):
        for reading in range(200):  # save until the file cannot grow any more
            saved.weight_method = f"standing scale, reading {reading}"
            try:
                store.save_draft(saved, "preparation", tech, WORKSTATION)
            except StorageError as exc:
                failure = exc.message
                break
            last_saved = _stored(store, saved.id)
        assert failure == DISK_FULL
        entered = saved.to_dict()
        assert _stored(store, saved.id) == last_saved  # the last good save is whole
        assert store.verify_audit_chain().intact
    store.save_draft(saved, "preparation", tech, WORKSTATION)
    assert _stored(store, saved.id) == entered | {"step": "preparation"}
    assert store.verify_audit_chain().intact


def test_a_full_disk_at_commit_saves_nothing_half(
    store: Store, tech: User, saved: Preparation, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, events = _stored(store, saved.id), len(store.audit_trail())
    saved.vials_counted = 14
    with commit_fails(store, monkeypatch) as failures:
        _fails_with(DISK_FULL, lambda: store.save_draft(saved, "preparation", tech, WORKSTATION))
        assert failures == [1]
    assert saved.vials_counted == 14
    assert _stored(store, saved.id) == before  # neither the draft nor its audit event
    assert len(store.audit_trail()) == events
    store.save_draft(saved, "preparation", tech, WORKSTATION)
    assert store.load(saved.id).vials_counted == 14
    assert len(store.audit_trail()) == events + 1
    assert store.verify_audit_chain().intact


# --- locked ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_database_locked_past_the_busy_timeout(store: Store, tech: User, saved: Preparation, db_path: Path) -> None:
    before = _stored(store, saved.id)
    saved.weight_method = "chair scale"
    with write_locked(db_path):
        _fails_with(LOCKED, lambda: store.save_draft(saved, "preparation", tech, WORKSTATION))
        assert _stored(store, saved.id) == before  # reading goes on while another program writes
    assert saved.weight_method == "chair scale"
    store.save_draft(saved, "preparation", tech, WORKSTATION)
    assert store.load(saved.id).weight_method == "chair scale"
    assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_a_locked_database_on_the_command_line(
    store: Store,
    tech: User,
    pharmacist: User,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _password_on_stdin(monkeypatch)
    with write_locked(db_path):
        assert main(["users", "disable", "tina", *SIGNED_IN, "--db", url_of(db_path)]) == 1
    assert capsys.readouterr().err == LOCKED + "\n"
    _password_on_stdin(monkeypatch)
    assert main(["users", "disable", "tina", *SIGNED_IN, "--db", url_of(db_path)]) == 0


# --- the wizard: a page whose autosave fails keeps its values, says why, and saves on the next try ----------
@dataclass
class Fault:
    name: str
    sentence: str
    inject: Callable[[Store, Path, pytest.MonkeyPatch], AbstractContextManager[Any]]


FAULTS = [
    Fault("disk full", DISK_FULL, lambda store, _path, patch: commit_fails(store, patch)),
    Fault("locked", LOCKED, lambda _store, path, _patch: write_locked(path)),
]


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(msgbox, "ask", lambda _parent, title, *_args, **_kw: asked.append(title))
    return asked


@pytest.mark.usefixtures("no_dialogs")
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
@pytest.mark.slow
def test_a_failed_autosave_keeps_the_page_and_its_values(
    fault: Fault, store: Store, tech: User, db_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    wizard = ui_make_wizard(hook=autosave_hook(store, tech, WORKSTATION))
    qtbot.addWidget(wizard)
    fill_order(wizard)
    press_next(wizard)
    prep_id = wizard.preparation.id
    assert store.summary(prep_id).step == "eligibility"

    fill_eligibility(wizard, inhibitor="0.1", titre="1:300")
    with fault.inject(store, db_path, monkeypatch):
        wizard.next_button().click()
        assert wizard.current_key() == "eligibility"  # the page did not advance
        assert text_of(wizard, "eligibilityStatusMessage") == fault.sentence
        assert wizard.next_button().isEnabled()  # the operator can press Next again
    assert find(wizard, QLineEdit, "eligibilityInhibitorEdit").text() == "0.1"
    assert find(wizard, QLineEdit, "eligibilityTitreEdit").text() == "1:300"
    assert wizard.preparation.step == "eligibility"
    assert store.summary(prep_id).step == "eligibility"
    assert store.load(prep_id).eligibility is None  # the failed save left nothing half-written

    press_next(wizard)  # the fault is gone: Next saves and moves on
    assert wizard.current_key() == "identity"
    stored = store.load(prep_id)
    assert stored.step == "identity"
    assert stored.eligibility == wizard.preparation.eligibility
    assert stored.to_dict() == wizard.preparation.to_dict()
    assert store.verify_audit_chain().intact


@pytest.mark.usefixtures("no_dialogs")
def test_a_read_only_database_under_the_wizard(store: Store, tech: User, db_path: Path, qtbot: QtBot) -> None:
    current = {"store": store}
    wizard = ui_make_wizard(hook=autosave_hook(lambda: current["store"], tech, WORKSTATION))
    qtbot.addWidget(wizard)
    fill_order(wizard)
    press_next(wizard)
    fill_eligibility(wizard)
    with Store.open(read_only_url(db_path)) as read_only:
        current["store"] = read_only
        wizard.next_button().click()
        assert wizard.current_key() == "eligibility"
        assert text_of(wizard, "eligibilityStatusMessage") == READ_ONLY
        assert wizard.next_button().isEnabled()
    current["store"] = store
    press_next(wizard)
    assert store.load(wizard.preparation.id).to_dict() == wizard.preparation.to_dict()


# --- the PDF folder ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteCertificate:
    return create_site_certificate(tmp_path_factory.mktemp("site"), "St. Example Infusion Pharmacy")


@pytest.fixture(scope="module")
def built(site: SiteCertificate) -> RecordOutputs:
    return build_outputs(sealed_record(), site)


def _permission_denied(monkeypatch: pytest.MonkeyPatch, _folder: Path) -> None:
    def refuse(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, mode, *args, **kwargs)

    monkeypatch.setattr(private_files, "open", refuse, raising=False)


def _disk_full_while_writing(monkeypatch: pytest.MonkeyPatch, _folder: Path) -> None:
    class FullFile(io.FileIO):
        def write(self, _data: Any) -> int:
            raise OSError(28, "No space left on device")

    def opener(path: Any, mode: str = "r", *_args: Any, **_kwargs: Any) -> Any:
        return FullFile(path, mode.replace("b", "")) if "w" in mode else builtins.open(path, mode)

    monkeypatch.setattr(private_files, "open", opener, raising=False)


def _a_file_in_the_way(_monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")


def _read_only_folder(_monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    folder.mkdir(parents=True)
    folder.chmod(0o500)


PDF_FAULTS: list[tuple[str, Callable[[pytest.MonkeyPatch, Path], None], str]] = [
    ("permission denied", _permission_denied, "Permission denied"),
    ("disk full while writing", _disk_full_while_writing, "No space left on device"),
    ("a file where the folder should be", _a_file_in_the_way, "File exists"),
    ("folder not writable", _read_only_folder, "Permission denied"),  # file modes do not stop root: skipped then
]


@pytest.mark.parametrize(("name", "inject", "reason"), PDF_FAULTS, ids=[f[0] for f in PDF_FAULTS])
def test_a_pdf_folder_that_cannot_be_written(
    name: str,
    inject: Callable[[pytest.MonkeyPatch, Path], None],
    reason: str,
    built: RecordOutputs,
    site: SiteCertificate,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if name == "folder not writable" and ROOT:
        pytest.skip("file modes do not stop root; the other cases here fail the same way")
    folder = tmp_path / "records"
    record_name, _ = built.file_names()
    kept = (built.record_pdf, built.label_pdf)
    with monkeypatch.context() as patch:
        inject(patch, folder)
        with pytest.raises(PdfSaveError) as caught:
            save_outputs(built, folder)
    assert caught.value.message == (
        f"{record_name} could not be saved in {folder} ({reason}). Choose a folder you can write to and save "
        "again; the record itself is kept."
    )
    assert (built.record_pdf, built.label_pdf) == kept
    if folder.is_dir():
        folder.chmod(0o700)
        assert list(folder.iterdir()) == []  # no half-written file and no leftover .partial
    elsewhere = tmp_path / "another folder"
    record_path, label_path = save_outputs(built, elsewhere)  # the user chooses another folder: it works
    assert record_path.read_bytes() == built.record_pdf
    assert label_path.read_bytes() == built.label_pdf
    assert verify_record_pdf(record_path.read_bytes(), [site.certificate]).record_id == built.record_id


# --- the main window: the autosave a person meets ------------------------------------------------------------
WINDOW_FAULTS = [
    Fault("read-only", READ_ONLY, lambda store, _path, _patch: read_only(store)),
    Fault("disk full", DISK_FULL, lambda store, _path, patch: commit_fails(store, patch)),
    Fault("locked", LOCKED, lambda _store, path, _patch: write_locked(path)),
]
WINDOW_PAGES = ["order", "weight"]  # the first save starts the preparation, later ones save the draft


def _on_page(wizard: PreparationWizard) -> dict[str, object]:
    """Everything the current page shows in its fields and buttons."""
    page = wizard.currentPage()
    shown: dict[str, object] = {edit.objectName(): edit.text() for edit in page.findChildren(QLineEdit)}
    for button in page.findChildren(QAbstractButton):
        if button.isCheckable() and button.objectName():
            shown[button.objectName()] = button.isChecked()
    return shown


@OFFSCREEN_NOISE
@pytest.mark.usefixtures("no_dialogs")
@pytest.mark.parametrize("page", WINDOW_PAGES)
@pytest.mark.parametrize("fault", WINDOW_FAULTS, ids=lambda f: f.name)
@pytest.mark.slow
def test_the_main_window_keeps_the_page_and_says_why_when_its_autosave_fails(
    fault: Fault, page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    short_busy_timeout(monkeypatch)
    store = open_store(tmp_path)
    try:
        add_people(store)
        window = make_main(services(store), qtbot)
        window.show()
        sign_in(window, "ttech")
        wizard = wizard_of(window)
        walk_to(wizard, page)  # the pages before are saved
        prep_id = wizard.preparation.id
        saved_before = store.load(prep_id).to_dict() if page != "order" else None
        events_before = len(store.audit_trail())
        FILLERS[page](wizard)
        typed = _on_page(wizard)

        with fault.inject(store, tmp_path / "hemgenix.sqlite3", monkeypatch):
            wizard.next_button().click()
            assert wizard.current_key() == page  # the page did not advance
            assert text_of(wizard, f"{page}StatusMessage") == fault.sentence
            assert wizard.next_button().isEnabled()  # the person can press Next again
        assert _on_page(wizard) == typed  # every value typed is still there
        if saved_before is None:
            assert store.unfinished() == []  # nothing half-started
        else:
            assert store.load(prep_id).to_dict() == saved_before  # the last save is whole
        assert len(store.audit_trail()) == events_before
        assert store.verify_audit_chain().intact

        press_next(wizard)  # the fault is gone: Next saves and moves on
        assert store.load(prep_id).to_dict() == wizard.preparation.to_dict()
        assert store.summary(prep_id).step == wizard.current_key()
        assert store.verify_audit_chain().intact
    finally:
        store.close()


# --- the Done screen: the records folder and the printer ------------------------------------------------------
def _sealed_flow(bench_tmp: Path, qtbot: QtBot, printer: FakePrinter | None = None) -> tuple[SigningFlow, Store]:
    bench = make_bench(bench_tmp, printer)
    flow = bench.flow(bench.started())
    qtbot.addWidget(flow)
    sign_through(flow)
    assert flow.current_key() == "done"
    return flow, bench.store


@pytest.mark.slow
def test_a_records_folder_that_cannot_be_written_keeps_the_record_and_saving_elsewhere_works(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = tmp_path / "records"
    records.write_text("a file where the records folder should be")
    usb = tmp_path / "usb"
    monkeypatch.setattr(msgbox, "choose_folder", lambda _parent, _title, _start, on_chosen: on_chosen(str(usb)))
    flow, store = _sealed_flow(tmp_path, qtbot)
    try:
        assert flow.record is not None
        record_name = f"{flow.record.record_id}-record.pdf"
        sentence = (
            f"{record_name} could not be saved in {records} (File exists). Choose a folder you can write to and save "
            "again; the record itself is kept."
        )
        assert flow.done_files.text() == sentence
        assert store.summary(flow.prep.id).status is PreparationStatus.SEALED  # the record itself is kept
        kept = stored_record(store, flow.prep.id)
        assert kept is not None
        assert kept.sha256 == flow.record.sha256
        actions = flow.record_actions
        assert actions is not None

        click(flow, "donePrintRecordButton")  # printing needs the saved file first
        assert actions.message.text() == f"Nothing was printed: the PDF could not be saved first. {sentence}"

        click(flow, "doneSavePdfsButton")  # Save PDFs… into another folder: it works
        assert actions.message.text().startswith(f"Saved {record_name} and ")
        verified = verify_record_pdf((usb / record_name).read_bytes(), trusted_certificates(tmp_path / "data"))
        assert verified.sha256 == kept.sha256

        records.unlink()  # the folder is put right: printing saves it there, then prints (no printer here)
        click(flow, "donePrintRecordButton")
        assert actions.message.text() == no_printer_sentence("record", records / record_name)
        assert (records / record_name).read_bytes() == (usb / record_name).read_bytes()
        assert store.verify_audit_chain().intact
    finally:
        store.close()


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_no_printer_says_so_keeps_the_pdf_and_prints_once_a_printer_is_set_up(tmp_path: Path, qtbot: QtBot) -> None:
    printer = FakePrinter()  # no printer set up on this computer
    flow, store = _sealed_flow(tmp_path, qtbot, printer)
    try:
        assert flow.saved is not None
        record_path = flow.saved[0]
        kept = record_path.read_bytes()
        actions = flow.record_actions
        assert actions is not None

        click(flow, "donePrintRecordButton")
        assert actions.message.text() == no_printer_sentence("record", record_path)
        assert record_path.read_bytes() == kept  # the saved, signed PDF stays as it was
        assert printer.made == []

        printer.names.append("Pharmacy-Laser")  # IT sets up a printer: Print again works
        printer.default = "Pharmacy-Laser"
        click(flow, "donePrintRecordButton")
        preview = flow.findChild(PrintPreview)
        assert preview is not None
        press_print(preview)
        assert actions.last_outcome is not None
        assert actions.last_outcome.printed
        [(name, source, file)] = printer.made
        assert (name, source) == ("Pharmacy-Laser", record_path)
        assert file.read_bytes().startswith(b"%PDF-")
        assert record_path.read_bytes() == kept
        trail = [e.action for e in store.audit_trail(flow.prep.id)]
        assert trail[-2:] == ["record_print_failed", "record_printed"]
    finally:
        store.close()
