"""The Settings dialog: a pharmacist edits the site's settings file; a technician only reads it; practice saves
nothing; a bad value gets its sentence and nothing is written; every save is one audit event; the database
password is never shown."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.settings import ENV_CONFIG, FIELDS, SiteSettings, load_settings, save_settings
from hemgenix_desktop.storage import AuditEvent, StorageError, Store, User
from hemgenix_desktop.ui.settings_dialog import SettingsDialog
from tests.helpers.store import OPERATOR, cheap_passwords
from tests.ui.conftest import Boxes
from tests.ui.main_helpers import OFFSCREEN_NOISE, WORKSTATION, add_people, visible_texts

SECRET = "s3cret-pa55"
PG_URL = f"postgresql+psycopg://hemgenix:{SECRET}@db.pharmacy.example/hemgenix"

DialogFactory = Callable[..., SettingsDialog]
pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings file of this test only (not created), and no setting's environment variable set."""
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv(ENV_CONFIG, str(path))
    for spec in FIELDS:
        monkeypatch.delenv(spec.env, raising=False)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}")
    yield opened
    opened.close()


@pytest.fixture
def people(store: Store) -> dict[str, User]:
    return add_people(store)


@pytest.fixture
def open_dialog(qtbot: QtBot, store: Store, people: dict[str, User], settings_file: Path) -> DialogFactory:
    def build(username: str = "ppharm", *, practice: bool = False) -> SettingsDialog:
        dialog = SettingsDialog(None, user=people[username], store=store, workstation=WORKSTATION, practice=practice)
        qtbot.addWidget(dialog)
        return dialog

    return build


def edit(dialog: SettingsDialog, key: str) -> QLineEdit:
    found = dialog.rows[key].edit
    assert found is not None, key
    assert dialog.findChild(QLineEdit, found.objectName()) is found
    return found


def spin(dialog: SettingsDialog, key: str) -> QSpinBox:
    found = dialog.rows[key].spin
    assert found is not None, key
    return found


def type_into(dialog: SettingsDialog, key: str, text: str) -> None:
    field = edit(dialog, key)
    field.setText(text)
    field.textEdited.emit(text)


def settings_events(store: Store) -> list[AuditEvent]:
    return [event for event in store.audit_trail() if event.action == AuditAction.SETTINGS_CHANGED]


# --- a pharmacist edits and saves -----------------------------------------------------------------------------
def test_a_pharmacist_edits_and_saves(open_dialog: DialogFactory, settings_file: Path, store: Store) -> None:
    save_settings(SiteSettings(site_name="St. Example Infusion Pharmacy", printer="Zebra_bay2"), settings_file)
    dialog = open_dialog()
    assert edit(dialog, "site_name").text() == "St. Example Infusion Pharmacy"
    assert not edit(dialog, "site_name").isReadOnly()
    type_into(dialog, "site_name", "  St. Other   Pharmacy ")
    spin(dialog, "idle_lock_minutes").setValue(10)
    type_into(dialog, "label_size", "100x150mm")
    type_into(dialog, "gs_standin", "|")
    saved: list[list[str]] = []
    dialog.saved.connect(saved.append)

    dialog.save_button.click()

    settings, warnings = load_settings(settings_file)
    assert warnings == []
    assert settings.site_name == "St. Other Pharmacy"
    assert settings.idle_lock_minutes == 10
    assert settings.label_size == "100x150mm"
    assert settings.gs_standin == "|"
    assert settings.printer == "Zebra_bay2"  # not edited: kept
    assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    assert saved == [["site_name", "idle_lock_minutes", "label_size", "gs_standin"]]
    sentence = dialog.message.text()
    assert dialog.message.property("message") == "ok"
    assert str(settings_file) in sentence
    assert "Site name" in sentence
    assert "Bag label size" in sentence
    assert "start it again" in sentence  # the program reads its settings when it starts
    assert edit(dialog, "site_name").text() == "St. Other Pharmacy"  # the value as saved
    assert "“St. Other Pharmacy”, from the settings file" in dialog.rows["site_name"].in_effect_label.text()
    assert dialog.cancel_button.text() == "Close"


