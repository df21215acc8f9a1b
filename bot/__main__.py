"""`python -m bot` is the same as `nhacviec`."""

import sys

from bot.cli import main

sys.exit(main())
