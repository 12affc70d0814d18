"""Correcting a sealed record, with no Qt: the reason and the corrected values become a draft amendment.

:class:`Correction` is one sealed preparation's correction: the record in force (the original, or its newest
amendment) and the preparation it holds, the draft amendment started earlier (found again after a crash, a lock or
a change of person) and whether somebody signed it. :meth:`Correction.save` checks the reason and every value
(each bad one named: :class:`~hemgenix_desktop.domain.amendment.InvalidCorrection`), saves the correction as a draft
amendment (``Store.start_amendment``, or ``update_amendment`` when one was started before, or nothing when it did
not change) and returns the corrected Preparation with the :class:`~hemgenix_desktop.services.sealing.Amending`
the signing process needs. The sealed record itself never changes. :meth:`Correction.discard` voids the draft
with a reason.

Who may correct: today any signed-in technician or pharmacist (the signatures then need a pharmacist other than
the person correcting: :func:`hemgenix_desktop.domain.signing.check_verifier`).
"""

from __future__ import annotations

from datetime import datetime

from hemgenix_desktop.domain.amendment import (
    CorrectableField,
    FieldChange,
    apply_corrections,
    check_field,
    check_reason,
    correctable_fields,
    current_value,
)
from hemgenix_desktop.domain.checks import Checklist
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.security.seal import SealedRecord, preparation_sha256
from hemgenix_desktop.services.records import record_in_force
from hemgenix_desktop.services.sealing import Amending
from hemgenix_desktop.storage import AmendmentSummary, Store, User


class ReasonMissing(DomainError):  # noqa: N818 - the name reads as the screen shows it
    """The values are right but the reason is missing or unusable (``message``: the domain's sentence)."""


def reason_problem(text: str) -> str | None:
    """None when ``text`` is a usable reason for a correction, else the sentence saying why not."""
    try:
        check_reason(text)
    except DomainError as exc:
        return exc.message
    return None


class Correction:
    """The correction of one sealed preparation's record in force (see the module's docstring)."""

    def __init__(self, store: Store, prep_id: str, *, workstation: str, checklist: Checklist) -> None:
        """Raises ``InvalidInput``/``StorageError`` (with the sentence) when the preparation has no sealed record to
        correct."""
        self.store = store
        self.workstation = workstation
        self.checklist = checklist
        self.record: SealedRecord = record_in_force(store, prep_id, "correct", "corrected")
        self.base: Preparation = self.record.preparation()
        self.draft: AmendmentSummary | None = store.open_amendment(prep_id)
        self.draft_prep: Preparation | None = store.load_amendment(self.draft.id) if self.draft is not None else None
        self.draft_signed = bool(
            self.draft is not None
            and self.draft_prep is not None
            and store.signatures(prep_id, amendment=self.draft.number)
        )
        self.fields: tuple[CorrectableField, ...] = correctable_fields(checklist)

    # --- reading -------------------------------------------------------------------------------------------
    def recorded(self, key: str) -> str:
        """What the record in force says for the field ``key``."""
        return current_value(self.base, key)

    def start_value(self, key: str) -> str:
        """What the field starts with: the draft's value when a correction was started, else the record's."""
        return current_value(self.draft_prep if self.draft_prep is not None else self.base, key)

    def is_changed(self, key: str, text: str) -> bool:
        return text.strip() != self.recorded(key).strip()

    def check_one(self, key: str, text: str) -> str | None:
        """None when ``text`` is a right value for ``key`` (or the record's own), else the sentence saying why."""
        if not self.is_changed(key, text):
            return None
        try:
            check_field(self.base, key, text, self.checklist)
        except DomainError as exc:
            return exc.message
        return None

    # --- acting --------------------------------------------------------------------------------------------
    def save(self, reason_text: str, typed: dict[str, str], user: User, at: datetime) -> tuple[Preparation, Amending]:
        """Check every value (``InvalidCorrection`` names each bad one) and the reason (:class:`ReasonMissing`),
        then save the correction as a draft amendment in ``user``'s name; the corrected Preparation and what the
        signing needs. Other ``DomainError``/``StorageError`` carry their sentence."""
        corrected, changes = apply_corrections(
            self.base, typed, username=user.username, printed_name=user.full_name, at=at, checklist=self.checklist
        )
        problem = reason_problem(reason_text)
        if problem is not None:
            raise ReasonMissing(problem)
        reason = check_reason(reason_text)
        self.keep_earlier_attributions(corrected)
        amendment = self._saved(corrected, reason, changes, user)
        self.draft, self.draft_prep = amendment, corrected
        return corrected, Amending(amendment=amendment, corrects=self.record)

    def _saved(
        self, corrected: Preparation, reason: str, changes: tuple[FieldChange, ...], user: User
    ) -> AmendmentSummary:
        as_dicts = [change.to_dict() for change in changes]
        if self.draft is None:
            return self.store.start_amendment(
                corrected,
                reason=reason,
                changes=as_dicts,
                amends_record_id=self.record.record_id,
                amends_sha256=self.record.sha256,
                user=user,
                workstation=self.workstation,
            )
        if (
            self.draft_prep is not None
            and preparation_sha256(corrected) == preparation_sha256(self.draft_prep)
            and reason == self.draft.reason
        ):
            return self.draft  # nothing changed: the signatures given on it stay valid
        return self.store.update_amendment(
            self.draft.id, corrected, reason=reason, changes=as_dicts, user=user, workstation=self.workstation
        )

    def keep_earlier_attributions(self, corrected: Preparation) -> None:
        """A value corrected to the same as in the saved draft keeps the draft's attribution (who corrected it,
        when), so continuing a draft without changing anything keeps the signatures given on it valid."""
        draft = self.draft_prep
        if draft is None:
            return
        for key, answer in corrected.checks.items():
            earlier = draft.attributions.get(key)
            if earlier is not None and draft.checks.get(key) == answer and self.base.checks.get(key) != answer:
                corrected.attributions[key] = earlier

    def discard(self, reason: str, user: User) -> bool:
        """Void the draft correction with ``reason`` (False: there is none). Raises ``DomainError``/``StorageError``
        with the sentence (e.g. no reason given)."""
        if self.draft is None:
            return False
        self.store.void_amendment(self.draft.id, reason, user, self.workstation)
        return True


__all__ = ["Correction", "ReasonMissing", "reason_problem"]