def test_saving_writes_one_audit_event_with_before_and_after(
    open_dialog: DialogFactory, settings_file: Path, store: Store, people: dict[str, User]
) -> None:
    save_settings(SiteSettings(site_name="Old Pharmacy"), settings_file)
    dialog = open_dialog()
    type_into(dialog, "site_name", "New Pharmacy")
    spin(dialog, "lockout_minutes").setValue(30)
    assert dialog.save()

    events = settings_events(store)
    assert len(events) == 1
    event = events[0]
    assert event.username == people["ppharm"].username
    assert event.workstation == WORKSTATION
    assert event.before == {"site_name": "Old Pharmacy", "lockout_minutes": 15}
    assert event.after == {"site_name": "New Pharmacy", "lockout_minutes": 30}
    assert "site_name “Old Pharmacy” → “New Pharmacy”" in event.summary
    assert "lockout_minutes 15 → 30" in event.summary
    assert store.verify_audit_chain().intact


def test_saving_nothing_changed_writes_nothing(open_dialog: DialogFactory, settings_file: Path, store: Store) -> None:
    save_settings(SiteSettings(site_name="Same Pharmacy"), settings_file)
    before = settings_file.read_bytes()
    dialog = open_dialog()
    assert not dialog.save()
    assert "Nothing was changed" in dialog.message.text()
    assert settings_file.read_bytes() == before
    assert settings_events(store) == []


# --- bad values ----------------------------------------------------------------------------------------------
def test_a_bad_value_gets_a_sentence_and_nothing_is_written(
    open_dialog: DialogFactory, settings_file: Path, store: Store
) -> None:
    save_settings(SiteSettings(site_name="Kept Pharmacy"), settings_file)
    before = settings_file.read_bytes()
    dialog = open_dialog()
    dialog.show()
    type_into(dialog, "site_name", "Typed Pharmacy")
    type_into(dialog, "label_size", "2x2in")
    type_into(dialog, "database_url", "sqlite:///relative/file.sqlite3")
    spin(dialog, "idle_lock_minutes").setValue(12)  # within the site floor (15): beyond it needs two pharmacists

    assert not dialog.save()

    assert settings_file.read_bytes() == before
    assert settings_events(store) == []
    label_message = dialog.rows["label_size"].message
    assert label_message.isVisible()
    assert "2x2in" in label_message.text() or "label" in label_message.text().lower()
    assert "full path" in dialog.rows["database_url"].message.text()
    assert not dialog.rows["site_name"].message.isVisible()
    assert "Nothing was saved" in dialog.message.text()
    assert "Bag label size" in dialog.message.text()
    assert "Database" in dialog.message.text()
    # nothing typed is lost
    assert edit(dialog, "site_name").text() == "Typed Pharmacy"
    assert edit(dialog, "label_size").text() == "2x2in"
    assert spin(dialog, "idle_lock_minutes").value() == 12
    # corrected, it saves
    type_into(dialog, "label_size", "4x6in")
    assert not dialog.rows["label_size"].message.isVisible()  # typing clears the field's sentence
    type_into(dialog, "database_url", "")
    assert dialog.save()
    assert load_settings(settings_file)[0].site_name == "Typed Pharmacy"


def test_a_site_floor_is_not_relaxed_in_the_dialog(
    open_dialog: DialogFactory, settings_file: Path, store: Store
) -> None:
    dialog = open_dialog()
    dialog.show()
    spin(dialog, "idle_lock_minutes").setValue(30)
    assert not dialog.save()
    assert dialog.message.text() == (
        "Nothing was saved: idle_lock_minutes 30 is beyond the site floor of 15, so a second pharmacist must approve "
        "it: hemgenix-prep settings set idle_lock_minutes 30 --username YOU --approver NAME."
    )
    assert not settings_file.exists()
    assert settings_events(store) == []


def test_an_over_long_site_name_is_not_cut_but_refused(open_dialog: DialogFactory, settings_file: Path) -> None:
    dialog = open_dialog()
    type_into(dialog, "site_name", "x" * 90)
    assert edit(dialog, "site_name").text() == "x" * 90
    assert not dialog.save()
    assert "at most 80 characters" in dialog.rows["site_name"].message.text()
    assert not settings_file.exists()


def test_the_database_in_use_is_the_one_this_session_opened(
    open_dialog: DialogFactory, settings_file: Path, store: Store
) -> None:
    save_settings(SiteSettings(database_url=store.url), settings_file)
    dialog = open_dialog()
    assert (
        f"In effect now: “{store.url}”, from the settings file." in dialog.rows["database_url"].in_effect_label.text()
    )
    practice = open_dialog(practice=True)
    assert "a practice database in memory" in practice.rows["database_url"].in_effect_label.text()


