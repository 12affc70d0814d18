"""One workstation's services: the store, the password checks, the clock and zone, and this workstation's settings.

:class:`Workstation` is the one container the main window, the signing process, a reprint and a correction work
with (built from the settings with :meth:`Workstation.from_settings`). It loads nothing heavy itself: the checklist
is read when first asked for, the label size parsed when a label is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from hemgenix_desktop import config
from hemgenix_desktop.security.passwords import PasswordPolicy
from hemgenix_desktop.security.signin import IdleLockPolicy, LockoutPolicy, PasswordAgeing, SignInService
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.setting_table import DRIFT_NOTICE_PERCENT

if TYPE_CHECKING:  # loaded with the database, after the first screen
    from hemgenix_desktop.config import Settings
    from hemgenix_desktop.domain.checks import Checklist
    from hemgenix_desktop.domain.preparation import Preparation
    from hemgenix_desktop.records.label_pdf import LabelSize
    from hemgenix_desktop.settings import SiteSettings
    from hemgenix_desktop.storage import Store

DEFAULT_LABEL_SIZE = "4x6in"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _standard_checklist() -> Checklist:
    from hemgenix_desktop.domain.checks import load_checklist  # with the database, after the first screen

    return load_checklist()


@dataclass(frozen=True)
class Startup:
    """What is known before the database is open, for the first screen (``MainWindow(start=...)``): which one (the
    first account's, or the sign-in), and the numbers those screens state."""

    first_user: bool  # True: no account exists yet
    workstation: str
    practice: bool = False
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    lock_after_ms: int = IdleLockPolicy().timeout_ms
    tz: tzinfo | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, practice: bool, first_user: bool) -> Startup:
        """As :meth:`Workstation.from_settings` will have it once the database is open."""
        return cls(
            first_user=first_user,
            workstation=config.workstation_name(),
            practice=practice,
            lockout=LockoutPolicy.from_settings(settings),
            lock_after_ms=IdleLockPolicy.from_settings(settings).timeout_ms,
        )


@dataclass
class Workstation:
    """The store and this workstation's settings, as every service works with them."""

    store: Store
    sign_in: SignInService
    admin: UserAdmin
    workstation: str  # this workstation's name, on every record and in the audit trail
    data_dir: Path  # the site certificate lives in <data_dir>/site-signing
    records_dir: Path  # both PDFs of a sealed record are saved here
    site: str = config.DEFAULT_SITE_NAME  # printed on every record and label
    practice: bool = False
    gs_standin: str | None = None
    idle_minutes: int = IdleLockPolicy().idle_minutes
    idle_lock_ms: int | None = None  # None: idle_minutes; tests give a few milliseconds
    checklist: Checklist = field(default_factory=_standard_checklist)
    now: Callable[[], datetime] = utc_now  # the wizard's and the signatures' clock
    tz: tzinfo | None = None  # the zone times are shown in (None: the computer's)
    label_size: str = DEFAULT_LABEL_SIZE  # the bag label's size, as the settings write it
    printer_name: str = ""  # the printer the print dialog chooses first ("": the computer's default)
    lab_results_newer_than_days: int = 0  # the site's age limit for laboratory results (0: none)
    drift_notice_percent: int = DRIFT_NOTICE_PERCENT  # a weight change with the same vials: a notice up to this

    @classmethod
    def from_settings(
        cls,
        store: Store,
        settings: Settings | None = None,
        *,
        practice: bool | None = None,
        gs_standin: str | None = None,
        site: SiteSettings | None = None,
        data_dir: Path | None = None,
        sign_in: SignInService | None = None,
    ) -> Workstation:
        """This workstation: its name (``HEMGENIX_WORKSTATION``), the site's lockout and idle-lock numbers, and
        (``site``, from ``settings.resolve_settings()``) the site's name, label size and printer; without ``site``
        the name is ``HEMGENIX_SITE``'s. Records are saved in ``<data folder>/records``. A practice store's data
        folder is a new temporary one, with a throwaway signing key of its own: practice records never reach the
        pharmacy's folder, and practice never makes, asks for or uses the site's key."""
        practising = store.practice if practice is None else practice
        if practising:
            from hemgenix_desktop.security.throwaway import practice_data_folder

            folder = practice_data_folder()
        else:
            folder = data_dir if data_dir is not None else config.data_dir()
        records = folder / "records"
        return cls(
            store=store,
            sign_in=sign_in
            or SignInService(
                store,
                lockout=LockoutPolicy.from_settings(settings),
                ageing=PasswordAgeing.from_settings(settings),
                os_account=config.os_account(),
            ),
            admin=UserAdmin(store),
            workstation=config.workstation_name(),
            data_dir=folder,
            records_dir=records,
            site=(site.site_name or config.DEFAULT_SITE_NAME) if site is not None else config.site_name(),
            practice=practising,
            gs_standin=gs_standin,
            idle_minutes=IdleLockPolicy.from_settings(settings).idle_minutes,
            label_size=site.label_size if site is not None else DEFAULT_LABEL_SIZE,
            printer_name=site.printer if site is not None else "",
            lab_results_newer_than_days=site.lab_results_newer_than_days if site is not None else 0,
            drift_notice_percent=site.drift_notice_pct if site is not None else DRIFT_NOTICE_PERCENT,
        )

    def new_preparation(self) -> Preparation:
        """A new Preparation with this site's setting for weight changes (kept with it, so that its record says
        what was in force)."""
        from decimal import Decimal  # with the preparation, not before the first screen

        from hemgenix_desktop.domain.preparation import Preparation  # with the database, after the first screen

        return Preparation(practice=self.practice, drift_notice_percent=Decimal(self.drift_notice_percent))

    @property
    def lock_after_ms(self) -> int:
        return self.idle_lock_ms if self.idle_lock_ms is not None else IdleLockPolicy(self.idle_minutes).timeout_ms

    def startup(self) -> Startup:
        """The same numbers as :class:`Startup` (with its services the window asks the database which screen)."""
        return Startup(
            first_user=False,
            workstation=self.workstation,
            practice=self.practice,
            lockout=self.sign_in.lockout,
            password_policy=self.admin.policy,
            lock_after_ms=self.lock_after_ms,
            tz=self.tz,
        )

    def label(self) -> LabelSize:
        """The bag label's size (parsed when a label is first built: the PDF libraries load then)."""
        from hemgenix_desktop.records.label_pdf import parse_label_size

        return parse_label_size(self.label_size)


__all__ = ["DEFAULT_LABEL_SIZE", "Startup", "Workstation", "utc_now"]
