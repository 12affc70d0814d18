"""One dose per person (issue 21): the rule, its sentences and its override, as one table each."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hemgenix_desktop.domain.errors import (
    InvalidInput,
    OverrideNotPharmacist,
    SamePersonHasPreparation,
    SameSignerRefused,
)
from hemgenix_desktop.domain.guards import (
    SAME_MRN,
    SAME_NAME_AND_BIRTH,
    Holder,
    Person,
    approve_person_override,
    check_person_overrides,
    person_match,
    same_person_stop,
    second_dose_stop,
)
from hemgenix_desktop.domain.patient import PersonOverride
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import PreparationStatus

BORN = date(1980, 3, 15)
EARLIER = Person("John Smith", BORN, "MRN-0012")
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        # the same MRN, whatever the name: case, spaces, punctuation and O/0, I/L/1 look-alikes ignored
        (Person("Other Name", date(1990, 1, 1), "MRN-0012"), SAME_MRN),
        (Person("Other Name", date(1990, 1, 1), " mrn 0012 "), SAME_MRN),
        (Person("Other Name", date(1990, 1, 1), "MRN-OO12"), SAME_MRN),
        (Person("Other Name", date(1990, 1, 1), "MRN-00l2"), SAME_MRN),
        (Person("Other Name", date(1990, 1, 1), "МRN-0012"), SAME_MRN),  # a Cyrillic capital М
        # the same name and date of birth, whatever the MRN: order of words, case, accents, look-alikes
        (Person("John Smith", BORN, "MRN-9"), SAME_NAME_AND_BIRTH),
        (Person("SMITH, John", BORN, "MRN-9"), SAME_NAME_AND_BIRTH),
        (Person("  john   smith ", BORN, "MRN-9"), SAME_NAME_AND_BIRTH),
        (Person("Jоhn Smith", BORN, "MRN-9"), SAME_NAME_AND_BIRTH),  # a Cyrillic small о
        (Person("Jóhn Smith", BORN, "MRN-9"), SAME_NAME_AND_BIRTH),
        # both
        (Person("John Smith", BORN, "MRN-0012"), "the same MRN, and the same name and date of birth"),
        # neither: another person
        (Person("John Smith", date(1980, 3, 16), "MRN-9"), None),
        (Person("John Smithson", BORN, "MRN-9"), None),
        (Person("Jon Smith", BORN, "MRN-0013"), None),
        (Person("Ann Able", BORN, ""), None),  # an empty MRN matches nothing
    ],
)
def test_who_may_be_the_same_person(new: Person, expected: str | None) -> None:
    assert person_match(new, EARLIER) == expected


def _holder(status: PreparationStatus, record_id: str | None = None, dose_date: date | None = None) -> Holder:
    return Holder(
        id="3f9a1c2b-0000-4000-8000-000000000000",
        short_id="3f9a1c2b",
        patient_name="John Smith",
        identifier_entered="PSI-OLD",
        status=status,
        created_by="ttech",
        created_by_name="Tara Technician",
        created_at=datetime(2026, 5, 4, 8, 30, tzinfo=UTC),
        record_id=record_id,
        dose_date=dose_date,
    )


def test_a_sealed_second_dose_says_when_the_patient_received_it_and_that_no_second_is_possible() -> None:
    stop = second_dose_stop(_holder(PreparationStatus.SEALED, "HGX-20260506-3F9A1C2B", date(2026, 5, 6)))
    assert stop.message == (
        "This patient received Hemgenix: a dose was prepared for infusion on 2026-05-06 (record "
        "HGX-20260506-3F9A1C2B, for John Smith, identifier “PSI-OLD”). Hemgenix is given only once: no second dose "
        "is possible. Do not prepare it; set the kit aside and call the pharmacist in charge."
    )
    assert "Resume" not in stop.message
    assert "void" not in stop.message


def test_an_open_second_dose_may_be_resumed_or_voided() -> None:
    stop = second_dose_stop(_holder(PreparationStatus.DRAFT))
    assert stop.message.endswith("Resume or void that preparation, or call the pharmacist in charge.")


def test_the_same_person_stop_names_the_earlier_record_and_what_matched() -> None:
    stop = same_person_stop(_holder(PreparationStatus.SEALED, "HGX-1", date(2026, 5, 6)), EARLIER, SAME_MRN)
    assert isinstance(stop, SamePersonHasPreparation)
    assert stop.existing_id.startswith("3f9a1c2b")
    assert stop.match == SAME_MRN
    assert stop.message.startswith(
        "This patient has the same MRN as the patient of preparation 3f9a1c2b for John Smith (identifier "
        "“PSI-OLD”), sealed,"
    )
    assert "(MRN MRN-0012, born 1980-03-15)" in stop.message
    assert (
        "Hemgenix is given only once: if it is the same person, they received Hemgenix for infusion on 2026-05-06 "
        "(record HGX-1) and no second dose is possible."
    ) in stop.message
    assert stop.message.endswith(
        "Only when the earlier patient is shown to be a different person may a pharmacist other than the preparer "
        "approve going on, with the reason."
    )


STOP = SamePersonHasPreparation("…", "earlier-id", SAME_NAME_AND_BIRTH)


@pytest.mark.parametrize(
    ("approver", "role", "shown", "reason", "refused"),
    [
        ("phil", "pharmacist", True, "Photo ID and MRN history compared: another John Smith.", None),
        ("tina", "pharmacist", True, "Compared.", SameSignerRefused),  # the preparer, even as a pharmacist
        (" TINA ", "pharmacist", True, "Compared.", SameSignerRefused),
        ("tom", "technician", True, "Compared.", OverrideNotPharmacist),
        ("phil", "pharmacist", False, "Compared.", InvalidInput),  # not shown to be another person
        ("phil", "pharmacist", True, "   ", InvalidInput),  # no reason
    ],
)
def test_who_may_let_a_possible_same_person_go_on(
    approver: str, role: str, shown: bool, reason: str, refused: type[Exception] | None
) -> None:
    def approve() -> object:
        return approve_person_override(
            STOP,
            "earlier1",
            approver_username=approver,
            approver_name="Someone",
            approver_role=role,
            preparer_username="tina",
            reason=reason,
            different_person_shown=shown,
            at=AT,
        )

    if refused is not None:
        with pytest.raises(refused):
            approve()
        return
    found = approve()
    assert isinstance(found, PersonOverride)
    assert (found.earlier_id, found.match, found.username, found.reason) == (
        "earlier-id",
        SAME_NAME_AND_BIRTH,
        "phil",
        "Photo ID and MRN history compared: another John Smith.",
    )


def test_an_override_by_the_person_who_then_signs_prepared_by_is_refused_at_sealing() -> None:
    found = approve_person_override(
        STOP,
        "earlier1",
        approver_username="phil",
        approver_name="Phil Pharma",
        approver_role="pharmacist",
        preparer_username="tina",
        reason="Compared the photo ID.",
        different_person_shown=True,
        at=AT,
    )
    prep = Preparation()
    prep.person_overrides[found.earlier_id] = found
    check_person_overrides(prep, "tina")
    with pytest.raises(SameSignerRefused, match="Another pharmacist must check the earlier patient again"):
        check_person_overrides(prep, "PHIL")
    again = Preparation.from_dict(prep.to_dict())  # kept with the preparation, so on its sealed record
    assert again.person_overrides == prep.person_overrides
    assert "person_overrides" not in Preparation().to_dict()  # other preparations' content is unchanged


@pytest.mark.parametrize(
    ("new_weight", "new_time", "refused"),
    [
        ("72 kg", AT, False),  # the same weight: the same measuring time stands
        ("72.4 kg", AT, True),  # a new weight with the earlier weight's time
        ("72.4 kg", AT.replace(hour=10), False),  # a new weight, measured anew
    ],
)
def test_a_new_weight_needs_its_own_measuring_time(new_weight: str, new_time: datetime, refused: bool) -> None:
    from hemgenix_desktop.domain.entry import check_measured_again
    from hemgenix_desktop.domain.weight import parse_weight

    prep = Preparation()
    prep.weight_today = parse_weight("72 kg")
    prep.weight_measured_at = AT
    weight = parse_weight(new_weight)
    if refused:
        with pytest.raises(InvalidInput, match="The weight changed from 72 kg, which was measured at this time"):
            check_measured_again(prep, weight, new_time)
    else:
        check_measured_again(prep, weight, new_time)
