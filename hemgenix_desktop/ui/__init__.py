"""The Qt user interface: the preparation wizard, its pages, the scan field and practice mode.

The only package that imports Qt. Pages read and write the plain domain object
(:class:`hemgenix_desktop.domain.preparation.Preparation`) and call the domain for every rule.
"""
