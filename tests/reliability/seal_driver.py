"""The real signing flow in its own process, killed with SIGKILL at one point inside sealing, by
tests/reliability/test_seal_kill.py (sealing a preparation) and test_amendment_seal_kill.py (sealing a
correction of its sealed record, an amendment).

    python -m tests.reliability.seal_driver DB_URL FOLDER PREPARATION_ID POINT                 (from the project
    python -m tests.reliability.seal_driver DB_URL FOLDER PREPARATION_ID POINT AMENDMENT_ID     folder)

The database at DB_URL holds the people of tests/ui/signing_helpers.py and a reviewed draft. The driver opens
the signing flow on it (site certificate in FOLDER/data, records in FOLDER/records, as ``make_bench`` sets
them), the preparer signs, the pharmacist signs in and passes the blind check, which seals. Just before the
blind check it sets the trap POINT (see ``POINTS``): when sealing reaches it, the process kills itself with
SIGKILL, there and then. A process that reaches the end instead prints ``NOT KILLED`` and exits 0, which fails
the test.

With AMENDMENT_ID the preparation is sealed already and AMENDMENT_ID is a draft correction of its original record
(``Store.start_amendment``): the driver opens the signing flow on the correction (``Amending``, as the
correction screen hands it over), the person who corrected signs "Amended by", the pharmacist signs in and
passes the blind check, which seals the amendment; the trap is one of ``AMENDMENT_POINTS``.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Where the trap is set; what the database must hold afterwards is in test_seal_kill.py.
POINTS = (
    "seal-called",  # Store.seal_preparation entered: nothing written yet
    "after-signed",  # inside the transaction: marked signed and audited, not committed
    "after-record-kept",  # inside the transaction: the sealed record written to the audit trail too
    "after-sealed",  # inside the transaction: marked sealed too, every statement done
    "before-commit",  # SQLAlchemy is about to send COMMIT to the database
    "after-commit",  # Store.seal_preparation returned: committed, no PDF made yet
    "saving-pdfs",  # the PDFs are built and are being saved into the records folder
)
# Where the trap is set when an amendment is sealed; what the database must hold afterwards is in
# test_amendment_seal_kill.py.
AMENDMENT_POINTS = (
    "seal-called",  # Store.seal_amendment entered: nothing written yet
    "after-record-kept",  # inside the transaction: the amendment's record written to the audit trail
    "after-marked-sealed",  # inside the transaction: the amendment marked sealed and its search terms added too
    "after-sealed",  # inside the transaction: "amendment_sealed" audited too, every statement done
    "before-commit",  # SQLAlchemy is about to send COMMIT to the database
    "after-commit",  # Store.seal_amendment returned: committed, no PDF made yet
    "saving-pdfs",  # the PDFs are built and are being saved into the records folder
)
AMENDED_AFTER = timedelta(days=1)  # the correction is signed and sealed a day after the original


def amended_at() -> datetime:
    """The moment the amendment is signed and sealed (the services' clock in the amendment mode)."""
    from tests.ui.signing_helpers import SIGNED_AT

    return SIGNED_AT + AMENDED_AFTER


def signing_services(store: Any, folder: Path, now: datetime | None = None) -> Any:
    """The flow's services as ``tests.ui.signing_helpers.make_bench`` makes them, on an existing database (their
    clock at ``now``, or at ``SIGNED_AT``)."""
    from tests.services.bench import workstation

    return workstation(store, folder, now=now)


def amending_of(store: Any, amendment_id: str) -> Any:
    """The ``Amending`` of a first correction (amendment 1), as the correction screen hands it to the signing
    flow: the amendment as stored and the original record it corrects."""
    from hemgenix_desktop.services.records import stored_record
    from hemgenix_desktop.services.sealing import Amending

    amendment = store.amendment(amendment_id)
    assert amendment.number == 1, "the driver corrects the original record only"
    original = stored_record(store, amendment.preparation_id, amendment=0)
    assert original is not None
    assert (original.record_id, original.sha256) == (amendment.amends_record_id, amendment.amends_sha256)
    return Amending(amendment=amendment, corrects=original)


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def set_trap(point: str, *, amendment: bool = False) -> None:
    """Make sealing kill this process when it reaches ``point`` (sealing an amendment with ``amendment``)."""
    from sqlalchemy import event

    from hemgenix_desktop.services import sealing as sealing_module
    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage import amendments as amendments_module
    from hemgenix_desktop.storage import writer as writer_module

    in_seal: list[str] = []  # the audit actions written by the sealing transaction so far

    name = "seal_amendment" if amendment else "seal_preparation"
    original_seal = getattr(Store, name)

    def sealing(self: Store, *args: Any, **kwargs: Any) -> None:
        if point == "seal-called":
            die()
        in_seal.append("start")
        original_seal(self, *args, **kwargs)
        if point == "after-commit":
            die()

    setattr(Store, name, sealing)

    original_audit = writer_module.Writer.audit
    if amendment:
        kill_after = {"after-record-kept": "record_sealed", "after-sealed": "amendment_sealed"}
    else:
        kill_after = {"after-signed": "preparation_signed", "after-record-kept": "record_sealed"}
        kill_after["after-sealed"] = "preparation_sealed"
    last_action = kill_after["after-sealed"]

    def audit(self: writer_module.Writer, who: Any, workstation: str, action: str, *args: Any, **kwargs: Any) -> Any:
        result = original_audit(self, who, workstation, action, *args, **kwargs)
        if in_seal:
            in_seal.append(action)
            if kill_after.get(point) == action:
                die()
        return result

    writer_module.Writer.audit = audit  # type: ignore[method-assign]

    if amendment:
        original_add_terms = amendments_module.add_search_terms

        def add_search_terms(*args: Any, **kwargs: Any) -> None:
            original_add_terms(*args, **kwargs)
            if point == "after-marked-sealed" and in_seal:
                die()

        amendments_module.add_search_terms = add_search_terms

    from sqlalchemy.engine import Engine

    def before_commit(_conn: Any) -> None:
        if point == "before-commit" and last_action in in_seal:
            die()

    event.listen(Engine, "commit", before_commit)

    original_save: Callable[..., Any] = sealing_module.save_outputs  # type: ignore[attr-defined]

    def save_outputs(outputs: Any, folder: Path) -> Any:
        if point == "saving-pdfs":
            folder.mkdir(parents=True, exist_ok=True)
            record_name, _ = outputs.file_names()
            with (folder / f".{record_name}.partial").open("wb") as half:  # half a file, as a kill leaves it
                half.write(outputs.record_pdf[: len(outputs.record_pdf) // 2])
            die()
        return original_save(outputs, folder)

    sealing_module.save_outputs = save_outputs  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    url, folder, prep_id, point = argv[1], Path(argv[2]), argv[3], argv[4]
    amendment_id = argv[5] if len(argv) > 5 else None
    points = POINTS if amendment_id is None else AMENDMENT_POINTS
    if point not in points:
        raise SystemExit(f"POINT is one of {', '.join(points)}")
    from hemgenix_desktop.services.signing import SigningSession
    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.ui.app import application
    from hemgenix_desktop.ui.signing import SigningFlow
    from tests.ui.signing_helpers import FakePrinter, blind_check, sign_preparer, verifier_signs_in

    app = application()
    store = Store.open(url)
    user = store.users.get("ttech")
    assert user is not None
    if amendment_id is None:
        flow = SigningFlow(
            store.load(prep_id), signing_services(store, folder), SigningSession(user), printer=FakePrinter()
        )
    else:
        amending = amending_of(store, amendment_id)
        assert amending.amendment.preparation_id == prep_id
        services = signing_services(store, folder, amended_at())
        corrected = store.load_amendment(amendment_id)
        flow = SigningFlow(corrected, services, SigningSession(user), amending=amending, printer=FakePrinter())
    flow.show()
    sign_preparer(flow)  # "Amended by" when correcting: ttech made the correction
    verifier_signs_in(flow)
    set_trap(point, amendment=amendment_id is not None)
    print("SEALING", flush=True)
    blind_check(flow)  # seals: the trap goes off in here
    print(f"NOT KILLED: the flow is on {flow.current_key()}", flush=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
