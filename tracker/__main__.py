"""``python -m tracker``: the same as the ``tracker`` command."""

import sys

from tracker.cli import main

if __name__ == "__main__":
    sys.exit(main())
