"""The Settings dialog: the settings a site sets once, edited by a pharmacist (README, “Settings a site sets once”).

``SettingsDialog(parent, user=…, store=…, workstation=…, practice=…)``, opened with ``.open()``.

* **The form** is built from :data:`hemgenix_desktop.settings.FIELDS`: per setting its label, the input (a spin box
  within the limits for a whole number, else one line of text), its help, its default, and the value in effect now
  with where it comes from (:func:`~hemgenix_desktop.settings.resolve_settings`). When the setting's environment
  variable is set on this workstation, a sentence beside the field says that it comes before the file. What
  :func:`~hemgenix_desktop.settings.load_settings` found wrong in the file is listed at the top.
* **Who may change**: a pharmacist. A technician sees every value read-only, with a sentence that a pharmacist must
  change them. The role is checked again in the database when saving (the account may have been disabled since).
* **Save** checks every field with :func:`~hemgenix_desktop.settings.validate_setting`: a bad value gets its
  sentence beside the field and nothing is saved (what was typed stays). Otherwise the file is written with
  :func:`~hemgenix_desktop.settings.save_settings` (atomic, owner-only) and one ``settings_changed`` event goes to the
  audit trail naming each changed key with its old and new value. If the audit trail cannot be written, the old
  file is put back, so no change is without its event. Only what was edited here is changed: a value someone else
  wrote into the file meanwhile (``hemgenix-prep settings set``) is kept, and an edit of the same setting is refused.
  Hemgenix Prep reads its settings when it starts, so the sentence after saving says to restart it, and what a new
  database means. A file that cannot be read as settings is replaced only after a question.
* **The database password** is never shown: the address shows ``user:***@host``; left as it is, the stored password
  is kept; an address changed while still showing ``***`` is refused with a sentence (type the password again).
* **Practice mode** saves nothing: practice accounts are not the pharmacy's staff, and rehearsing must not change
  the workstation. The Save button reads “Check the values”: it checks every value as Save would (so the dialog can
  be rehearsed), then says that nothing was saved and how to change the settings for real. No audit event.
* **The screen lock**: the dialog holds the user who opened it; its owner (the main window) must close it when
  another person takes over the session (an unlock by someone else), so nobody saves under another's name.
* **Restore default** per field puts the default in the field (saved only with Save); **Cancel** discards.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.permissions import may_administer
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.services.settings_change import (
    SettingsNotSavedError,
    check_may_save,
    save_audited,
)
from hemgenix_desktop.services.shared_types import Store, User
from hemgenix_desktop.settings import (
    FIELDS,
    KEYS,
    SOURCE_DEFAULT,
    SOURCE_FILE,
    ResolvedSettings,
    SettingField,
    SiteSettings,
    Value,
    hide_password,
    load_settings,
    resolve_settings,
    setting_field,
    settings_path,
    validate_setting,
)
from hemgenix_desktop.settings_file import cannot_be_read
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.setting_rows import EXTRA_STYLE, SettingRow
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import (
    MessageLabel,
    PracticeBanner,
    hint_label,
    named,
    notice_banner,
    warning_banner,
)
from hemgenix_desktop.ui.window_place import fit_to_screen

HIDDEN_PASSWORD = ":***@"  # how hide_password shows a database password


class SettingsDialog(QDialog):
    """The settings of this workstation's file. ``saved`` carries the keys that changed after a save."""

    saved = Signal(list)

    def __init__(self, parent: QWidget | None, *, user: User, store: Store, workstation: str, practice: bool) -> None:
        super().__init__(parent)
        named(self, "settingsDialog", self.tr("Settings of this workstation"))
        title = self.tr("Hemgenix Prep: settings")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if practice else title)
        self.setStyleSheet(STYLE_SHEET + EXTRA_STYLE)
        self.resize(1000, 720)
        fit_to_screen(self)  # a 720-px screen, or 150 % scaling: never past the screen's edge
        self._user = user
        self._store = store
        self._workstation = workstation
        self.practice = practice
        self.can_edit = may_administer(user.role)
        self.path = settings_path()
        self.opened, file_warnings = load_settings()  # the file's values when the dialog opened (what is edited)
        self.resolved: ResolvedSettings = resolve_settings()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        if practice:
            layout.addWidget(PracticeBanner("settingsPracticeBanner"))
        layout.addWidget(heading_label(self.tr("Settings of this workstation"), "settingsHeading"))
        self.file_label = named(hint_label(""), "settingsFileLabel", self.tr("The settings file"))
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.file_label)

        self.notice = notice_banner("settingsNotice", self.tr("Who may change the settings"))
        if not self.can_edit:
            self.notice.show_text(
                self.tr(
                    "You are signed in as a technician, so you can read these settings but not change them. "
                    "A pharmacist must change them: ask the pharmacist in charge to sign in and open Settings."
                )
            )
        elif practice:
            self.notice.show_text(
                self.tr(
                    "Practice mode saves no settings: practice must not change this workstation. You can try the "
                    "form, and “Check the values” checks them, but nothing is written. To change the settings, "
                    "start Hemgenix Prep without practice mode and sign in as a pharmacist."
                )
            )
        layout.addWidget(self.notice)
        self.warnings = warning_banner("settingsWarnings", self.tr("Problems found in the settings"))
        layout.addWidget(self.warnings)

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("settingsScrollArea")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        body.setObjectName("settingsBody")
        grid = QGridLayout(body)
        grid.setContentsMargins(10, 8, 14, 8)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        self.rows: dict[str, SettingRow] = {}
        line = 0
        for index, spec in enumerate(FIELDS):
            row = SettingRow(spec, self.can_edit)
            self.rows[spec.key] = row
            if index:
                rule = QFrame()
                rule.setFrameShape(QFrame.Shape.HLine)
                rule.setFrameShadow(QFrame.Shadow.Sunken)
                grid.addWidget(rule, line, 0, 1, 2)
                grid.setRowMinimumHeight(line, 14)
                line += 1
            inputs = QHBoxLayout()
            inputs.setSpacing(10)
            inputs.addWidget(row.input, 1 if row.edit is not None else 0)
            inputs.addWidget(row.restore, 0)
            if row.spin is not None:
                inputs.addStretch(1)
            grid.addWidget(row.label, line, 0, 4, 1, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(inputs, line, 1)
            grid.addWidget(row.message, line + 1, 1)
            grid.addWidget(row.help, line + 2, 1)
            grid.addWidget(row.in_effect_label, line + 3, 1)
            grid.addWidget(row.environment, line + 4, 1)
            line += 5
        grid.setRowStretch(line, 1)
        self.scroll_area.setWidget(body)
        layout.addWidget(self.scroll_area, 1)

        self.message = MessageLabel("settingsMessage", self.tr("What happened when saving"))
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if practice:  # the button says what it does: it checks, and practice saves nothing
            save_text, save_name = self.tr("Check the values"), self.tr("Check the values (practice saves nothing)")
        else:
            save_text, save_name = self.tr("Save"), self.tr("Save the settings")
        self.save_button = named(QPushButton(save_text), "settingsSaveButton", save_name)
        self.save_button.setVisible(self.can_edit)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = named(
            QPushButton(self.tr("Cancel") if self.can_edit else self.tr("Close")),
            "settingsCancelButton",
            self.tr("Close without saving") if self.can_edit else self.tr("Close"),
        )
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        for button in (self.save_button, self.cancel_button):
            button.setMinimumWidth(120)
        (self.save_button if self.can_edit else self.cancel_button).setDefault(True)

        for spec in FIELDS:
            self.rows[spec.key].show_value(self.opened.value(spec.key))
        self._refresh(file_warnings)

    # --- what is shown besides the inputs ---------------------------------------------------------------
    def _refresh(self, file_warnings: list[str]) -> None:
        """The file's name, the problems at the top, and per field its default, the value in effect, the
        environment variable's precedence."""
        if self.resolved.file_exists:
            self.file_label.setText(self.tr("Settings file: {path}").format(path=self.path))
        else:
            self.file_label.setText(
                self.tr("Settings file: {path} (it does not exist yet: saving creates it)").format(path=self.path)
            )
        problems = list(dict.fromkeys([*file_warnings, *self.resolved.warnings]))
        if problems:
            intro = self.tr("Until these are corrected, Hemgenix Prep uses what each sentence says:")
            self.warnings.show_text("\n".join([intro, *(f"• {problem}" for problem in problems)]))
        else:
            self.warnings.clear_text()
        for spec in FIELDS:
            row = self.rows[spec.key]
            row.in_effect_label.setText(
                self.tr("Default: {default}. In effect now: {value}, {source}.").format(
                    default=self._default_text(spec), value=self._in_effect(spec), source=self._source(spec)
                )
            )
            row.environment.show_message(self._environment_sentence(spec))

    def _default_text(self, spec: SettingField) -> str:
        if isinstance(spec.default, str) and spec.default == "":
            return spec.empty_means
        return str(spec.default)

    def _in_effect(self, spec: SettingField) -> str:
        if spec.key == "database_url":
            if self.practice:
                return self.tr("a practice database in memory (outside practice mode: {url})").format(
                    url=self._database_in_effect()
                )
            planned = self._database_in_effect()
            running = self._store.url  # the database this session opened (its password hidden)
            if planned == f"“{running}”":
                return planned
            return self.tr("“{running}”, opened when Hemgenix Prep started (the next start opens {planned})").format(
                running=running, planned=planned
            )
        value = self.resolved.settings.value(spec.key)
        if isinstance(value, str) and value == "":
            return spec.empty_means
        return f"“{value}”" if isinstance(value, str) else str(value)

    def _database_in_effect(self) -> str:
        if self.resolved.database_problem is not None:
            return self.tr("none (no database can be opened: see the sentences at the top)")
        return f"“{hide_password(str(self.resolved.settings.database_url))}”"

    def _source(self, spec: SettingField) -> str:
        source = self.resolved.sources[spec.key]
        if source == SOURCE_FILE:
            return self.tr("from the settings file")
        if source == SOURCE_DEFAULT:
            return self.tr("the default")
        if source.startswith("environment "):
            return self.tr("from the environment variable {name}").format(name=spec.env)
        return self.tr("from the {source}").format(source=source)

    def _environment_sentence(self, spec: SettingField) -> str:
        raw = os.environ.get(spec.env, "").strip()
        if not raw:
            return ""
        if self.resolved.sources[spec.key].startswith("environment "):
            return self.tr(
                "The environment variable {name} is set on this workstation, and it comes before the settings file: "
                "what is saved here is kept in the file, but {name}'s value is used while it is set."
            ).format(name=spec.env)
        return self.tr(
            "The environment variable {name} is set on this workstation but cannot be used (see the sentences at "
            "the top), so it does not replace the value here. Ask IT to correct or remove it."
        ).format(name=spec.env)

    # --- saving ------------------------------------------------------------------------------------------
    def typed_values(self) -> tuple[dict[str, Value], dict[str, str]]:
        """Every field's value, checked: (the usable values, a sentence per bad field)."""
        values: dict[str, Value] = {}
        problems: dict[str, str] = {}
        for spec in FIELDS:
            text = self.rows[spec.key].text()
            refusal = self.rows[spec.key].refusal()
            if refusal:
                problems[spec.key] = refusal
                continue
            try:
                if spec.key == "database_url":
                    text = self._database_text(text)
                values[spec.key] = validate_setting(spec.key, text)
            except InvalidInput as exc:
                problems[spec.key] = exc.message
        return values, problems

    def _database_text(self, text: str) -> str:
        """The address with the stored password put back when the field still shows it hidden."""
        stored = str(self.opened.database_url)
        if text.strip() == hide_password(stored):
            return stored
        if HIDDEN_PASSWORD in text:
            raise InvalidInput(
                self.tr(
                    "The database address still shows the password as ***, but the address was changed, so the "
                    "stored password cannot be kept for it. Type the password in place of ***, or leave the "
                    "address as it was."
                )
            )
        return text

    def save(self) -> bool:
        """Check every field; write the file and the audit event. True when the file was written."""
        self.message.clear_message()
        if not self.can_edit:
            self.message.show_message(self.tr("Only a pharmacist can change the settings."), "error")
            return False
        values, problems = self.typed_values()
        for key, row in self.rows.items():
            row.message.show_message(problems.get(key, ""))
        if problems:
            first = self.rows[next(key for key in KEYS if key in problems)]
            first.input.setFocus()
            QTimer.singleShot(0, lambda: self._show_row(first))  # once the sentences are laid out
            labels = ", ".join(setting_field(key).label for key in KEYS if key in problems)
            self.message.show_message(
                self.tr(
                    "Nothing was saved: {labels} cannot be used (the sentence under each says why). Correct that, "
                    "then save again."
                ).format(labels=labels),
                "error",
            )
            return False
        if self.practice:
            self.message.show_message(
                self.tr(
                    "Every value can be used, but practice mode saves no settings, so nothing was saved. To change "
                    "them, start Hemgenix Prep without practice mode and sign in as a pharmacist."
                ),
                "status",
            )
            return False
        try:
            check_may_save(self._store, self._user)
        except SettingsNotSavedError as exc:
            self.message.show_message(exc.message, "error")
            return False
        current, file_warnings = load_settings()
        edited = {key: value for key, value in values.items() if value != self.opened.value(key)}
        clashes = [key for key, value in edited.items() if current.value(key) not in (self.opened.value(key), value)]
        if clashes:
            self.message.show_message(
                self.tr(
                    "Nothing was saved: someone changed {keys} in the settings file while this window was open. "
                    "Note what you typed, close this window with Cancel and open Settings again to see the new values."
                ).format(keys=", ".join(clashes)),
                "error",
            )
            return False
        target = current
        for key, value in edited.items():
            target = target.with_value(key, value)
        changed = [key for key in KEYS if target.value(key) != current.value(key)]
        if not changed and not file_warnings and self.path.exists():
            self.message.show_message(
                self.tr("Nothing was changed, so the settings file was left as it was."), "status"
            )
            return False
        if cannot_be_read(self.path):
            msgbox.ask(
                self,
                self.tr("Replace the settings file?"),
                self.tr(
                    "The settings file {path} cannot be read as settings, so every setting has its default now. "
                    "Replace it with the values in this window? What it holds now will be lost."
                ).format(path=self.path),
                lambda: self._replace_unreadable(current, target, changed, file_warnings),
                yes_text=self.tr("Replace the file"),
                no_text=self.tr("Keep the file"),
            )
            self.message.show_message(
                self.tr("Nothing was saved yet: the settings file cannot be read, see the question."), "status"
            )
            return False
        return self._write(current, target, changed, file_warnings, replace=False)

    def _show_row(self, row: SettingRow) -> None:
        """Scroll so that a field is at the top, with the sentence under it in view."""
        self.scroll_area.verticalScrollBar().setValue(max(0, row.label.y() - 12))

    def _replace_unreadable(
        self, current: SiteSettings, target: SiteSettings, changed: list[str], file_warnings: list[str]
    ) -> None:
        """The pharmacist agreed to replace a settings file that cannot be read."""
        self._write(current, target, changed, file_warnings, replace=True)

    def _write(
        self,
        current: SiteSettings,
        target: SiteSettings,
        changed: list[str],
        file_warnings: list[str],
        *,
        replace: bool,
    ) -> bool:
        """Write the file, then its audit event (``services.settings_change``: put back if the event fails)."""
        try:
            save_audited(
                self._store,
                self._user,
                self._workstation,
                self.path,
                (current, target, changed),
                file_warnings=len(file_warnings),
                replace=replace,
            )
        except (InvalidInput, SettingsNotSavedError) as exc:
            self.message.show_message(exc.message, "error")
            return False
        self.opened, fresh_warnings = load_settings()
        self.resolved = resolve_settings()
        for spec in FIELDS:
            self.rows[spec.key].show_value(self.opened.value(spec.key))
            self.rows[spec.key].message.clear_message()
        self._refresh(fresh_warnings)
        self.message.show_message(self._saved_sentence(current, changed), "ok")
        self.cancel_button.setText(self.tr("Close"))
        self.cancel_button.setAccessibleName(self.tr("Close"))
        self.saved.emit(changed)
        return True

    def _saved_sentence(self, before: SiteSettings, changed: list[str]) -> str:
        if not changed:
            return self.tr(
                "Saved in {path}: no value changed, but the file no longer holds what could not be used."
            ).format(path=self.path)
        labels = ", ".join(setting_field(key).label for key in changed)
        sentences = [
            self.tr("Saved in {path}: {labels}.").format(path=self.path, labels=labels),
            self.tr(
                "Hemgenix Prep reads its settings when it starts: close it and start it again on this workstation "
                "for the changes to apply."
            ),
        ]
        if "database_url" in changed:
            new = str(self.opened.database_url)
            sentences.append(
                self.tr(
                    "At the next start it opens the database {new}; the preparations, accounts and audit trail made "
                    "so far stay in the database in use now ({old})."
                ).format(
                    new=f"“{hide_password(new)}”" if new else setting_field("database_url").empty_means,
                    old=f"“{hide_password(str(before.database_url))}”"
                    if before.database_url
                    else setting_field("database_url").empty_means,
                )
            )
        for key in changed:
            spec = setting_field(key)
            if self.resolved.sources[key].startswith("environment "):
                sentences.append(
                    self.tr("{setting}: the environment variable {name} comes first while it is set.").format(
                        setting=spec.label, name=spec.env
                    )
                )
        return " ".join(sentences)
