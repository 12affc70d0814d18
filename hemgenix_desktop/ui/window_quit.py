"""What the main window says when asked to quit with a preparation, its signing or a correction open."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def quit_sentence(*, practice: bool, wizard_open: bool, correcting: bool) -> str:
    """The sentence of the Quit confirmation. In practice mode the database is in memory: nothing of the practice
    outlives the program, so it says so rather than promising a resume."""
    if practice:
        return QCoreApplication.translate(
            "MainWindow",
            "This is practice: nothing of it is kept after the program closes. The practice preparations, "
            "signatures and records are gone once you quit; a new practice starts from the beginning.",
        )
    if wizard_open:
        return QCoreApplication.translate(
            "MainWindow",
            "The pages completed with Next are saved: the preparation can be resumed after signing in "
            "again. What was typed on the page open now is lost.",
        )
    if correcting:
        return QCoreApplication.translate(
            "MainWindow",
            "What was typed on the correction screen is lost. A correction continued to its signatures "
            "before is kept: open it again from the History window.",
        )
    return QCoreApplication.translate(
        "MainWindow",
        "The signatures given so far are saved: after signing in again, resume the preparation and the "
        "signing goes on where it stopped. What was typed on this screen is lost.",
    )


__all__ = ["quit_sentence"]
