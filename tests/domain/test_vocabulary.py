"""domain.vocabulary: the stored words. A stored word never changes, so the values are pinned here."""

from __future__ import annotations

import pytest

from hemgenix_desktop.domain.vocabulary import (
    AmendmentStatus,
    AuditAction,
    PreparationStatus,
    Role,
    print_action,
    status_words,
)
from hemgenix_desktop.storage.writer import MAX_ACTION_LENGTH


def test_the_stored_words_of_roles_and_statuses() -> None:
    assert [r.value for r in Role] == ["technician", "pharmacist"]
    assert [s.value for s in PreparationStatus] == ["draft", "signed", "sealed", "voided"]
    assert [s.value for s in AmendmentStatus] == ["draft", "sealed", "voided"]
    assert [status_words(s) for s in PreparationStatus] == ["a draft", "signed", "sealed", "voided"]
    assert status_words("signed") == "signed"


def test_every_audit_action_fits_the_column_and_is_one_word_in_snake_case() -> None:
    for action in AuditAction:
        assert 0 < len(action.value) <= MAX_ACTION_LENGTH
        assert action.value == action.name.lower()


@pytest.mark.parametrize(
    ("kind", "printed", "action"),
    [
        ("record", True, AuditAction.RECORD_PRINTED),
        ("record", False, AuditAction.RECORD_PRINT_FAILED),
        ("label", True, AuditAction.LABEL_PRINTED),
        ("label", False, AuditAction.LABEL_PRINT_FAILED),
    ],
)
def test_the_print_actions(kind: str, printed: bool, action: AuditAction) -> None:
    assert print_action(kind, printed) is action
    assert print_action(kind, printed) == f"{kind}_{'printed' if printed else 'print_failed'}"


def test_an_unknown_kind_of_print_has_no_action() -> None:
    with pytest.raises(ValueError, match="envelope_printed"):
        print_action("envelope", True)
