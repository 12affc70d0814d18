"""A store with four people, a reviewed 72 kg preparation and this workstation's services, with no Qt.

The people and passwords are tests/helpers/people.py's (the UI tests use the same). Passwords are hashed with the
cheapest argon2id (the same code path, fast).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hemgenix_desktop.domain.checks import load_checklist
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import IDENTITY_STEP, Signer, attribute_page
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.services.signing import SigningProcess, SigningSession
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import Store, User
from tests.helpers.people import add_people
from tests.helpers.preparations import PREPARED_AT, SIGNED_AT, SITE, WORKSTATION, ZONE, complete_preparation
from tests.helpers.store import cheap_passwords


def workstation(store: Store, folder: Path, *, now: datetime | None = None) -> Workstation:
    """The services as the signing tests use them: site certificate in ``folder/data``, records in
    ``folder/records``, the clock at ``SIGNED_AT`` (or ``now``)."""
    moment = SIGNED_AT if now is None else now
    return Workstation(
        store=store,
        sign_in=SignInService(store, passwords=cheap_passwords()),
        admin=UserAdmin(store, passwords=cheap_passwords()),
        workstation=WORKSTATION,
        data_dir=folder / "data",
        records_dir=folder / "records",
        site=SITE,
        now=lambda: moment,
        tz=ZONE,
    )


@dataclass
class Bench:
    """Everything one service test works with."""

    store: Store
    users: dict[str, User]
    ws: Workstation
    tmp: Path

    def user(self, username: str) -> User:
        return self.users[username]

    def attributed(self, prep: Preparation, by: str = "ttech") -> Preparation:
        """Attribute every page to ``by``, as the wizard does when someone is signed in."""
        user = self.users[by]
        signer = Signer(user.username, user.full_name, user.role.value)
        for key, minutes in ((IDENTITY_STEP, 55), ("preparation", 5), ("administration", 2)):
            attribute_page(prep, key, signer, PREPARED_AT - timedelta(minutes=minutes), load_checklist())
        return prep

    def started(self, prep: Preparation | None = None, by: str = "ttech") -> Preparation:
        """A reviewed preparation saved as a draft (as autosave leaves it after Review)."""
        prep = self.attributed(prep or complete_preparation(), by)
        self.store.start_preparation(prep, self.users[by], WORKSTATION)
        return prep

    def process(self, prep: Preparation, by: str = "ttech", *, continuous: bool = True) -> SigningProcess:
        process = SigningProcess(prep, self.ws, SigningSession(self.users[by], continuous=continuous))
        process.next_step()
        return process

    def actions(self, prep_id: str) -> list[tuple[str, str]]:
        return [(e.action, e.username) for e in self.store.audit_trail(prep_id)]


def make_bench(tmp: Path) -> Bench:
    store = Store.open(f"sqlite:///{tmp / 'hemgenix.sqlite3'}")
    return Bench(store, add_people(store, workstation=WORKSTATION), workstation(store, tmp), tmp)
