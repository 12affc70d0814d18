"""The printed outputs of a sealed record: the signed record PDF, the bag label, and their verification.

Builders only ever see a :class:`~hemgenix_desktop.security.seal.SealedRecord`, never the wizard or a draft.
reportlab, pyHanko and pypdf are imported inside the functions that need them, so importing this package
costs nothing at start-up.
"""
