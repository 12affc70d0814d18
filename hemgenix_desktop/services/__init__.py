"""The application layer: what the program does after the wizard's pages, with no Qt.

The workstation container (:mod:`.workstation`), drafting and autosave (:mod:`.drafting`), the signing process
(:mod:`.signing`) and sealing (:mod:`.sealing`), corrections (:mod:`.corrections`) and the session (:mod:`.session`).
The desktop UI draws what these hold and calls them; the command line calls the same ones.
"""
