"""The real signing flow in its own process, killed with SIGKILL at one point inside sealing, by
tests/reliability/test_seal_kill.py.

    python -m tests.reliability.seal_driver DB_URL FOLDER PREPARATION_ID POINT      (from the project folder)

The database at DB_URL holds the people of tests/ui/signing_helpers.py and a reviewed draft. The driver opens
the signing flow on it (site certificate in FOLDER/data, records in FOLDER/records, as ``make_bench`` sets
them), the preparer signs, the pharmacist signs in and passes the blind check, which seals. Just before the
blind check it sets the trap POINT (see ``POINTS``): when sealing reaches it, the process kills itself with
SIGKILL, there and then. A process that reaches the end instead prints ``NOT KILLED`` and exits 0, which fails
the test.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
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


def signing_services(store: Any, folder: Path) -> Any:
    """The flow's services as ``tests.ui.signing_helpers.make_bench`` makes them, on an existing database."""
    from hemgenix_desktop.security.signin import SignInService
    from hemgenix_desktop.ui.signing import SigningServices
    from tests.records.factory import SITE, WORKSTATION, ZONE
    from tests.storage.helpers import cheap_passwords
    from tests.ui.signing_helpers import SIGNED_AT, FakePrinter

    return SigningServices(
        store=store,
        sign_in=SignInService(store, passwords=cheap_passwords()),
        workstation=WORKSTATION,
        site=SITE,
        data_dir=folder / "data",
        records_dir=folder / "records",
        printer=FakePrinter(),
        now=lambda: SIGNED_AT,
        tz=ZONE,
    )


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def set_trap(point: str) -> None:
    """Make sealing kill this process when it reaches ``point``."""
    from sqlalchemy import event

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage import writer as writer_module
    from hemgenix_desktop.ui import signing

    in_seal: list[str] = []  # the audit actions written by the sealing transaction so far

    original_seal = Store.seal_preparation

    def seal_preparation(self: Store, *args: Any, **kwargs: Any) -> None:
        if point == "seal-called":
            die()
        in_seal.append("start")
        original_seal(self, *args, **kwargs)
        if point == "after-commit":
            die()

    Store.seal_preparation = seal_preparation  # type: ignore[method-assign]

    original_audit = writer_module.Writer.audit
    kill_after = {"after-signed": "preparation_signed", "after-record-kept": "record_sealed"}
    kill_after["after-sealed"] = "preparation_sealed"

    def audit(self: writer_module.Writer, who: Any, workstation: str, action: str, *args: Any, **kwargs: Any) -> Any:
        result = original_audit(self, who, workstation, action, *args, **kwargs)
        if in_seal:
            in_seal.append(action)
            if kill_after.get(point) == action:
                die()
        return result

    writer_module.Writer.audit = audit  # type: ignore[method-assign]

    from sqlalchemy.engine import Engine

    def before_commit(_conn: Any) -> None:
        if point == "before-commit" and "preparation_sealed" in in_seal:
            die()

    event.listen(Engine, "commit", before_commit)

    original_save: Callable[..., Any] = signing.save_outputs

    def save_outputs(outputs: Any, folder: Path) -> Any:
        if point == "saving-pdfs":
            folder.mkdir(parents=True, exist_ok=True)
            record_name, _ = outputs.file_names()
            with (folder / f".{record_name}.partial").open("wb") as half:  # half a file, as a kill leaves it
                half.write(outputs.record_pdf[: len(outputs.record_pdf) // 2])
            die()
        return original_save(outputs, folder)

    signing.save_outputs = save_outputs  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    url, folder, prep_id, point = argv[1], Path(argv[2]), argv[3], argv[4]
    if point not in POINTS:
        raise SystemExit(f"POINT is one of {', '.join(POINTS)}")
    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.ui.app import application
    from hemgenix_desktop.ui.signing import SigningFlow, SigningSession
    from tests.ui.signing_helpers import blind_check, sign_preparer, verifier_signs_in

    app = application()
    store = Store.open(url)
    user = store.users.get("ttech")
    assert user is not None
    flow = SigningFlow(store.load(prep_id), signing_services(store, folder), SigningSession(user))
    flow.show()
    sign_preparer(flow)
    verifier_signs_in(flow)
    set_trap(point)
    print("SEALING", flush=True)
    blind_check(flow)  # seals: the trap goes off in here
    print(f"NOT KILLED: the flow is on {flow.current_key()}", flush=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
