"""The smoke test behind ``hemgenix-prep smoke-test --out DIR``: the real program, offscreen, end to end.

A throwaway database (practice-marked, so nothing it makes can pass for a real record), practice users, the
practice demo order and its correct practice carton. The real PreparationWizard is driven page by page the
way an operator does (typing, choosing, scanning, Next), with autosave and attribution hooked in as the main
window does; then the real SigningFlow: the technician signs as preparer, a second (pharmacist) user signs in
and does the blind check, the record is sealed, and both saved PDFs are printed through the Print buttons: Qt's
print preview must show every page, and its Print button and Qt's print dialog print the pages QtPdf rendered
into a PDF file (in the throwaway folder) that must have every page and a barcode that reads back the record ID.
The saved PDFs are copied into DIR as ``record.pdf`` and ``label.pdf``. Finally the record PDF is verified
against the site certificate made in the throwaway data folder (copied into DIR as ``site-certificate.pem``,
so ``hemgenix-prep verify DIR/record.pdf --certificate DIR/site-certificate.pem`` checks it again later), and
the audit trail is checked.

Each step prints one line, ``ok   <step>`` or ``FAILED <step>: <why>``; the run stops at the first failure.
The command line (``cli/smoke.py``) sets up the throwaway folders and the environment before calling
:func:`run_smoke`.
"""

from __future__ import annotations

import io
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import zxingcpp
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget

from hemgenix_desktop.config import resolve_db_url
from hemgenix_desktop.domain.checks import InputKind, Section
from hemgenix_desktop.domain.dose import calculate_dose
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import PreparationStatus, Role
from hemgenix_desktop.practice import demo_order, practice_codes
from hemgenix_desktop.private_files import write_private
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.security.site_keys import CERT_FILE, site_folder, trusted_certificates
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.services.administration import Administration
from hemgenix_desktop.services.database import open_throwaway_store
from hemgenix_desktop.services.shared_types import StorageError, Store, User
from hemgenix_desktop.services.signing import SigningSession
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.ui.app import application
from hemgenix_desktop.ui.driving import NotOnScreen
from hemgenix_desktop.ui.driving import choose as _choose
from hemgenix_desktop.ui.driving import click as _click
from hemgenix_desktop.ui.driving import find as _find
from hemgenix_desktop.ui.driving import print_from as _print_from
from hemgenix_desktop.ui.driving import scan as _scan
from hemgenix_desktop.ui.driving import tick as _tick
from hemgenix_desktop.ui.driving import type_text as _type
from hemgenix_desktop.ui.printing import PrintPreview, pdf_file_printer, render_page
from hemgenix_desktop.ui.signing import SigningFlow
from hemgenix_desktop.ui.widgets import ChoiceGroup
from hemgenix_desktop.ui.wizard import PreparationWizard

TECHNICIAN = ("practice.tech", "Practice Technician (demo)")
PHARMACIST = ("practice.pharmacist", "Practice Pharmacist (demo)")
VERIFIER = ("practice.verifier", "Practice Verifier (demo)")
WORKSTATION = "SMOKE-WS"
SITE = "Smoke-test site"


class SmokeFailure(Exception):  # noqa: N818 - reads as the report says it
    """One step did not work; the message says which and why."""


@dataclass
class FilePrinter:
    """A printer that prints into PDF files in ``folder`` (Qt's print to file): the record into
    printed-record.pdf, the label into printed-label.pdf."""

    folder: Path
    name: str = "smoke-test PDF file printer"

    def printers(self) -> list[str]:
        return [self.name]

    def default_printer(self) -> str | None:
        return self.name

    def make_printer(self, name: str, source: Path) -> QPrinter:

        return pdf_file_printer(self.folder / f"printed-{_kind(source)}.pdf")


def _kind(pdf: Path) -> str:
    return "label" if pdf.name.endswith("-label.pdf") else "record"


def _page_count(pdf: Path) -> int:

    return len(pypdf.PdfReader(pdf).pages)


