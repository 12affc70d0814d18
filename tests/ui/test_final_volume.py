"""The final volume in the infusion bag on the preparation checks page, and on Review."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import fill_preparation, next_enabled, press_next, text_of, walk_to


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "100",
            "The final volume, 100 mL, is less than the dose volume 144 mL that the bag holds. Read the volume in the "
            "bag again and enter it in mL.",
        ),
        ("four hundred", "“four hundred” is not a volume. Type the final volume in the bag as a number of mL."),
    ],
)
def test_a_final_volume_below_the_dose_or_not_a_number_is_refused(
    wizard: PreparationWizard, typed: str, message: str
) -> None:
    walk_to(wizard, "preparation")
    fill_preparation(wizard, final_volume_ml=typed)
    assert text_of(wizard, "checkMessage_final_volume_ml") == message
    assert not next_enabled(wizard)


def test_the_final_volume_is_kept_and_shown_on_review(wizard: PreparationWizard) -> None:
    walk_to(wizard, "preparation")
    fill_preparation(wizard, final_volume_ml="394 mL")
    assert text_of(wizard, "checkMessage_final_volume_ml") == ""
    press_next(wizard)
    assert wizard.preparation.checks["final_volume_ml"] == Decimal(394)
    walk_to(wizard, "review")
    assert "Final volume in the infusion bag (mL)" in text_of(wizard, "reviewPreparationLabel")
    assert "<b>394 mL</b>" in text_of(wizard, "reviewPreparationLabel")
