"""Hemgenix Prep: guided preparation of one patient's Hemgenix dose."""

__version__ = "0.1.0"
