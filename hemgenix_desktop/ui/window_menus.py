"""The main window's menus: History…, Lock the screen, Settings…, Users… (pharmacists only), Quit; Help → About.

:class:`WindowMenus` makes the menu bar of a :class:`~hemgenix_desktop.ui.main_window.MainWindow`, enables what
needs a signed-in person, and opens the Settings dialog (:mod:`ui.settings_dialog`) and the About box
(:mod:`ui.about`: versions, licence, third-party notices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from hemgenix_desktop import PRACTICE_MARK
from hemgenix_desktop.domain.permissions import may_administer
from hemgenix_desktop.ui.widgets import named

if TYPE_CHECKING:
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.ui.about import AboutBox
    from hemgenix_desktop.ui.main_window import MainWindow
    from hemgenix_desktop.ui.settings_dialog import SettingsDialog
    from hemgenix_desktop.ui.users_window import UsersWindow


class WindowMenus(QObject):
    """The menu bar of ``window``, and the windows its menus open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings_dialog: SettingsDialog | None = None
        self.about_box: AboutBox | None = None
        self.users_window: UsersWindow | None = None
        bar = window.menuBar()
        named(bar, "mainMenuBar", self.tr("Menu bar"))
        menu = bar.addMenu(self.tr("&Hemgenix Prep"))
        named(menu, "mainMenu", self.tr("Hemgenix Prep menu"))
        self.history_action = QAction(self.tr("&History…"), window)
        self.history_action.setObjectName("historyAction")
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(window.show_history)
        self.lock_action = QAction(self.tr("&Lock the screen"), window)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(window.lock_now)
        self.settings_action = QAction(self.tr("&Settings…"), window)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(self.show_settings)
        self.users_action = QAction(self.tr("&Users…"), window)
        self.users_action.setObjectName("usersAction")
        self.users_action.triggered.connect(self.show_users)
        self.about_action = QAction(self.tr("&About Hemgenix Prep"), window)
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        quit_action = QAction(self.tr("&Quit"), window)
        quit_action.setObjectName("quitAction")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(window.close)
        for action in (self.history_action, self.lock_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addAction(self.users_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        help_menu = bar.addMenu(self.tr("He&lp"))  # Alt+L: Alt+H opens the Hemgenix Prep menu
        named(help_menu, "helpMenu", self.tr("Help menu"))
        help_menu.addAction(self.about_action)
        self.set_signed_in(False)

    def set_signed_in(self, enabled: bool) -> None:
        self.history_action.setEnabled(enabled)
        self.lock_action.setEnabled(enabled)
        self.settings_action.setEnabled(enabled)
        user = getattr(self.window, "user", None)  # None while the window is being built
        practice = bool(getattr(self.window, "practice", False))
        pharmacist = enabled and user is not None and may_administer(user.role.value) and not practice
        self.users_action.setVisible(pharmacist)  # technicians do not see it at all
        self.users_action.setEnabled(pharmacist)

    def show_users(self) -> UsersWindow | None:
        """The Users window, for a signed-in pharmacist only (the service checks the role again at each change)."""
        window = self.window
        user = window.user
        if user is None or window.is_locked() or not may_administer(user.role.value):
            return None
        from hemgenix_desktop.ui.users_window import UsersWindow

        if self.users_window is not None:
            self.users_window.deleteLater()
        dialog = UsersWindow(window, window.services, user)
        self.users_window = dialog
        dialog.open()
        return dialog

    # --- settings and about --------------------------------------------------------------------------------
    def show_settings(self) -> SettingsDialog | None:
        """The Settings dialog (a pharmacist edits, others read); only while someone is signed in and the screen
        is not locked (the lock hides it with the other windows this window owns)."""
        window = self.window
        user = window.user
        if user is None or window.is_locked():
            return None
        from hemgenix_desktop.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            if self.settings_dialog.isVisible():
                self.settings_dialog.raise_()
                self.settings_dialog.activateWindow()
                return self.settings_dialog
            self.settings_dialog.deleteLater()
        services = window.services
        dialog = SettingsDialog(
            window, user=user, store=services.store, workstation=services.workstation, practice=window.practice
        )
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def about_text(self) -> str:
        """What the About box says: the version, the licence, Qt and PySide6, the database schema, the site,
        this workstation, the database (its password hidden) and the data folder."""
        from hemgenix_desktop.settings import hide_password
        from hemgenix_desktop.ui.about import qt_version_lines

        services: Workstation | None = getattr(self.window, "services", None)
        first, *versions = qt_version_lines()
        lines = [
            first,
            self.tr("Guided preparation of one patient's dose of Hemgenix (etranacogene dezaparvovec-drlb)."),
            "",
            *versions,
            "",
        ]
        if services is None:
            lines.append(self.tr("The database is still being opened."))
        else:
            if services.practice:
                database = self.tr("the practice database, in memory: nothing is kept after the program closes")
            else:
                database = hide_password(services.store.url)
            lines += [
                self.tr("Site: {site}").format(site=services.site),
                self.tr("Workstation: {workstation}").format(workstation=services.workstation),
                self.tr("Database: {database}").format(database=database),
                self.tr("Data folder: {folder}").format(folder=services.data_dir),
            ]
        if self.window.practice:
            lines += ["", self.tr("{mark}: practice mode, for training only.").format(mark=PRACTICE_MARK)]
        return "\n".join(lines)

    def show_about(self) -> AboutBox:
        """Help → About (not modal to the program: it is opened, never run)."""
        from hemgenix_desktop.ui.about import AboutBox

        if self.about_box is not None:
            self.about_box.deleteLater()
        box = AboutBox(self.about_text(), self.window.windowIcon(), self.window)
        self.about_box = box
        box.open()
        return box


__all__ = ["WindowMenus"]
