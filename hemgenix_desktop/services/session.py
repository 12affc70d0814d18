"""The session at this workstation, with no Qt: who is signed in, the signing session (21 CFR 11.200), the lock.

:class:`WorkstationSession` is what the main window, the lock screen and the sign-in screen share: a sign-in starts
a new continuous signing session; a lock breaks it (the next signature takes the username again) and is audited
(``screen_locked``), as is the unlock (``screen_unlocked``, naming the person taken over from). The end of a review
is audited too (``review_finished``) before the signatures open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import StorageError, User, short_id

if TYPE_CHECKING:  # the signing services (sealing, the PDFs, cryptography) load with the first signing session
    from hemgenix_desktop.services.signing import SigningSession


@dataclass(frozen=True)
class Unlocked:
    """An unlock: who was signed in before (None: nobody), whether another person took over, and "" or the
    sentence saying the audit trail could not be written."""

    previous: User | None
    took_over: bool
    problem: str


class WorkstationSession:
    """Who is signed in at this workstation, and their signing session."""

    def __init__(self, ws: Workstation) -> None:
        self.ws = ws
        self.user: User | None = None
        self.locked = False
        self._signing: SigningSession | None = None
        self._broken = False  # the screen was locked since the sign-in: signatures take the user ID

    def signed_in(self, user: User) -> None:
        """A sign-in: a new continuous session."""
        self.user, self.locked = user, False
        self._signing, self._broken = None, False

    def signing_session(self) -> SigningSession | None:
        """The signed-in person's signing session: one per sign-in (its first signature takes the username too),
        a new non-continuous one after every unlock (a lock breaks the session, 21 CFR 11.200)."""
        user = self.user
        if user is None:
            return None
        session = self._signing
        if session is None or session.user.username != user.username:
            from hemgenix_desktop.services.signing import SigningSession

            session = SigningSession(user, continuous=not self._broken)
            self._signing = session
        return session

    def lock(self, audit_text: str) -> str:
        """The screen locks (``audit_text`` says why, e.g. "The screen locked after 5 minutes without input");
        returns "" or the sentence saying the audit trail could not be written. Nobody signed in: nothing."""
        user = self.user
        if user is None:
            return ""
        self.locked = True
        try:
            self.ws.store.record_event(
                user,
                self.ws.workstation,
                AuditAction.SCREEN_LOCKED,
                f"{audit_text}; {user.describe()} was signed in.",
                after=self._os_account(),
            )
        except StorageError as exc:
            return exc.message
        return ""

    def unlock(self, user: User) -> Unlocked:
        """``user`` signed in again on the lock screen (the same person, or another who takes over): audited; the
        signing session is broken, so the next signature takes the username too."""
        previous = self.user
        took_over = previous is not None and previous.username != user.username
        summary = f"{user.describe()} unlocked the screen"
        if previous is not None and took_over:
            summary += f" and took over from {previous.describe()}"
        problem = ""
        try:
            self.ws.store.record_event(
                user, self.ws.workstation, AuditAction.SCREEN_UNLOCKED, summary + ".", after=self._os_account()
            )
        except StorageError as exc:
            problem = exc.message
        self.user, self.locked = user, False
        self._signing, self._broken = None, True
        return Unlocked(previous, took_over, problem)

    def _os_account(self) -> dict[str, str]:
        """The operating-system account beside the person (the sign-in service's, looked up once at start)."""
        return {"os_account": self.ws.sign_in.os_account or "unknown"}

    def review_finished(self, prep: Preparation) -> None:
        """The review of ``prep`` is finished: audited before its signatures open. Raises ``DomainError`` or
        ``StorageError`` with the sentence when the audit trail cannot be written."""
        user = self.user
        if user is None:
            raise StorageError("Nobody is signed in. Sign in again.")
        self.ws.store.record_event(
            user,
            self.ws.workstation,
            AuditAction.REVIEW_FINISHED,
            f"{user.describe()} finished the review of preparation {short_id(prep.id)}; it is ready for signatures.",
            preparation_id=prep.id,
        )


__all__ = ["Unlocked", "WorkstationSession"]