def test_the_files_problems_are_shown_at_the_top(open_dialog: DialogFactory, settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text('idle_lock_minutes = 99\ncolour = "blue"\n', encoding="utf-8")
    dialog = open_dialog()
    dialog.show()
    text = dialog.warnings.text()
    assert dialog.warnings.isVisible()
    assert "idle_lock_minutes to 99" in text
    assert "from 1 to 60" in text
    assert "“colour”" in text
    assert spin(dialog, "idle_lock_minutes").value() == 5  # the default, as the program uses it
    assert dialog.save()  # saving rewrites the file without what could not be used
    assert load_settings(settings_file)[1] == []
    assert not dialog.warnings.isVisible()


def test_an_unreadable_file_is_replaced_only_after_the_question(
    open_dialog: DialogFactory, settings_file: Path, store: Store, boxes: Boxes
) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("site_name = 'unclosed\n", encoding="utf-8")
    dialog = open_dialog()
    assert "not valid TOML" in dialog.warnings.message.text()
    type_into(dialog, "site_name", "Fresh Pharmacy")
    assert not dialog.save()
    assert settings_file.read_text(encoding="utf-8") == "site_name = 'unclosed\n"
    assert len(boxes.asked) == 1
    _title, question, on_yes = boxes.asked[0]
    assert "cannot be read" in question
    on_yes()
    assert load_settings(settings_file)[0].site_name == "Fresh Pharmacy"
    assert len(settings_events(store)) == 1


# --- who may change -------------------------------------------------------------------------------------------
def test_a_technician_reads_but_cannot_change(open_dialog: DialogFactory, settings_file: Path, store: Store) -> None:
    save_settings(SiteSettings(site_name="Read Only Pharmacy"), settings_file)
    before = settings_file.read_bytes()
    dialog = open_dialog("ttech")
    dialog.show()
    assert "pharmacist must change them" in dialog.notice.text()
    assert edit(dialog, "site_name").text() == "Read Only Pharmacy"
    for row in dialog.rows.values():
        widget = row.edit if row.edit is not None else row.spin
        assert widget is not None
        assert widget.isReadOnly(), row.spec.key
        assert not row.restore.isVisible()
    assert not dialog.save_button.isVisible()
    assert dialog.cancel_button.text() == "Close"
    assert not dialog.save()
    assert "Only a pharmacist can change the settings" in dialog.message.text()
    assert settings_file.read_bytes() == before
    assert settings_events(store) == []


@pytest.mark.slow
def test_a_pharmacist_disabled_meanwhile_cannot_save(
    open_dialog: DialogFactory, settings_file: Path, store: Store
) -> None:
    dialog = open_dialog()
    UserAdmin(store, passwords=cheap_passwords()).disable("ppharm", OPERATOR, WORKSTATION)
    type_into(dialog, "site_name", "Anything")
    assert not dialog.save()
    assert "no longer an active pharmacist" in dialog.message.text()
    assert not settings_file.exists()


# --- the environment comes first ------------------------------------------------------------------------------
def test_an_environment_variable_overriding_the_file_is_said(
    open_dialog: DialogFactory, settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(SiteSettings(site_name="File Pharmacy"), settings_file)
    monkeypatch.setenv("HEMGENIX_SITE", "Environment Pharmacy")
    dialog = open_dialog()
    dialog.show()
    row = dialog.rows["site_name"]
    assert edit(dialog, "site_name").text() == "File Pharmacy"  # the file's value is what is edited
    assert row.environment.isVisible()
    assert "HEMGENIX_SITE" in row.environment.text()
    assert "comes before the settings file" in row.environment.text()
    assert "“Environment Pharmacy”, from the environment variable HEMGENIX_SITE" in row.in_effect_label.text()
    assert not dialog.rows["printer"].environment.isVisible()
    assert "the default" in dialog.rows["printer"].in_effect_label.text()
    type_into(dialog, "site_name", "New File Pharmacy")
    assert dialog.save()
    assert load_settings(settings_file)[0].site_name == "New File Pharmacy"  # saved, though the variable wins
    assert "HEMGENIX_SITE comes first" in dialog.message.text()


# --- the database password ------------------------------------------------------------------------------------
def test_the_database_password_is_hidden_in_the_dialog_and_the_audit_trail(
    open_dialog: DialogFactory, settings_file: Path, store: Store
) -> None:
    save_settings(SiteSettings(database_url=PG_URL), settings_file)
    dialog = open_dialog()
    dialog.show()
    assert edit(dialog, "database_url").text() == "postgresql+psycopg://hemgenix:***@db.pharmacy.example/hemgenix"
    assert not any(SECRET in text for text in visible_texts(dialog))
    in_effect = dialog.rows["database_url"].in_effect_label.text()
    assert f"“{store.url}”, opened when Hemgenix Prep started" in in_effect  # this session's database
    assert "the next start opens “postgresql+psycopg://hemgenix:***@db.pharmacy.example/hemgenix”" in in_effect

    type_into(dialog, "site_name", "Kept Password Pharmacy")  # the address untouched: the password is kept
    assert dialog.save()
    assert load_settings(settings_file)[0].database_url == PG_URL

    type_into(dialog, "database_url", "postgresql+psycopg://hemgenix:***@db2.pharmacy.example/hemgenix")
    assert not dialog.save()  # another address still showing *** cannot keep the old password
    assert "Type the password" in dialog.rows["database_url"].message.text()
    assert load_settings(settings_file)[0].database_url == PG_URL

    new_url = "postgresql+psycopg://hemgenix:n3w-pa55@db2.pharmacy.example/hemgenix"
    type_into(dialog, "database_url", new_url)
    assert dialog.save()
    assert load_settings(settings_file)[0].database_url == new_url
    assert edit(dialog, "database_url").text() == "postgresql+psycopg://hemgenix:***@db2.pharmacy.example/hemgenix"
    assert "db2.pharmacy.example" in dialog.message.text()  # the next start opens the new database
    assert not any(SECRET in text or "n3w-pa55" in text for text in visible_texts(dialog))
    events = settings_events(store)
    assert len(events) == 2
    last = events[-1]
    assert last.before == {"database_url": "postgresql+psycopg://hemgenix:***@db.pharmacy.example/hemgenix"}
    assert last.after == {"database_url": "postgresql+psycopg://hemgenix:***@db2.pharmacy.example/hemgenix"}
    for event in events:
        assert SECRET not in event.summary
        assert "n3w-pa55" not in event.summary
        assert SECRET not in str(event.before) + str(event.after)


# --- practice -------------------------------------------------------------------------------------------------
def test_practice_mode_checks_the_values_but_saves_nothing(
    open_dialog: DialogFactory, settings_file: Path, store: Store
) -> None:
    save_settings(SiteSettings(site_name="Real Pharmacy"), settings_file)
    before = settings_file.read_bytes()
    dialog = open_dialog(practice=True)
    dialog.show()
    assert dialog.findChild(QLineEdit, "settingsSiteNameEdit") is edit(dialog, "site_name")
    assert "Practice mode saves no settings" in dialog.notice.text()
    assert dialog.save_button.text() == "Check the values"
    assert "PRACTICE" in dialog.windowTitle()

    type_into(dialog, "label_size", "2x2in")
    assert not dialog.save()
    assert dialog.rows["label_size"].message.isVisible()  # the checks work as they would for real

    type_into(dialog, "label_size", "100x150mm")
    type_into(dialog, "site_name", "Practice Pharmacy")
    assert not dialog.save()
    assert "practice mode saves no settings, so nothing was saved" in dialog.message.text()
    assert settings_file.read_bytes() == before
    assert settings_events(store) == []


# --- restore, cancel, other writers, failures -------------------------------------------------------------------
def test_restore_default_puts_the_default_in_the_field(open_dialog: DialogFactory, settings_file: Path) -> None:
    save_settings(SiteSettings(site_name="Named Pharmacy", lockout_attempts=9, label_size="100x150mm"), settings_file)
    dialog = open_dialog()
    dialog.rows["site_name"].restore.click()
    dialog.rows["lockout_attempts"].restore.click()
    dialog.rows["label_size"].restore.click()
    assert edit(dialog, "site_name").text() == ""
    assert edit(dialog, "site_name").placeholderText().startswith("Empty:")
    assert spin(dialog, "lockout_attempts").value() == 5
    assert edit(dialog, "label_size").text() == "4x6in"
    assert load_settings(settings_file)[0].site_name == "Named Pharmacy"  # only Save writes
    assert dialog.save()
    settings = load_settings(settings_file)[0]
    assert (settings.site_name, settings.lockout_attempts, settings.label_size) == ("", 5, "4x6in")


def test_cancel_discards(open_dialog: DialogFactory, settings_file: Path, store: Store) -> None:
    dialog = open_dialog()
    dialog.open()
    type_into(dialog, "site_name", "Never Saved")
    dialog.cancel_button.click()
    assert dialog.result() == SettingsDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert not settings_file.exists()
    assert settings_events(store) == []


def test_a_change_made_elsewhere_meanwhile_is_kept_or_refused(open_dialog: DialogFactory, settings_file: Path) -> None:
    save_settings(SiteSettings(site_name="Start Pharmacy"), settings_file)
    dialog = open_dialog()
    save_settings(SiteSettings(site_name="Start Pharmacy", printer="Set-Elsewhere"), settings_file)
    type_into(dialog, "label_size", "100x150mm")
    assert dialog.save()
    settings = load_settings(settings_file)[0]
    assert (settings.printer, settings.label_size) == ("Set-Elsewhere", "100x150mm")  # both kept

    save_settings(SiteSettings(site_name="Changed Elsewhere", label_size="100x150mm"), settings_file)
    before = settings_file.read_bytes()
    type_into(dialog, "site_name", "Changed Here")
    assert not dialog.save()
    assert "site_name" in dialog.message.text()
    assert "while this window was open" in dialog.message.text()
    assert settings_file.read_bytes() == before
    assert edit(dialog, "site_name").text() == "Changed Here"


def test_when_the_audit_trail_cannot_be_written_the_file_is_put_back(
    open_dialog: DialogFactory, settings_file: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(SiteSettings(site_name="Before Pharmacy"), settings_file)
    before = settings_file.read_bytes()
    dialog = open_dialog()

    def fail(*_args: object, **_kwargs: object) -> AuditEvent:
        raise StorageError("The database could not be written, so nothing was saved (disk I/O error).")

    monkeypatch.setattr(store, "record_event", fail)
    type_into(dialog, "site_name", "After Pharmacy")
    assert not dialog.save()
    assert settings_file.read_bytes() == before
    assert "audit trail" in dialog.message.text()
    assert "put back" in dialog.message.text()


def test_a_file_that_cannot_be_written_is_said(
    open_dialog: DialogFactory, settings_file: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemgenix_desktop.services import settings_change  # where the file is written (the dialog asks it)

    def refuse(*_args: object, **_kwargs: object) -> Path:
        raise InvalidInput("The settings could not be saved to the file (Permission denied).")

    monkeypatch.setattr(settings_change, "save_settings", refuse)
    dialog = open_dialog()
    type_into(dialog, "site_name", "Unwritten")
    assert not dialog.save()
    assert "Permission denied" in dialog.message.text()
    assert settings_events(store) == []


def test_every_input_and_button_has_names(open_dialog: DialogFactory) -> None:
    from PySide6.QtWidgets import QAbstractButton

    dialog = open_dialog()
    for kind in (QLineEdit, QSpinBox, QAbstractButton):
        for widget in dialog.findChildren(kind):
            if widget.objectName().startswith("qt_"):
                continue
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QSpinBox):
                continue  # the spin box's own line edit
            assert widget.objectName(), f"a {kind.__name__} without objectName"
            assert widget.accessibleName(), f"{widget.objectName()} has no accessible name"


@pytest.mark.parametrize("practice", [True, False])
def test_letters_typed_into_a_number_are_refused_out_loud(
    qtbot: QtBot, open_dialog: DialogFactory, settings_file: Path, practice: bool
) -> None:
    """Ctrl+A, "abc99", Enter in "Minutes before the screen locks": Qt's spin box dropped the letters (and the 9 beyond
    60) without a word and 9 passed for the value meant; now the field says what it refused and nothing is taken."""
    before = settings_file.read_bytes() if settings_file.exists() else None
    dialog = open_dialog(practice=practice)
    dialog.show()
    qtbot.waitExposed(dialog)
    field, row = spin(dialog, "idle_lock_minutes"), dialog.rows["idle_lock_minutes"]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_A)
    assert row.message.isVisible()  # at once, not only on Enter
    QTest.keyClicks(field, "bc99")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert row.message.text().startswith("“9” could not be typed here: this takes a whole number from 1 to 60")
    assert "Nothing was saved" in dialog.message.text()
    assert (settings_file.read_bytes() if settings_file.exists() else None) == before
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # typed anew, over the whole number
    QTest.keyClicks(field, "12")  # within the site floor (15)
    assert not row.message.isVisible()
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert field.value() == 12
    assert "cannot be used" not in dialog.message.text()
    assert not row.message.isVisible()
