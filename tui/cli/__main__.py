"""``python -m tui.cli``: the ``xref`` command without the installed script."""

import sys

from tui.cli.main import main

sys.exit(main())
