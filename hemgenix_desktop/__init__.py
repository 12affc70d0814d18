"""Hemgenix Prep: guided preparation of one patient's Hemgenix dose."""

__version__ = "0.1.0"
# On every screen, record and label of practice mode (hemgenix_desktop.practice). Kept here, with no imports, so the
# first screen can show it without loading the practice data's modules.
PRACTICE_MARK = "PRACTICE — NOT FOR PATIENT USE"
