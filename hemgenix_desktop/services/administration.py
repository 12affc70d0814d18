"""Administering accounts and the site's security, with no Qt: who may, and the second pharmacist where Part 11 asks
for two (21 CFR 11.10(d) and (g), 11.200(a)(3), 11.300(b)-(d)).

The command line and the Users window both call this module, so one rule holds wherever a change starts:

* **A person signs in first.** Every administrative action starts with :meth:`Administration.sign_in`: a username and
  a password, checked by the sign-in service (a wrong password counts toward the lockout exactly as at the window's
  sign-in), and the account must be an active pharmacist's. The :class:`Operator` it returns names the person and,
  on the command line, the operating-system account beside them; every audit event of the action carries both.
* **Two persons for what could turn one person into two** (:data:`TWO_PERSON`): adding a pharmacist (except the
  site's second, whom the first adds alone: nobody else could approve), giving or taking away the pharmacist role, resetting a password, enabling a disabled account, setting an employee number, importing the
  site's signing certificate, relaxing a site floor, and adding a name that looks like an active person's. A second
  pharmacist approves with their own username and password (:meth:`Administration.approve`, signature meaning
  "Approved by"); they cannot be the one asking, nor the person acted on, compared as *persons* (username or
  employee number).
* **Refusals** raise :class:`AdministrationRefused` (an ``InvalidInput``: exit code 2 on the command line) with the
  sentence; nothing changes, and the refusal is written to the audit trail (``administration_refused``).
* A reset (and an account made by an administrator) gives a **one-time password**, returned once to be handed to the
  person, who must choose their own at the next sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.permissions import may_administer
from hemgenix_desktop.domain.signing import same_signer
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.names import skeleton
from hemgenix_desktop.security.signin import Purpose, SignInRefused, SignInService
from hemgenix_desktop.security.users import (
    UserAdmin,
    check_employee_number,
    check_full_name,
    check_username,
    normalise_username,
    one_time_password,
    parse_role,
)
from hemgenix_desktop.storage import Actor, StorageError
from hemgenix_desktop.storage.users import Approval

if TYPE_CHECKING:
    from hemgenix_desktop.storage import Store, User

# The actions that need a second pharmacist's approval, as the refusal names them.
TWO_PERSON = (
    "adding a pharmacist",
    "giving the pharmacist role",
    "resetting a password",
    "enabling a disabled account",
    "setting an employee number",
    "importing the site's signing certificate",
    "relaxing a site floor",
    "changing a security setting",
    "adding a name that looks like an active person's",
    "taking the pharmacist role away",
)


class AdministrationRefused(InvalidInput):
    """An administrative action was refused; the sentence says why and what to do. Nothing was changed."""


class NothingChanged(Exception):  # noqa: N818 - not an error: what was asked is already so
    """What was asked is already so (enabling an enabled account, the role held, the same number): nothing was
    changed and nothing written to the audit trail; the sentence says so (the command line exits 0)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Operator:
    """The person doing an administrative action, signed in, and (on the command line) the operating-system account
    that ran the command. It is what the audit trail names (``username``, ``full_name``)."""

    user: User
    os_account: str = ""

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def full_name(self) -> str:
        if not self.os_account:
            return self.user.full_name
        return f"{self.user.full_name} (command line, operating-system account {self.os_account})"

    def describe(self) -> str:
        return f"{self.full_name} ({self.username})"


@dataclass(frozen=True)
class Added:
    """An account added, and its one-time password (to be handed to the person; shown once, never stored)."""

    user: User
    one_time_password: str


