"""A store with three people, a reviewed 72 kg preparation, and the signing flow over them.

Shared by tests/ui/test_signing.py, tests/ui/test_printing.py and scripts/screenshots.py. Passwords are hashed
with the cheapest argon2id (the same code path, fast). The people (tests/helpers/people.py) and the printer
(tests/helpers/printer.py, a stand-in: no printer is needed) are the tests' shared ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog

from hemgenix_desktop.domain.checks import load_checklist
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import IDENTITY_STEP, Signer, attribute_page
from hemgenix_desktop.services.signing import SigningSession
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import Store, User
from hemgenix_desktop.ui.printing import PrintPreview
from hemgenix_desktop.ui.signing import SigningFlow
from tests.helpers.people import PASSWORDS, PEOPLE, add_people
from tests.helpers.preparations import PREPARED_AT, SIGNED_AT, WORKSTATION, complete_preparation
from tests.helpers.printer import FakePrinter
from tests.helpers.store import open_store_file
from tests.services.bench import workstation
from tests.ui.helpers import click, type_text

__all__ = ["PASSWORDS", "PEOPLE", "SIGNED_AT"]  # the people of tests/helpers/people.py, as the UI tests use them


def press_print(preview: PrintPreview) -> None:
    """Press the preview's Print button, then Print in Qt's print dialog that opens (from inside its loop)."""

    def accept() -> None:
        dialog = preview.findChild(QPrintDialog)
        if dialog is not None:
            dialog.accept()

    assert preview.print_button is not None
    QTimer.singleShot(0, accept)
    preview.print_button.click()


def print_as_set_up(preview: PrintPreview) -> None:
    """What Qt's Print does once its print dialog was accepted: paint on the printer, close the preview."""
    assert preview.pages_view is not None
    preview.pages_view.print()
    preview.accept()


@dataclass
class Bench:
    """Everything one signing test works with."""

    store: Store
    users: dict[str, User]
    services: Workstation
    printer: FakePrinter
    tmp: Path

    def user(self, username: str) -> User:
        return self.users[username]

    def attributed(self, prep: Preparation, by: str = "ttech") -> Preparation:
        """Attribute every page to ``by``, as the wizard does when someone is signed in."""
        user = self.users[by]
        signer = Signer(user.username, user.full_name, user.role.value)
        for key, minutes in ((IDENTITY_STEP, 55), ("preparation", 5), ("administration", 2)):
            attribute_page(prep, key, signer, PREPARED_AT - timedelta(minutes=minutes), load_checklist())
        return prep

    def started(self, prep: Preparation | None = None, by: str = "ttech") -> Preparation:
        """A reviewed preparation saved as a draft (as autosave leaves it after Review)."""
        prep = self.attributed(prep or complete_preparation(), by)
        self.store.start_preparation(prep, self.users[by], WORKSTATION)
        return prep

    def flow(self, prep: Preparation, by: str = "ttech", **session: object) -> SigningFlow:
        return SigningFlow(
            prep,
            self.services,
            SigningSession(self.users[by], **session),  # type: ignore[arg-type]
            printer=self.printer,
        )


def make_bench(tmp: Path, printer: FakePrinter | None = None, *, practice: bool = False) -> Bench:
    """Three people in a fresh database (the in-memory practice one with ``practice``)."""
    store = Store.open_practice() if practice else open_store_file(tmp / "hemgenix.sqlite3")
    users = add_people(store, workstation=WORKSTATION)
    chosen = printer if printer is not None else FakePrinter()
    return Bench(store, users, workstation(store, tmp), chosen, tmp)


# --- driving the flow -------------------------------------------------------------------------------------
def sign_preparer(flow: SigningFlow, username: str = "ttech", password: str | None = None) -> None:
    if not flow.preparer_username.isReadOnly():
        type_text(flow, "signPreparerUsernameEdit", username)
    type_text(flow, "signPreparerPasswordEdit", password if password is not None else PASSWORDS[username])
    click(flow, "signPreparerSignButton")


def approve(flow: SigningFlow, reason: str, username: str = "ppharm", password: str | None = None) -> None:
    type_text(flow, "signOverrideReasonEdit", reason)
    type_text(flow, "signOverrideUsernameEdit", username)
    type_text(flow, "signOverridePasswordEdit", password if password is not None else PASSWORDS[username])
    click(flow, "signOverrideApproveButton")


def verifier_signs_in(flow: SigningFlow, username: str = "ppharm", password: str | None = None) -> None:
    type_text(flow, "signVerifierUsernameEdit", username)
    type_text(flow, "signVerifierPasswordEdit", password if password is not None else PASSWORDS[username])
    click(flow, "signVerifierContinueButton")


def blind_check(flow: SigningFlow, weight: str = "72", vials: str = "15", dose: str = "144", unit: str = "kg") -> None:
    type_text(flow, "blindCheckWeightEdit", weight)
    click(flow, "blindCheckWeightUnitKg" if unit == "kg" else "blindCheckWeightUnitLb")
    type_text(flow, "blindCheckVialsEdit", vials)
    type_text(flow, "blindCheckDoseEdit", dose)
    click(flow, "blindCheckSignButton")


def sign_through(flow: SigningFlow) -> None:
    """The preparer, then the pharmacist with the right figures: the record is sealed."""
    sign_preparer(flow)
    verifier_signs_in(flow)
    blind_check(flow)
