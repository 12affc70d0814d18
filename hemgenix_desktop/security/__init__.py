"""People and proofs: users, passwords, sign-in, the site signing certificate and sealed records.

Import from the modules themselves (``security.users``, ``security.passwords``, ``security.signin``,
``security.seal``, ``security.record_view``, ``security.derived``, ``security.site_keys``): this package imports
nothing on its own, so using one part never loads the others (the sealed-record code does not need the database).
"""
