"""One setting's row in the Settings dialog: its label, its input (a spin box within the limits for a whole number,
else one line of text), Restore default, its help, the value in effect and where it comes from, and the sentence
when its environment variable comes before the file. The object names are documented in docs/automation.md."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPushButton, QSpinBox, QWidget

from hemgenix_desktop.settings import SettingField, Value, hide_password
from hemgenix_desktop.ui.widgets import MessageLabel, field_label, hint_label, named

LABEL_COLUMN_WIDTH = 270
# The sentence that an environment variable comes before the file: set apart by a bar as well as its words.
EXTRA_STYLE = """
QLabel[settingsNote="environment"] {
    border-style: solid; border-color: #1f5fa8; border-width: 0 0 0 4px; padding-left: 8px; color: #17487f;
}
"""


def camel(key: str) -> str:
    """``site_name`` → ``SiteName``, for object names."""
    return "".join(part.capitalize() for part in key.split("_"))


class WholeNumberSpin(QSpinBox):
    """A spin box that says what it refused: Qt's drops a letter (or a digit beyond the maximum) without a word, so
    "abc99" typed over 5 left 9. ``refused`` carries the characters refused since the number was last typed anew
    (over the whole text), or "" once it is."""

    refused = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.refused_text = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        line = self.lineEdit()
        before = line.text()
        anew = not before or line.selectedText() == before
        super().keyPressEvent(event)
        typed = event.text()
        if self.isReadOnly() or not typed.isprintable() or not typed.strip():
            return
        if line.text() == before:  # the validator refused it
            self.refused_text += typed
            self.refused.emit(self.refused_text)
        elif anew:
            self.forget_refused()

    def forget_refused(self) -> None:
        if self.refused_text:
            self.refused_text = ""
            self.refused.emit("")


class SettingRow:
    """One setting's widgets in the form: the input, Restore default, and the sentences beside it."""

    def __init__(self, spec: SettingField, editable: bool) -> None:
        self.spec = spec
        name = camel(spec.key)
        self.label = field_label(spec.label)
        self.label.setFixedWidth(LABEL_COLUMN_WIDTH)
        self.spin: WholeNumberSpin | None = None
        self.edit: QLineEdit | None = None
        self.input: QWidget
        if spec.kind == "whole_number":
            assert spec.minimum is not None, spec.key
            assert spec.maximum is not None, spec.key
            spin = named(WholeNumberSpin(), f"settings{name}Spin", spec.label, spec.help)
            spin.setRange(spec.minimum, spec.maximum)
            spin.setMinimumWidth(130)
            spin.setReadOnly(not editable)
            if not editable:
                spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            self.spin, self.input = spin, spin
        else:
            edit = named(QLineEdit(), f"settings{name}Edit", spec.label, spec.help)
            edit.setMaxLength(2000)  # far beyond every limit: an over-long value gets its sentence, not a cut
            edit.setReadOnly(not editable)
            if spec.empty_means:
                edit.setPlaceholderText(
                    QCoreApplication.translate("SettingsDialog", "Empty: {meaning}").format(meaning=spec.empty_means)
                )
            self.edit, self.input = edit, edit
        self.label.setBuddy(self.input)
        self.restore = named(
            QPushButton(QCoreApplication.translate("SettingsDialog", "Restore default")),
            f"settings{name}RestoreButton",
            QCoreApplication.translate("SettingsDialog", "Restore the default of {setting}").format(setting=spec.label),
        )
        self.restore.setAutoDefault(False)
        self.restore.setVisible(editable)
        self.restore.clicked.connect(self.restore_default)
        self.help = hint_label(spec.help)
        self.in_effect_label = named(
            hint_label(""),
            f"settings{name}InEffect",
            QCoreApplication.translate("SettingsDialog", "{setting}: its default and the value in effect").format(
                setting=spec.label
            ),
        )
        self.in_effect_label.setTextFormat(Qt.TextFormat.PlainText)
        self.environment = MessageLabel(
            f"settings{name}Environment",
            QCoreApplication.translate(
                "SettingsDialog", "{setting}: an environment variable comes before the file"
            ).format(setting=spec.label),
            "status",
        )
        self.environment.setProperty("settingsNote", "environment")
        self.message = MessageLabel(
            f"settings{name}Message",
            QCoreApplication.translate("SettingsDialog", "What is wrong with {setting}").format(setting=spec.label),
        )
        if self.edit is not None:
            self.edit.textEdited.connect(lambda _text: self.message.clear_message())
        elif self.spin is not None:
            self.spin.valueChanged.connect(lambda _value: self.message.show_message(self.refusal()))
            self.spin.refused.connect(lambda _text: self.message.show_message(self.refusal()))

    # --- the value ------------------------------------------------------------------------------------------
    def text(self) -> str:
        """What the field holds, as typed."""
        if self.spin is not None:
            return str(self.spin.value())
        assert self.edit is not None
        return self.edit.text()

    def refusal(self) -> str:
        """The sentence for characters the number field refused ("" when none): the value shown is not what was
        typed, so it is not saved."""
        if self.spin is None or not self.spin.refused_text:
            return ""
        return QCoreApplication.translate(
            "SettingsDialog",
            "“{typed}” could not be typed here: this takes a whole number from {minimum} to {maximum}, and {value} "
            "is not what you typed. Select the number and type it again.",
        ).format(
            typed=self.spin.refused_text, minimum=self.spin.minimum(), maximum=self.spin.maximum(), value=self.text()
        )

    def show_value(self, value: Value) -> None:
        if self.spin is not None:
            self.spin.forget_refused()
            self.spin.setValue(int(value))
            return
        assert self.edit is not None
        text = str(value)
        if self.spec.key == "database_url":
            text = hide_password(text)
        if self.edit.text() != text:
            self.edit.setText(text)
            self.edit.setCursorPosition(0)  # a long address shows its beginning

    def restore_default(self) -> None:
        self.show_value(self.spec.default)
        self.message.clear_message()
        self.input.setFocus()
