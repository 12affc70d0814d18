"""Drafting with no Qt: the first page starts the preparation, later pages save the draft, refusals say why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from hemgenix_desktop.domain.errors import InvalidInput, PatientAlreadyHasPreparation, PracticeCarton
from hemgenix_desktop.domain.signing import attribute_page
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.security.signin import WrongCredentials
from hemgenix_desktop.services.drafting import (
    REVIEW_STEP,
    Drafting,
    ResumeIn,
    may_void,
    resumable,
    resume_in,
    void,
)
from hemgenix_desktop.services.signing import SigningProcess, SigningSession, read_blind_check
from hemgenix_desktop.storage import StorageError
from tests.helpers.people import PASSWORDS
from tests.helpers.preparations import complete_preparation
from tests.helpers.store import leave_signed_not_sealed
from tests.services.bench import Bench, make_bench


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def test_the_first_page_starts_the_preparation_and_later_pages_keep_the_draft(bench: Bench) -> None:
    prep = bench.attributed(complete_preparation())
    drafting = Drafting(bench.ws, stored=False)
    prep.step = "eligibility"
    drafting.save(prep, "order", bench.user("ttech"))
    assert drafting.stored
    assert bench.store.summary(prep.id).status is PreparationStatus.DRAFT
    assert bench.store.load(prep.id).step == "eligibility"
    prep.step = "identity"
    drafting.save(prep, "eligibility", bench.user("ttech"))
    kept = bench.store.load(prep.id)
    assert kept.step == "identity"
    assert kept.to_dict() == prep.to_dict()


def test_a_practice_carton_is_never_saved_into_a_real_preparation(bench: Bench) -> None:
    prep = bench.attributed(complete_preparation())
    assert prep.carton is not None
    prep.carton = replace(prep.carton, lot="PRACTICE-L15", serial="PRACTICE-S0001")
    with pytest.raises(PracticeCarton):
        Drafting(bench.ws, stored=False).save(prep, "kit", bench.user("ttech"))
    assert bench.store.unfinished() == []


def test_nothing_is_saved_when_nobody_is_signed_in(bench: Bench) -> None:
    prep = complete_preparation()
    with pytest.raises(InvalidInput, match="Nobody is signed in"):
        Drafting(bench.ws, stored=False).save(prep, "order", None)
    assert bench.store.unfinished() == []


def test_a_guard_of_the_database_stops_with_its_sentence(bench: Bench) -> None:
    """One dose per patient: a second preparation for the same patient is a clinical stop (the page shows it)."""
    bench.started()
    second = bench.attributed(complete_preparation())
    second.id = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
    with pytest.raises(PatientAlreadyHasPreparation, match="do not prepare a second dose"):
        Drafting(bench.ws, stored=False).save(second, "order", bench.user("ttech"))
    assert [s.id for s in bench.store.unfinished()] == ["3f9a1c2b-0d4e-4c5a-9b7e-123456789abc"]


@pytest.mark.slow
def test_a_database_that_cannot_be_written_keeps_the_page_with_its_sentence(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The database cannot be written.")

    monkeypatch.setattr(bench.store, "start_preparation", refuse)
    drafting = Drafting(bench.ws, stored=False)
    with pytest.raises(InvalidInput, match="The database cannot be written"):
        drafting.save(bench.attributed(complete_preparation()), "order", bench.user("ttech"))
    assert not drafting.stored


def test_a_resumed_review_keeps_its_earlier_attribution_so_the_signatures_stay_valid(bench: Bench) -> None:
    prep = bench.started()
    drafting = Drafting(bench.ws, stored=True)
    signer = bench.user("ttech").signer()
    attribute_page(prep, REVIEW_STEP, signer, bench.ws.now() - timedelta(minutes=1), bench.ws.checklist)
    drafting.save(prep, REVIEW_STEP, bench.user("ttech"))
    process = SigningProcess(bench.store.load(prep.id), bench.ws, SigningSession(bench.user("ttech")))
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    # the program stopped; the draft is resumed and its Review finished again, a minute later
    resumed = bench.store.load(prep.id)
    attribute_page(resumed, REVIEW_STEP, signer, bench.ws.now(), bench.ws.checklist)
    assert resumed.attributions[REVIEW_STEP] != prep.attributions[REVIEW_STEP]
    Drafting(bench.ws, stored=True).save(resumed, REVIEW_STEP, bench.user("ttech"))
    assert resumed.attributions[REVIEW_STEP] == prep.attributions[REVIEW_STEP]
    again = SigningProcess(bench.store.load(prep.id), bench.ws, SigningSession(bench.user("ttech")))
    assert again.next_step().value == "signVerifier"  # the preparer's signature still holds


# --- the list of unfinished preparations, and where each goes on ---------------------------------------------
def test_a_draft_resumes_in_the_wizard_and_may_be_voided_with_a_reason(bench: Bench) -> None:
    prep = bench.started()
    [summary] = resumable(bench.store)
    assert summary.id == prep.id
    assert resume_in(summary) is ResumeIn.WIZARD
    assert may_void(summary)
    tech, ws, sign_in = bench.user("ttech"), bench.ws.workstation, bench.ws.sign_in
    with pytest.raises(InvalidInput, match="Give the reason"):
        void(bench.store, summary, "", tech, ws, password=PASSWORDS["ttech"], sign_in=sign_in)
    with pytest.raises(InvalidInput, match="Voiding is signed: type your password again"):
        void(bench.store, summary, "Wrong patient chosen", tech, ws, password="", sign_in=sign_in)
    with pytest.raises(WrongCredentials):  # an electronic signature: the password again, counted toward the lockout
        void(bench.store, summary, "Wrong patient chosen", tech, ws, password="a guess", sign_in=sign_in)
    assert bench.store.summary(prep.id).status is PreparationStatus.DRAFT
    void(bench.store, summary, "Wrong patient chosen", tech, ws, password=PASSWORDS["ttech"], sign_in=sign_in)
    assert bench.store.audit_trail(prep.id)[-1].after["signature_meaning"] == "Voided by"
    voided = bench.store.summary(prep.id)
    assert voided.status is PreparationStatus.VOIDED
    assert resume_in(voided) is ResumeIn.NOWHERE
    assert resumable(bench.store) == []


def test_a_signed_preparation_not_sealed_resumes_in_the_signing(bench: Bench) -> None:
    process = bench.process(bench.started())
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.blind_check(read_blind_check("72", "kg", "15", "144"))
    leave_signed_not_sealed(bench.store, process.prep, bench.user("ttech"), bench.ws.workstation)
    [summary] = resumable(bench.store)
    assert summary.status is PreparationStatus.SIGNED
    assert resume_in(summary) is ResumeIn.SIGNING
