"""Small pieces the sub-commands share."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.settings import Settings


def load_settings() -> Settings | None:
    """Settings from the environment, or None after a one-line explanation on stderr."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        print(f"nhacviec: bad setting NHACVIEC_{where.upper()}: {first['msg']}", file=sys.stderr)
        return None
