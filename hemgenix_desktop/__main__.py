"""``python -m hemgenix_desktop`` runs the ``hemgenix-prep`` command."""

import sys

from hemgenix_desktop.cli import main

sys.exit(main())