def _codes_on_first_page(pdf: Path) -> list[str]:
    """What the barcodes on the first page of ``pdf`` read, rendered by QtPdf at 200 dpi, and again at 300 and
    400 dpi when nothing reads at the lower: a printed page is a 300-ppi raster (JPEG in the PDF a file printer
    writes), whose bars a 200-dpi rendering resamples unevenly for some record IDs."""

    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_:
        raise SmokeFailure(f"QtPdf cannot read {pdf}")
    try:
        for dpi in (200, 300, 400):
            codes = _codes_on_page(document, dpi)
            if codes:
                return codes
        return []
    finally:
        document.close()


def _codes_on_page(document: QPdfDocument, dpi: int) -> list[str]:
    page = render_page(document, 0, dpi)
    white = QImage(page.size(), QImage.Format.Format_Grayscale8)
    white.fill(Qt.GlobalColor.white)
    painter = QPainter(white)
    painter.drawImage(0, 0, page)  # the page's transparent background on white paper
    painter.end()
    pixels = bytes(white.constBits())
    rows = memoryview(pixels).cast("B", (white.height(), white.bytesPerLine()))
    return [code.text for code in zxingcpp.read_barcodes(rows)]


def _quiet(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """The offscreen platform says it cannot propagate size hints; everything else Qt says is shown."""
    if "does not support propagateSizeHints" not in message:
        sys.stderr.write(f"Qt {kind.name}: {message}\n")


def _copy_out(source: Path, target: Path) -> None:
    """A file of the run copied into the output folder whole or not at all, owner-only (private_files.py): a full
    disk leaves no truncated record.pdf that could pass for one."""
    try:
        write_private(target, source.read_bytes())
    except OSError as exc:
        raise SmokeFailure(
            f"{target} could not be written ({exc.strerror or exc}); nothing of it was left. Give --out a folder "
            "with room, that you may write to."
        ) from exc


def run_smoke(out: Path, work: Path, say: Callable[[str], None]) -> int:
    """Run every step; returns 0 when all worked, 1 at the first failure (after saying why)."""
    steps = _Steps(out, work, say)
    try:
        steps.run()
    except (SmokeFailure, NotOnScreen) as exc:  # NotOnScreen: the driver (ui/driving.py) found no such widget
        say(f"FAILED {steps.current}: {exc}")
        return 1
    except (DomainError, StorageError) as exc:
        say(f"FAILED {steps.current}: {exc.message}")
        return 1
    finally:
        steps.close()
    say(f"Smoke test passed: {out / 'record.pdf'} and {out / 'label.pdf'} were written and verified.")
    return 0


class _Steps:
    def __init__(self, out: Path, work: Path, say: Callable[[str], None]) -> None:
        self.out, self.work, self.say = out, work, say
        self.current = "start"
        self.store: Store | None = None
        self.windows: list[QWidget] = []
        self.previous_handler: object = None

    def step(self, name: str) -> None:
        self.current = name

    def done(self, detail: str) -> None:
        self.say(f"ok   {self.current}: {detail}")

    def close(self) -> None:
        for window in self.windows:
            window.close()
            window.deleteLater()
        if self.store is not None:
            self.store.close()
        if self.previous_handler is not None:
            qInstallMessageHandler(self.previous_handler)  # type: ignore[arg-type]

    def run(self) -> None:

        self.step("start Qt offscreen")
        app = application()
        self.previous_handler = qInstallMessageHandler(_quiet)
        self.done(f"platform {app.platformName()}")

        self.step("create the throwaway database")
        url = resolve_db_url()
        store = self.store = open_throwaway_store(url)
        self.done(store.url)

        self.step("create practice users")
        passwords = {name: secrets.token_urlsafe(18) for name, _ in (TECHNICIAN, PHARMACIST, VERIFIER)}
        admin = UserAdmin(store)
        admin.add_first_pharmacist(
            PHARMACIST[0], PHARMACIST[1], passwords[PHARMACIST[0]], WORKSTATION, employee_number="SMOKE-1"
        )
        sign_in = SignInService(store)
        administration = Administration(store, sign_in, admin, WORKSTATION)
        operator = administration.sign_in(PHARMACIST[0], passwords[PHARMACIST[0]], "adding an account")
        for (name, full), role, number in (
            (TECHNICIAN, Role.TECHNICIAN, "SMOKE-2"),
            (VERIFIER, Role.PHARMACIST, "SMOKE-3"),
        ):
            added = administration.add_user(operator, name, full, role, number)
            administration.change_password(name, added.one_time_password, passwords[name])
        self.done(
            f"{TECHNICIAN[0]} (technician), {PHARMACIST[0]} and {VERIFIER[0]} (pharmacists); each chose their own "
            "password after a one-time one"
        )

        self.step("reset a password with a second pharmacist's approval")
        approval = administration.approve(
            operator, VERIFIER[0], passwords[VERIFIER[0]], "resetting a password", subject=TECHNICIAN[0]
        )
        reset = administration.reset_password(operator, TECHNICIAN[0], approval)
        passwords[TECHNICIAN[0]] = secrets.token_urlsafe(18)
        administration.change_password(TECHNICIAN[0], reset.one_time_password, passwords[TECHNICIAN[0]])
        self.done(f"{TECHNICIAN[0]}'s password reset by {PHARMACIST[0]}, approved by {VERIFIER[0]}")

        self.step("sign in")
        user = sign_in.sign_in(TECHNICIAN[0], passwords[TECHNICIAN[0]], WORKSTATION)
        self.done(f"{user.full_name} ({user.username})")

        prep = self._wizard(store, user)
        self._signing(store, sign_in, user, prep, passwords)
        self._check_outputs(store, prep)

    # --- the wizard -------------------------------------------------------------------------------------------
    def _wizard(self, store: Store, user: User) -> Preparation:

        now = datetime.now(UTC)
        today = now.astimezone().date()
        order = demo_order(today)
        code = practice_codes(today)[0]
        started: list[bool] = []

        def autosave(prep: Preparation, _key: str) -> None:
            if not started:
                store.start_preparation(prep, user, WORKSTATION)
                started.append(True)
            else:
                store.save_draft(prep, prep.step, user, WORKSTATION)

        self.step("open the wizard")
        wizard = PreparationWizard(
            Preparation(practice=True),
            practice=True,
            on_page_committed=autosave,
            attribute_to=user.signer,
        )
        self.windows.append(wizard)
        wizard.resize(1180, 760)
        wizard.show()
        QApplication.processEvents()
        self.done(f"preparation {wizard.preparation.id[:8]} in practice mode")

        def press_next(page: str) -> None:
            before = wizard.currentId()
            key = wizard.current_key()
            button = wizard.button(
                PreparationWizard.WizardButton.FinishButton
                if key == "review"
                else PreparationWizard.WizardButton.NextButton
            )
            current = wizard.pages[key]
            if not button.isEnabled():
                problem = current.current_stop() or current.status.text() or "the page is not complete"
                raise SmokeFailure(f"Next stays disabled on the {page} page: {problem}")
            button.click()
            QApplication.processEvents()
            if key != "review" and wizard.currentId() == before:
                problem = current.current_stop() or current.status.text()
                raise SmokeFailure(f"the wizard did not leave the {page} page: {problem}")

        self.step("wizard page 1, order")
        for name, value in {
            "orderPatientNameEdit": order.full_name,
            "orderDateOfBirthEdit": order.date_of_birth.isoformat(),
            "orderMrnEdit": order.mrn,
            "orderPatientIdEdit": order.patient_specific_id,
            "orderNumberEdit": order.order_number,
            "orderPrescriberEdit": order.prescriber,
            "orderAuthorizationEdit": order.authorization_number,
            "orderWeightEdit": order.prescription_weight,
            "orderWeightDateEdit": order.prescription_weight_date.isoformat(),
            "orderInfusionDateEdit": order.infusion_date.isoformat(),
        }.items():
            _type(wizard, name, value)
        _click(wizard, "orderWeightUnitKg")
        press_next("order")
        self.done(f"{order.full_name}, {order.prescription_weight} kg, autosaved")

        self.step("wizard page 2, eligibility")
        _click(wizard, "eligibilityAuthorizationYes")
        _click(wizard, "eligibilityPriorGeneTherapyNo")
        tested = order.prescription_weight_date.isoformat()  # the laboratory results, of the order's day
        for key, reported in (("Inhibitor", "<0.3 BU"), ("Titre", "1:300")):
            _type(wizard, f"eligibility{key}Edit", reported)
            _type(wizard, f"eligibility{key}DateEdit", tested)
            _type(wizard, f"eligibility{key}LabEdit", "Practice Laboratory")
        _click(wizard, "eligibilityAssay9")
        press_next("eligibility")
        self.done("every criterion met")

        self.step("wizard page 3, identity")
        _type(wizard, "identityCartonIdEdit", order.patient_specific_id)
        _type(wizard, "identityDateOfBirthEdit", order.date_of_birth.isoformat())
        _click(wizard, "identityCheckButton")
        press_next("identity")
        self.done("the carton matches the order")

        self.step("wizard page 4, weight")
        _type(wizard, "weightEdit", order.prescription_weight)
        _click(wizard, "weightUnitKg")
        _type(wizard, "weightMeasuredAtEdit", (now - timedelta(minutes=5)).astimezone().strftime("%Y-%m-%d %H:%M"))
        _choose(wizard, "weightMethodCombo", "Standing scale")
        press_next("weight")
        dose = wizard.preparation.dose
        assert dose is not None
        self.done(f"{dose.dose_ml} mL, {dose.vials} vials")

        self.step("wizard page 5, kit scan")
        _scan(wizard, code.scanner_text())
        _type(wizard, "kitVialCountEdit", str(dose.kit_choice.kit.vials))
        press_next("kit")
        self.done(f"practice carton {code.lot} / {code.serial}")

        for number, section in ((6, Section.PREPARATION), (7, Section.ADMINISTRATION)):
            self.step(f"wizard page {number}, {section.value} checks")
            for item in wizard.ctx.checklist.section(section):
                name = f"checkItem_{item.id}"
                if item.input is InputKind.TICK:
                    _tick(wizard, name)
                elif item.input is InputKind.CHOICE:
                    group = _find(wizard, ChoiceGroup, name)
                    assert isinstance(group, ChoiceGroup)
                    passing = next(c for c in item.choices if c not in item.stop_choices)
                    group.buttons[passing].click()
                elif item.input is InputKind.DATE:
                    _type(wizard, name, (today + timedelta(days=365)).isoformat())
                elif item.input is InputKind.VOLUME:
                    _type(wizard, name, str(dose.dose_ml))
                elif item.input is InputKind.FINAL_VOLUME:
                    _type(wizard, name, str(dose.dose_ml + 250))
                else:
                    _type(wizard, name, f"SMOKE-{item.id.upper()}")
            press_next(section.value)
            self.done(f"{len(wizard.ctx.checklist.section(section))} items answered")

        self.step("wizard page 8, review")
        _tick(wizard, "reviewConfirmCheck")
        press_next("review")
        prep = wizard.preparation
        if (
            store.summary(prep.id).status is not PreparationStatus.DRAFT
            or store.load(prep.id).to_dict() != prep.to_dict()
        ):
            raise SmokeFailure("the saved draft differs from the preparation the wizard finished with")
        self.done("reviewed and saved")
        return prep

    # --- signatures, seal, print ------------------------------------------------------------------------------
    def _signing(
        self, store: Store, sign_in: SignInService, user: User, prep: Preparation, passwords: dict[str, str]
    ) -> None:

        self.step("open the signing flow")
        services = Workstation(
            store=store,
            sign_in=sign_in,
            admin=UserAdmin(store),
            workstation=WORKSTATION,
            site=SITE,
            data_dir=self.work / "data",
            records_dir=self.work / "records",
        )
        flow = SigningFlow(prep, services, SigningSession(user), printer=FilePrinter(self.work))
        self.windows.append(flow)
        flow.show()
        QApplication.processEvents()
        self._expect(flow, "signPreparer")
        self.done("the preparer's screen")

        def problem(key: str) -> str:
            screen = flow.screens[key]
            return screen.stop.text() or screen.status.text() or "no message"

        self.step("preparer signs (Prepared by)")
        _type(flow, "signPreparerUsernameEdit", TECHNICIAN[0])
        _type(flow, "signPreparerPasswordEdit", passwords[TECHNICIAN[0]])
        _click(flow, "signPreparerSignButton")
        if flow.current_key() != "signVerifier":
            raise SmokeFailure(problem("signPreparer"))
        self.done(TECHNICIAN[1])

        self.step("verifier signs in")
        _type(flow, "signVerifierUsernameEdit", VERIFIER[0])
        _type(flow, "signVerifierPasswordEdit", passwords[VERIFIER[0]])
        _click(flow, "signVerifierContinueButton")
        if flow.current_key() != "blindCheck":
            raise SmokeFailure(problem("signVerifier"))
        self.done(VERIFIER[1])

        self.step("blind check and Verified by")
        order = prep.order
        assert order is not None
        own = calculate_dose(order.prescription_weight)  # the verifier works it out from the order
        _type(flow, "blindCheckWeightEdit", order.prescription_weight.entered)
        _click(flow, "blindCheckWeightUnitKg")
        _type(flow, "blindCheckVialsEdit", str(own.vials))
        _type(flow, "blindCheckDoseEdit", str(own.dose_ml))
        _click(flow, "blindCheckSignButton")
        if flow.current_key() != "done":
            raise SmokeFailure(problem("blindCheck") if flow.current_key() == "blindCheck" else problem("seal"))
        record = flow.record
        assert record is not None
        self.done(f"record {record.record_id} sealed, SHA-256 {record.sha256}")

        for kind, button in (("record", "donePrintRecordButton"), ("label", "donePrintLabelButton")):
            self.step(f"print the {kind}")
            _click(flow, button)
            shown_now = [p for p in flow.findChildren(PrintPreview, "printPreview") if p.isVisible()]
            preview = shown_now[-1] if shown_now else None
            if preview is None:
                actions = flow.record_actions
                raise SmokeFailure(actions.message.text() if actions is not None else "no print preview opened")
            saved, shown = preview.path, preview.page_count()
            pages = _page_count(saved)
            if shown != pages:
                raise SmokeFailure(f"the print preview shows {shown} pages of the {pages} in {saved.name}")
            _print_from(preview)
            QApplication.processEvents()
            outcome = flow.record_actions.last_outcome if flow.record_actions is not None else None
            if outcome is None or not outcome.printed:
                raise SmokeFailure(outcome.message if outcome is not None else "nothing was printed")
            printed = self.work / f"printed-{kind}.pdf"
            if _page_count(printed) != pages:
                raise SmokeFailure(f"{printed.name} has {_page_count(printed)} pages; {saved.name} has {pages}")
            if not any(record.record_id in text for text in _codes_on_first_page(printed)):
                raise SmokeFailure(f"no barcode on the printed {kind} reads {record.record_id}")
            _copy_out(saved, self.out / f"{kind}.pdf")
            self.done(
                f"the preview and the printed file have {pages} page{'' if pages == 1 else 's'}; "
                f"the barcode on the printed {kind} reads {record.record_id}"
            )

    def _expect(self, flow: QWidget, key: str) -> None:

        assert isinstance(flow, SigningFlow)
        if flow.current_key() != key:
            raise SmokeFailure(f"the signing flow shows {flow.current_key()!r}, not {key!r}")

    def _check_outputs(self, store: Store, prep: Preparation) -> None:

        self.step("verify record.pdf")
        record_pdf = self.out / "record.pdf"
        if not record_pdf.is_file() or record_pdf.stat().st_size == 0:
            raise SmokeFailure(f"{record_pdf} was not written")
        verified = verify_record_pdf(record_pdf.read_bytes(), trusted_certificates(self.work / "data"))
        certificate = self.out / "site-certificate.pem"
        _copy_out(site_folder(self.work / "data") / CERT_FILE, certificate)
        self.done(f"{verified.record_id}; " + "; ".join(verified.signers) + f"; certificate saved as {certificate}")

        self.step("check label.pdf")
        label_pdf = self.out / "label.pdf"
        if not label_pdf.is_file() or label_pdf.stat().st_size == 0:
            raise SmokeFailure(f"{label_pdf} was not written")
        text = " ".join(pypdf.PdfReader(io.BytesIO(label_pdf.read_bytes())).pages[0].extract_text().split())
        for expected in ("PRACTICE", verified.record_id, "NO CENTRAL LINE OR PORT"):
            if expected not in text:
                raise SmokeFailure(f"the label does not show {expected}")
        self.done(f"{label_pdf.stat().st_size} bytes, marked PRACTICE")

        self.step("check the database")
        if store.summary(prep.id).status is not PreparationStatus.SEALED:
            raise SmokeFailure("the preparation is not marked sealed")
        chain = store.verify_audit_chain()
        if not chain.intact:
            raise SmokeFailure(chain.message)
        self.done(f"sealed; {chain.message}")
