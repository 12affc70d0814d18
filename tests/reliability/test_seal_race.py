"""Two workstations finish the same signed preparation at once (issue 16, "Seal race").

Each workstation has its own Store on one database (a SQLite file, and PostgreSQL when
``HEMGENIX_TEST_POSTGRES_URL`` is set). The slower one is held, by an injected hook, between building its own
record and sealing, until the faster one has sealed and committed: exactly the window in which it used to keep
nothing, yet print its own, second record. Now the database changes the status only from signed (a
compare-and-set), each workstation reads the record back after the commit, and both show, print and save the one
record kept (one record ID, one SHA-256, byte for byte); the slower one says who sealed it, where and when.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import trusted_certificates
from hemgenix_desktop.services import sealing as sealing_module
from hemgenix_desktop.services.sealing import record_outputs
from hemgenix_desktop.services.signing import SigningProcess, SigningSession, Step, read_blind_check
from hemgenix_desktop.storage import AlreadySealed
from tests.helpers.people import PASSWORDS
from tests.helpers.preparations import WORKSTATION
from tests.services.two import OTHER_WORKSTATION, Two

HOLD_TIMEOUT_S = 60


def _signed_at_both(two: Two) -> tuple[SigningProcess, SigningProcess]:
    """Signed by the preparer and verified at A; B opens the same preparation's signing, at its sealing."""
    a = two.a.process(two.a.started())
    a.sign_as_preparer("ttech", PASSWORDS["ttech"])
    a.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    a.blind_check(read_blind_check("72", "kg", "15", "144"))
    assert a.next_step() is Step.SEAL
    b = SigningProcess(two.b.store.load(a.prep.id), two.b.ws, SigningSession(two.b.user("qpharm")))
    assert b.next_step() is Step.SEAL
    return a, b


def _hold_the_slower(monkeypatch: pytest.MonkeyPatch, slower: threading.Thread) -> tuple[threading.Event, ...]:
    """The injected delay: in ``slower``'s thread, sealing stops after building its own record and waits until
    told to go on (the other workstation seals meanwhile)."""
    built, go_on = threading.Event(), threading.Event()
    real_seal = sealing_module.seal

    def seal(*args: Any, **kwargs: Any) -> Any:
        record = real_seal(*args, **kwargs)
        if threading.current_thread() is slower:
            built.set()
            assert go_on.wait(HOLD_TIMEOUT_S), "the faster workstation did not seal"
        return record

    monkeypatch.setattr(sealing_module, "seal", seal)
    return built, go_on


@pytest.mark.slow  # two record PDFs made and verified
def test_the_slower_workstation_gets_the_kept_record_and_the_sentence(
    two: Two, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _signed_at_both(two)
    results: dict[str, Any] = {}

    def slower_seals() -> None:
        try:
            results["b"] = b.seal()
        except Exception as exc:
            results["error"] = exc

    thread = threading.Thread(target=slower_seals)
    built, go_on = _hold_the_slower(monkeypatch, thread)
    thread.start()
    assert built.wait(HOLD_TIMEOUT_S)  # B has built its own record and is about to seal
    kept = a.seal()  # A seals and commits first
    go_on.set()
    thread.join(HOLD_TIMEOUT_S)
    assert "error" not in results, results.get("error")
    slower = results["b"]

    # one record: the same bytes, one record ID, one SHA-256, on both workstations
    assert slower.canonical == kept.canonical
    assert (slower.record_id, slower.sha256) == (kept.record_id, kept.sha256)
    trail = [e.action for e in two.a.store.audit_trail(a.prep.id)]
    assert trail.count("record_sealed") == 1
    assert trail.count("preparation_sealed") == 1
    assert two.a.store.summary(a.prep.id).status is PreparationStatus.SEALED
    assert two.a.store.verify_audit_chain().intact

    # the slower one says who sealed it, where and when, and works from the kept record
    assert a.sealed_elsewhere is None
    assert b.sealed_elsewhere is not None
    assert "by Tara Technician (ttech)" in b.sealed_elsewhere  # whose session sealed it at A
    assert f"at {WORKSTATION} on" in b.sealed_elsewhere
    assert kept.record_id in b.sealed_elsewhere

    # the PDFs of both workstations carry the same record (the signature's time may differ, the record does not)
    trusted = trusted_certificates(two.a.ws.data_dir)
    verified = [
        verify_record_pdf(record_outputs(bench.ws, record).outputs.record_pdf, trusted)
        for bench, record in ((two.a, kept), (two.b, slower))
    ]
    assert {v.sha256 for v in verified} == {kept.sha256}
    assert verified[0].record.canonical == verified[1].record.canonical == kept.canonical


def test_the_database_refuses_the_second_seal_in_the_same_statement(two: Two) -> None:
    """The compare-and-set itself: B's sealing transaction, begun from a signed preparation that A sealed
    meanwhile, keeps nothing and names who sealed it."""
    a, b = _signed_at_both(two)
    kept = a.seal()
    with pytest.raises(AlreadySealed) as refused:
        two.b.store.seal_preparation(
            b.prep,
            two.b.user("qpharm"),
            OTHER_WORKSTATION,
            record_id="HGX-20260101-SECOND00",
            record_sha256="b" * 64,
            canonical='{"second": true}',
        )
    assert f"at {WORKSTATION} on" in refused.value.message
    trail = [e.action for e in two.a.store.audit_trail(a.prep.id)]
    assert trail.count("record_sealed") == 1
    assert two.b.store.records.newest(a.prep.id) is not None
    assert two.b.store.records.newest(a.prep.id).record_id == kept.record_id  # type: ignore[union-attr]
