"""Entry point of the frozen build: the same as the ``hemgenix-prep`` console script."""

import sys

from hemgenix_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
