"""Memory after a full preparation, PDF included, in one process as the workstation runs it.

``python -m benchmarks.memory FOLDER prepare`` first creates the database and its two users in another
process, as on a workstation that has run before (so the database need not be created or migrated here).
Then ``python -m benchmarks.memory FOLDER``: offscreen, the real wizard with autosave into that Store in
FOLDER (each page saved as Next is pressed, attributed to the signed-in technician), every page filled by the
UI tests' helpers, Finish on the review page; then the preparer's and the pharmacist's signatures (the blind
check entered), stored; the record sealed; the signed record PDF and the bag label built and saved into
FOLDER; the preparation marked sealed. Then the resident memory (VmRSS) and the peak (VmHWM) are read from
/proc. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWizard

from benchmarks.common import own_peak_rss_bytes, own_rss_bytes
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import (
    BlindCheck,
    approve_override,
    overrides_required,
    sign_as_preparer,
    sign_as_verifier,
)
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.domain.weight import parse_weight
from hemgenix_desktop.records.outputs import build_outputs, save_outputs
from hemgenix_desktop.security.seal import preparation_sha256, seal
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.storage import Store
from tests.helpers.store import add_user
from tests.ui.helpers import NOW, make_wizard, tick, walk_to

WORKSTATION = "bench-ws"


def prepare(folder: Path) -> dict[str, object]:
    with Store.open(f"sqlite:///{folder / 'memory.sqlite3'}") as store:
        add_user(store, "tara", "Tara Technician")
        add_user(store, "pat", "Pat Pharmacist", Role.PHARMACIST)
        return {"users": store.users.count()}


def full_preparation(folder: Path) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = Store.open(f"sqlite:///{folder / 'memory.sqlite3'}")
    tech, pharmacist = store.users.get("tara"), store.users.get("pat")
    assert tech is not None, "run with 'prepare' first"
    assert pharmacist is not None, "run with 'prepare' first"
    started: list[str] = []

    def autosave(prep: Preparation, _key: str) -> None:
        if not started:
            store.start_preparation(prep, tech, WORKSTATION)
            started.append(prep.id)
        else:
            store.save_draft(prep, prep.step, tech, WORKSTATION)

    wizard = make_wizard(hook=autosave, attribute_to=tech.signer)
    wizard.show()
    walk_to(wizard, "review")
    app.processEvents()
    tick(wizard, "reviewConfirmCheck")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled(), "Finish is disabled on the review page"
    finish.click()
    app.processEvents()

    prep = store.load(started[0])
    content = preparation_sha256(prep)
    first = sign_as_preparer(prep, tech.signer(), workstation=WORKSTATION, content_sha256=content, at=NOW)
    dose = prep.dose
    assert dose is not None
    blind = BlindCheck(parse_weight(str(dose.weight.kg), "kg"), dose.vials, dose.dose_ml)
    second = sign_as_verifier(
        prep, first, pharmacist.signer(), blind, workstation=WORKSTATION, content_sha256=content, at=NOW
    )
    overrides = [
        approve_override(
            prep,
            subject,
            "Checked with the prescriber.",
            pharmacist.signer(),
            workstation=WORKSTATION,
            content_sha256=content,
            at=NOW,
        )
        for subject in overrides_required(prep)
    ]
    signatures = [first, second, *overrides]
    for signature in signatures:
        store.add_signature(prep.id, signature)
    store.mark_signed(prep, pharmacist, WORKSTATION)
    record = seal(
        prep,
        signatures,
        prep.attributions,
        site="Benchmark site",
        workstation=WORKSTATION,
        sealed_at=NOW + timedelta(minutes=1),
    )
    site = create_site_certificate(folder / "site", "Benchmark site")
    outputs = build_outputs(record, site)
    record_path, label_path = save_outputs(outputs, folder / "pdf")
    store.mark_sealed(prep.id, pharmacist, WORKSTATION)
    assert store.summary(prep.id).status.value == "sealed"
    assert store.verify_audit_chain().intact
    app.processEvents()
    result: dict[str, object] = {
        "rss_bytes": own_rss_bytes(),
        "peak_rss_bytes": own_peak_rss_bytes(),
        "record_pdf_bytes": record_path.stat().st_size,
        "label_pdf_bytes": label_path.stat().st_size,
        "events": len(store.audit_trail(prep.id)),
    }
    wizard.close()
    store.close()
    return result


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    print(json.dumps(prepare(folder) if sys.argv[2:] == ["prepare"] else full_preparation(folder)))
