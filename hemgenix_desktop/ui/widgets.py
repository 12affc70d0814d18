"""Small widgets every page uses: inline messages, banners, date fields and explicit choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop import PRACTICE_MARK
from hemgenix_desktop.ui.style import repolish

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str, description: str = "") -> W:
    """Give a widget its stable objectName (for test automation) and accessible name (for screen readers)."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def field_label(text: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "fieldLabel")
    label.setWordWrap(True)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


class MessageLabel(QLabel):
    """The inline message under a field: a plain sentence, hidden while there is nothing to say."""

    def __init__(self, object_name: str, accessible_name: str, kind: str = "error") -> None:
        super().__init__()
        named(self, object_name, accessible_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setProperty("message", kind)
        self.setVisible(False)

    def show_message(self, text: str, kind: str | None = None) -> None:
        if kind is not None and self.property("message") != kind:
            self.setProperty("message", kind)
            if self.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # else the first polish reads it
                repolish(self)
        if text != self.text():
            self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


class Banner(QFrame):
    """A framed banner with a bold first word: STOP (red), WARNING (amber) or NOTICE (blue)."""

    def __init__(self, kind: str, object_name: str, accessible_name: str, title: str) -> None:
        super().__init__()
        self.setProperty("banner", kind)
        self.setObjectName(object_name + "Banner")
        self.setAccessibleName(accessible_name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(12)
        self.title = QLabel(title)
        self.title.setProperty("role", "bannerTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel()
        named(self.message, object_name + "Message", accessible_name)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title, 0)
        layout.addWidget(self.message, 1)
        self.setVisible(False)

    def show_text(self, text: str) -> None:
        if text != self.message.text():
            self.message.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        """The sentence shown, or "" while the banner is hidden."""
        return "" if self.isHidden() else self.message.text()

    def clear_text(self) -> None:
        self.show_text("")


def stop_banner(object_name: str) -> Banner:
    return Banner(
        "stop",
        object_name,
        QCoreApplication.translate("Banner", "Clinical stop"),
        QCoreApplication.translate("Banner", "STOP"),
    )


def warning_banner(object_name: str, accessible_name: str) -> Banner:
    return Banner("warning", object_name, accessible_name, QCoreApplication.translate("Banner", "WARNING"))


def notice_banner(object_name: str, accessible_name: str) -> Banner:
    return Banner("notice", object_name, accessible_name, QCoreApplication.translate("Banner", "NOTICE"))


class EnterPressesButtons(QObject):
    """Enter (or Return) on a focused push button of ``window`` presses it, as Space does. Qt leaves Enter to a
    dialog's default button; in a window that is not a dialog a button with the keyboard ignored it, which a
    technician takes for a button that does not work. The button passes the key up to its window, where this filter
    sees it; a field's Enter (a line edit's, say) is the field's, and another dialog's buttons are that dialog's.

    ``window`` may be a dialog or a part of one (the wizard, shown in the main window or on its own; the record's
    buttons in the reprint box): a focused button that is not the default ("Now", "Save PDFs…") is pressed; while
    no button has the keyboard, Enter is still the dialog's default button's."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or event.modifiers() & ~_KEYPAD:
            return False
        button = watched.focusWidget() if isinstance(watched, QWidget) else None  # the one the key went to
        if not isinstance(button, QPushButton) or not isinstance(watched, QWidget) or not watched.isAncestorOf(button):
            return False  # (isAncestorOf: within the same window, so not a button of a dialog over it)
        if not (button.isEnabled() and button.isVisible()):
            return False
        button.click()
        return True


_KEYPAD = Qt.KeyboardModifier.KeypadModifier  # the keypad's Enter


def enter_moves_to(field: QLineEdit, target: QWidget) -> None:
    """Enter in ``field`` puts the cursor in ``target``: a username's Enter goes to its password, so that the password
    typed next is never typed into the username (where it would show in clear)."""
    field.returnPressed.connect(lambda: target.setFocus(Qt.FocusReason.OtherFocusReason))


def banner_over(banner: Banner, body: QWidget) -> QWidget:
    """``body`` with ``banner`` above it, across the whole width (a window's central widget): while the banner is
    hidden, ``body`` has all the room."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(body, 1)
    return column


class PracticeBanner(QFrame):
    """The mark on every screen in practice mode."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setProperty("banner", "practice")
        named(self, object_name, PRACTICE_MARK)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        label = QLabel(PRACTICE_MARK)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)


class DateField(QLineEdit):
    """A date typed as YYYY-MM-DD. Starts empty: a date is never filled in for the user."""

    def __init__(self, placeholder: str = "YYYY-MM-DD") -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setMaxLength(40)


class ChoiceGroup(QWidget):
    """Radio buttons of which none is chosen at first; ``value()`` is the chosen key or None."""

    changed = Signal()

    def __init__(
        self,
        object_name: str,
        accessible_name: str,
        options: Sequence[tuple[str, str, str]],
        *,
        vertical: bool = False,
    ) -> None:
        """``options``: (key, text shown, objectName of the button)."""
        super().__init__()
        named(self, object_name, accessible_name)
        layout: QHBoxLayout | QVBoxLayout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6 if vertical else 24)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        for key, text, button_name in options:
            button = named(QRadioButton(text), button_name, text, accessible_name)
            button.installEventFilter(self)
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
        if not vertical:
            layout.addStretch(1)
        self.group.buttonToggled.connect(self._toggled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """While nothing is chosen, an arrow key chooses (the next button, or the focused one at the end), as
        it does once something is chosen: no Space needed after the arrow."""
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1}
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in steps
            and self.value() is None
            and watched in self.buttons.values()
        ):
            buttons = list(self.buttons.values())
            here = buttons.index(watched)  # type: ignore[arg-type]
            target = buttons[min(max(here + steps[Qt.Key(event.key())], 0), len(buttons) - 1)]
            target.setFocus(Qt.FocusReason.TabFocusReason)
            target.click()
            return True
        return super().eventFilter(watched, event)

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def value(self) -> str | None:
        for key, button in self.buttons.items():
            if button.isChecked():
                return key
        return None

    def set_value(self, key: str | None) -> None:
        if key == self.value():
            return
        if key is None:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
            self.changed.emit()
            return
        self.buttons[key].setChecked(True)


class _ClickLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            event.accept()
            return
        super().mousePressEvent(event)


class TickBox(QWidget):
    """A check box whose text wraps (a plain QCheckBox clips long text). Starts unticked.

    The box itself carries the objectName and accessible name; clicking the text ticks it, like a QCheckBox.
    """

    def __init__(self, text: str, object_name: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.box = named(QCheckBox(), object_name, text)
        self.label = _ClickLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setBuddy(self.box)
        self.label.clicked.connect(self.box.toggle)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)

    def set_text(self, text: str) -> None:
        if text != self.label.text():
            self.label.setText(text)
            self.box.setAccessibleName(text)


def password_edit(object_name: str, accessible_name: str) -> QLineEdit:
    edit = named(QLineEdit(), object_name, accessible_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    return edit