class Administration:
    """The administrative actions of one workstation (``workstation``: its name in the audit trail)."""

    def __init__(
        self, store: Store, sign_in: SignInService, admin: UserAdmin, workstation: str, *, os_account: str = ""
    ) -> None:
        self._store = store
        self._sign_in = sign_in
        self.admin = admin
        self.workstation = workstation
        self.os_account = os_account

    # --- who acts, who approves ---------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, action: str) -> Operator:
        """The person doing ``action`` (e.g. "adding an account"): their password, an active pharmacist's account.
        Raises :class:`AdministrationRefused` (audited) otherwise; a wrong password counts toward the lockout."""
        typed = normalise_username(username)
        if not typed or not password:
            self._refuse(
                self._anonymous(typed),
                action,
                f"Sign in first: {action} needs a pharmacist's username and password (--username, and the "
                "password typed or given with --password-stdin).",
            )
        try:
            user = self._sign_in.authenticate(typed, password, self.workstation, Purpose.ADMINISTRATION)
        except SignInRefused as exc:
            self._refuse(self._anonymous(typed), action, exc.message)
        operator = Operator(user, self.os_account)
        if not may_administer(user.role.value):
            self._refuse(
                operator,
                action,
                f"{user.describe()} is a {user.role.value}; only a pharmacist may administer accounts, settings and "
                "keys. Ask a pharmacist.",
            )
        return operator

    def approve(
        self,
        operator: Operator,
        username: str,
        password: str,
        action: str,
        *,
        subject: str = "",
        reason: str = "",
        without_number: bool = False,
    ) -> Approval:
        """A second pharmacist approves ``action`` with their own password ("Approved by"): not the one asking,
        and not ``subject`` (the username acted on), compared as persons. The approver must have an employee number;
        ``without_number`` (setting an employee number) lets one without approve only the database's very first
        number, while no active pharmacist has one (accounts made before revision 0008): the approval says so in the
        audit trail."""
        typed = normalise_username(username)
        if not typed:
            self._refuse(
                operator,
                action,
                f"{action[:1].upper()}{action[1:]} needs a second pharmacist's approval: name them with --approver "
                "(in the window: the approval fields) and let them type their own password.",
            )
        if not password:
            self._refuse(operator, action, f"The approver {typed} must type their own password. Nothing was changed.")
        try:
            approver = self._sign_in.authenticate(typed, password, self.workstation, Purpose.APPROVAL)
        except SignInRefused as exc:
            self._refuse(operator, action, f"The approval was refused: {exc.message}")
        if not may_administer(approver.role.value):
            self._refuse(
                operator,
                action,
                f"{approver.describe()} is a {approver.role.value}; only a second pharmacist may approve {action}.",
            )
        if same_signer(approver.signer(), operator.user.signer()):
            self._refuse(
                operator,
                action,
                f"{approver.describe()} is the person asking, so cannot also approve {action}. Ask a second "
                "pharmacist to approve it.",
            )
        acted_on = self._store.users.get(normalise_username(subject)) if subject else None
        if acted_on is not None and same_signer(approver.signer(), acted_on.signer()):
            self._refuse(
                operator,
                action,
                f"{approver.describe()} is the person acted on, so cannot approve {action} for themselves. Ask "
                "another pharmacist to approve it.",
            )
        first = False
        if not approver.employee_number:
            first = without_number and not self._numbered_pharmacist()
            if not first:
                self._refuse(
                    operator,
                    action,
                    f"{approver.describe()} has no employee number yet, so cannot approve. A pharmacist who has one "
                    "approves (setting the numbers: hemgenix-prep users set-employee-number, or the Users window)."
                    if without_number
                    else f"{approver.describe()} has no employee number yet, so cannot approve. Set it first with "
                    "hemgenix-prep users set-employee-number.",
                )
        return Approval(approver, reason.strip(), first_number=first)

    # --- the accounts -------------------------------------------------------------------------------------
    def lookalikes(self, full_name: str, *, other_than: str = "") -> list[User]:
        """The active accounts whose printed name looks like ``full_name`` (the same confusable skeleton)."""
        wanted = skeleton(full_name)
        return [
            user
            for user in self._store.users.list()
            if user.active and user.username != other_than and skeleton(user.full_name) == wanted
        ]

    def add_user(
        self,
        operator: Operator,
        username: str,
        full_name: str,
        role: Role | str,
        employee_number: str,
        approval: Approval | None = None,
    ) -> Added:
        """Add an account with a one-time password. A pharmacist, or a name that looks like an active person's
        (then with a reason), needs ``approval``."""
        action = "adding an account"
        try:
            name, printed, chosen = check_username(username), check_full_name(full_name), _role(role)
            number = check_employee_number(employee_number)
        except InvalidInput as exc:
            self._refuse(operator, action, exc.message)
        self._needs_person(operator, action)
        holder = self._store.users.with_employee_number(number)
        if holder is not None:
            self._refuse(
                operator,
                action,
                f"The employee number {number} already belongs to {holder.describe()}: one person has one account. "
                f"{'Enable that account instead.' if not holder.active else 'Use that account.'}",
            )
        alike = self.lookalikes(printed)
        if alike:
            self._require(operator, approval, "adding a name that looks like an active person's")
        if chosen is Role.PHARMACIST and not self._first_pharmacist_alone(operator):
            self._require(operator, approval, "adding a pharmacist")
        if alike and (approval is None or not approval.reason):
            self._refuse(
                operator,
                action,
                f"The name “{printed}” looks like that of {', '.join(u.describe() for u in alike)} on the printed "
                "record. If they are different persons, the approving pharmacist gives the reason (--reason).",
            )
        secret = one_time_password()
        user = self.admin.add(
            name,
            printed,
            chosen,
            secret,
            operator,
            self.workstation,
            employee_number=number,
            one_time=True,
            approval=approval,
        )
        return Added(user, secret)

    def reset_password(self, operator: Operator, username: str, approval: Approval | None) -> Added:
        """A new one-time password (a second pharmacist approves); the person chooses their own at the next
        sign-in."""
        user = self._acted_on(operator, username, "resetting a password")
        self._needs_person(operator, "resetting a password")
        self._require(operator, approval, "resetting a password")
        updated, secret = self.admin.reset_password(
            user.username, operator, self.workstation, approval=approval, keep=self._sign_in.ageing.history
        )
        return Added(updated, secret)

    def enable(self, operator: Operator, username: str, approval: Approval | None) -> User:
        user = self._acted_on(operator, username, "enabling an account")
        if user.active:
            raise NothingChanged(f"The account {user.describe()} is already enabled; nothing was changed.")
        self._needs_person(operator, "enabling a disabled account")
        self._require(operator, approval, "enabling a disabled account")
        return self.admin.enable(user.username, operator, self.workstation, approval=approval)

    def disable(self, operator: Operator, username: str) -> User:
        """A disabled account can neither sign in nor sign (one pharmacist may disable: it only takes away)."""
        user = self._acted_on(operator, username, "disabling an account")
        if not user.active:
            raise NothingChanged(f"The account {user.describe()} is already disabled; nothing was changed.")
        self._needs_person(operator, "disabling an account")
        return self.admin.disable(user.username, operator, self.workstation)

    def change_role(self, operator: Operator, username: str, role: Role | str, approval: Approval | None) -> User:
        chosen = _role(role)
        user = self._acted_on(operator, username, "changing a role")
        if user.role is chosen:
            raise NothingChanged(f"{user.describe()} is already a {chosen.value}; nothing was changed.")
        self._needs_person(operator, "changing a role")
        if chosen is Role.PHARMACIST and not self._first_pharmacist_alone(operator):
            self._require(operator, approval, "giving the pharmacist role")
        if user.role is Role.PHARMACIST:  # fewer pharmacists: never below two without a third one's approval
            self._require(operator, approval, "taking the pharmacist role away")
        return self.admin.set_role(user.username, chosen, operator, self.workstation, approval=approval)

    def set_employee_number(self, operator: Operator, username: str, number: str, approval: Approval | None) -> User:
        """Set the person's employee number (accounts made before numbers were kept need one before they can sign):
        a second pharmacist approves; the number is unique."""
        action = "setting an employee number"
        try:
            checked = check_employee_number(number)
            user = self.admin.get(username)
        except InvalidInput as exc:
            self._refuse(operator, action, exc.message)
        if user.employee_number == checked:
            raise NothingChanged(f"The employee number of {user.describe()} is already {checked}; nothing was changed.")
        self._require(operator, approval, action)
        holder = self._store.users.with_employee_number(checked)
        if holder is not None and holder.username != user.username:
            self._refuse(
                operator,
                "setting an employee number",
                f"The employee number {checked} already belongs to {holder.describe()}: one person has one account.",
            )
        return self.admin.set_employee_number(user.username, checked, operator, self.workstation, approval=approval)

    def change_password(self, username: str, current: str, new: str) -> User:
        """The person chooses their own password (after a one-time password, or when theirs is too old): no
        pharmacist needed, their current password is (a wrong one counts toward the lockout)."""
        return self._sign_in.change_password(username, current, new, self.workstation)

    # --- anything else that needs the two persons -------------------------------------------------------
    def require_approval(self, operator: Operator, approval: Approval | None, action: str) -> Approval:
        """For actions outside the accounts (the site certificate, a relaxed floor): the approval, or the refusal."""
        self._needs_person(operator, action)
        return self._require(operator, approval, action)

    def refuse(self, who: Operator | None, action: str, sentence: str) -> NoReturn:
        """Refuse ``action`` with ``sentence`` (audited; raises :class:`AdministrationRefused`)."""
        self._refuse(who if who is not None else self._anonymous(""), action, sentence)

    # --- inside -------------------------------------------------------------------------------------------
    def _acted_on(self, operator: Operator, username: str, action: str) -> User:
        user = self.admin.get(username)
        if same_signer(user.signer(), operator.user.signer()):
            self._refuse(
                operator,
                action,
                f"{operator.user.describe()}, you cannot do this to your own account. Ask another pharmacist "
                "(your own password: hemgenix-prep users change-password).",
            )
        return user

    def _first_pharmacist_alone(self, operator: Operator) -> bool:
        """True while the operator's is the site's only pharmacist account, active or not: nobody could approve, so
        the first pharmacist adds the second alone (accounts are never deleted, and a pharmacist's role is taken
        away only with a second pharmacist's approval, so this holds at the start of a site only)."""
        pharmacists = [u.username for u in self._store.users.list() if u.role is Role.PHARMACIST]
        return pharmacists == [operator.username]

    def _numbered_pharmacist(self) -> bool:
        """True when an active pharmacist's account has an employee number (so one can approve the others')."""
        return any(u.active and u.role is Role.PHARMACIST and u.employee_number for u in self._store.users.list())

    def _needs_person(self, operator: Operator, action: str) -> None:
        if not operator.user.employee_number:
            self._refuse(
                operator,
                action,
                f"{operator.user.describe()} has no employee number yet, so may not be {action}. Set it first with "
                "hemgenix-prep users set-employee-number (a second pharmacist approves).",
            )

    def _require(self, operator: Operator, approval: Approval | None, action: str) -> Approval:
        if approval is None:
            self._refuse(
                operator,
                action,
                f"{action[:1].upper()}{action[1:]} needs a second pharmacist's approval: name them with --approver "
                "(in the window: the approval fields) and let them type their own password.",
            )
        return approval

    def _anonymous(self, typed: str) -> Actor:
        shown = typed if typed and len(typed) <= 32 else "(nobody signed in)"
        if self.os_account:
            return Actor(
                f"cli:{self.os_account}", f"command line, operating-system account {self.os_account}, as {shown}"
            )
        return Actor(shown, "")

    def _refuse(self, who: Operator | Actor, action: str, sentence: str) -> NoReturn:
        """Write the refusal to the audit trail and raise it."""
        details: dict[str, Any] = {"action": action, "reason": sentence}
        if self.os_account:
            details["os_account"] = self.os_account
        try:
            self._store.users.record_refusal(who, self.workstation, f"Refused {action}: {sentence}", details)
        except StorageError as exc:
            raise AdministrationRefused(
                f"{sentence} (The refusal could not be written to the audit trail: {exc.message})"
            ) from exc
        raise AdministrationRefused(
            sentence if "nothing" in sentence.casefold() else f"{sentence} Nothing was changed."
        )


def _role(role: Role | str) -> Role:
    return role if isinstance(role, Role) else parse_role(role)


__all__ = ["TWO_PERSON", "Added", "Administration", "AdministrationRefused", "Approval", "NothingChanged", "Operator"]
