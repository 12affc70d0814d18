"""The Qt user interface: the preparation wizard, its pages, the scan field and practice mode.

The only package that imports Qt. Pages read and write the plain domain object
(:class:`hemgenix_desktop.domain.preparation.Preparation`) and call the domain for every rule.
"""

from hemgenix_desktop.ui.qt_import_hook import install as _install_import_hook

# Before any other module of the program (and the libraries it loads) is imported after PySide6: see qt_import_hook.
_install_import_hook()
