"""A stale draft save (issue 16, "Lost update"): two workstations have one draft open, each with its own Store on
one database (SQLite, and PostgreSQL when ``HEMGENIX_TEST_POSTGRES_URL`` is set).

B saves a change; A, still on the values it read before, saves its own. A's save used to overwrite B's silently.
Now every save names the row version it was made on and the database refuses a stale one (compare-and-set): the
refusal names who changed what at which workstation, A gets the newer draft to show, what A typed is kept beside
it, and A's next save (made on the newer version) is taken. Who has a draft open, where, is shown from a lease
that runs out by itself.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.services.drafting import DraftChangedElsewhere, Drafting, open_elsewhere
from hemgenix_desktop.storage import StaleDraft
from hemgenix_desktop.storage.preparations import LEASE
from tests.helpers.preparations import WORKSTATION
from tests.services.two import OTHER_WORKSTATION, Two


def _with(prep: Preparation, **order: str) -> Preparation:
    """A copy of ``prep`` with order fields changed, as typed on the order page."""
    data = prep.to_dict()
    data["order"].update(order)
    return Preparation.from_dict(data)


def test_the_database_refuses_a_save_made_on_an_older_version(two: Two) -> None:
    prep = two.a.started()
    _, version = two.a.store.preparations.load_versioned(prep.id)
    newer = two.b.store.preparations.save_draft(
        _with(prep, prescriber="Dr. B Changed"), "review", two.b.user("ppharm"), OTHER_WORKSTATION, version=version
    )
    assert newer == version + 1
    events = len(two.a.store.audit_trail(prep.id))
    with pytest.raises(StaleDraft) as refused:
        two.a.store.preparations.save_draft(
            _with(prep, prescriber="Dr. A Typed"), "review", two.a.user("ttech"), WORKSTATION, version=version
        )
    assert refused.value.workstation == OTHER_WORKSTATION
    assert refused.value.updated_by == "ppharm"
    assert f"changed by Pat Pharmacist (ppharm) at {OTHER_WORKSTATION} on" in refused.value.message
    assert "nothing was overwritten" in refused.value.message
    kept = two.a.store.load(prep.id)
    assert kept.to_dict()["order"]["prescriber"] == "Dr. B Changed"  # B's change stands
    assert len(two.a.store.audit_trail(prep.id)) == events  # the refused save wrote nothing
    assert two.a.store.verify_audit_chain().intact


def test_a_stale_save_is_refused_with_who_changed_what_where_and_nothing_typed_is_lost(two: Two) -> None:
    prep = two.a.started()
    loaded_a, _ = two.a.store.preparations.load_versioned(prep.id)
    loaded_b, _ = two.b.store.preparations.load_versioned(prep.id)
    at_a = Drafting(two.a.ws, stored=True, loaded=loaded_a, user=two.a.user("ttech"))
    at_b = Drafting(two.b.ws, stored=True, loaded=loaded_b, user=two.b.user("ppharm"))

    at_b.save(_with(loaded_b, prescriber="Dr. Bea Changed"), "review", two.b.user("ppharm"))
    typed_at_a = _with(loaded_a, order_number="ORD-TYPED-AT-A")
    with pytest.raises(DraftChangedElsewhere) as refused:
        at_a.save(typed_at_a, "review", two.a.user("ttech"))
    sentence = refused.value.message
    assert f"Pat Pharmacist (ppharm) changed this preparation at {OTHER_WORKSTATION} on" in sentence
    assert "(order prescriber)" in sentence  # what they changed
    assert "nothing was overwritten" in sentence
    # the newer values to show, and what was typed here beside them
    assert refused.value.newer.to_dict()["order"]["prescriber"] == "Dr. Bea Changed"
    lines = {d.what: (d.theirs, d.yours) for d in refused.value.differences}
    assert lines["order prescriber"] == ("“Dr. Bea Changed”", "“Dr. Maria Rivera”")
    assert lines["order order number"] == ("“ORD-2026-0458”", "“ORD-TYPED-AT-A”")
    assert "order order number: now “ORD-2026-0458”; yours “ORD-TYPED-AT-A”" in sentence
    assert two.a.store.load(prep.id).to_dict()["order"]["order_number"] == "ORD-2026-0458"  # not overwritten

    # A, now on the newer draft, types its value again and saves: taken, B's change kept
    at_a.save(_with(refused.value.newer, order_number="ORD-TYPED-AT-A"), "review", two.a.user("ttech"))
    saved = two.a.store.load(prep.id).to_dict()["order"]
    assert (saved["prescriber"], saved["order_number"]) == ("Dr. Bea Changed", "ORD-TYPED-AT-A")
    assert two.a.store.verify_audit_chain().intact


def test_a_draft_changed_between_opening_and_the_first_save_is_refused_too(two: Two) -> None:
    """The first save of a resumed draft: the draft is compared with what was read when it was opened."""
    prep = two.a.started()
    loaded_a, _ = two.a.store.preparations.load_versioned(prep.id)
    at_a = Drafting(two.a.ws, stored=True, loaded=loaded_a, user=two.a.user("ttech"))
    _, version = two.b.store.preparations.load_versioned(prep.id)
    two.b.store.preparations.save_draft(
        _with(prep, prescriber="Dr. Meanwhile"), "review", two.b.user("ppharm"), OTHER_WORKSTATION, version=version
    )
    with pytest.raises(DraftChangedElsewhere):
        at_a.save(_with(loaded_a, order_number="ORD-A"), "review", two.a.user("ttech"))
    assert two.a.store.load(prep.id).to_dict()["order"]["prescriber"] == "Dr. Meanwhile"


def test_open_at_another_workstation_is_shown_until_closed_or_the_lease_runs_out(two: Two) -> None:
    prep = two.a.started()
    loaded_b, _ = two.b.store.preparations.load_versioned(prep.id)
    at_b = Drafting(two.b.ws, stored=True, loaded=loaded_b, user=two.b.user("ppharm"))
    now = two.a.store.now()
    summary = two.a.store.summary(prep.id)
    lease = open_elsewhere(summary, WORKSTATION, two.a.user("ttech"), now)
    assert lease is not None
    assert (lease.workstation, lease.username, lease.full_name) == (OTHER_WORKSTATION, "ppharm", "Pat Pharmacist")
    # not "elsewhere" for B itself; gone once the lease ran out (a crashed workstation holds nothing)
    assert open_elsewhere(summary, OTHER_WORKSTATION, two.b.user("ppharm"), now) is None
    assert open_elsewhere(summary, WORKSTATION, two.a.user("ttech"), now + LEASE + timedelta(seconds=1)) is None
    at_b.release(two.b.user("ppharm"))  # B closed the wizard
    assert open_elsewhere(two.a.store.summary(prep.id), WORKSTATION, two.a.user("ttech"), now) is None
