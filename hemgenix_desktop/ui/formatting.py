"""How times and dates are shown on screen: local clock time with the weekday, never ambiguous."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication


def _weekday(index: int) -> str:
    names = (
        QCoreApplication.translate("Formatting", "Mon"),
        QCoreApplication.translate("Formatting", "Tue"),
        QCoreApplication.translate("Formatting", "Wed"),
        QCoreApplication.translate("Formatting", "Thu"),
        QCoreApplication.translate("Formatting", "Fri"),
        QCoreApplication.translate("Formatting", "Sat"),
        QCoreApplication.translate("Formatting", "Sun"),
    )
    return names[index]


def _month(index: int) -> str:
    names = (
        QCoreApplication.translate("Formatting", "Jan"),
        QCoreApplication.translate("Formatting", "Feb"),
        QCoreApplication.translate("Formatting", "Mar"),
        QCoreApplication.translate("Formatting", "Apr"),
        QCoreApplication.translate("Formatting", "May"),
        QCoreApplication.translate("Formatting", "Jun"),
        QCoreApplication.translate("Formatting", "Jul"),
        QCoreApplication.translate("Formatting", "Aug"),
        QCoreApplication.translate("Formatting", "Sep"),
        QCoreApplication.translate("Formatting", "Oct"),
        QCoreApplication.translate("Formatting", "Nov"),
        QCoreApplication.translate("Formatting", "Dec"),
    )
    return names[index - 1]


def clock_time(moment: datetime, tz: tzinfo | None = None) -> str:
    """``14:30 on Sun 29 Nov 2026`` in local time (``tz``; the computer's zone when None)."""
    local = moment.astimezone(tz)
    return QCoreApplication.translate("Formatting", "{time} on {weekday} {day} {month} {year}").format(
        time=local.strftime("%H:%M"),
        weekday=_weekday(local.weekday()),
        day=local.day,
        month=_month(local.month),
        year=local.year,
    )


def local_minute(moment: datetime, tz: tzinfo | None = None) -> str:
    """``2026-11-29 14:30``: the form the operator types a date and time in."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
