"""Small pieces the sub-commands share."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from bot.settings import Settings
from storage.engine import Database
from storage.migrate import upgrade


def load_settings() -> Settings | None:
    """Settings from the environment, or None after a one-line explanation on stderr."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        print(f"nhacviec: bad setting NHACVIEC_{where.upper()}: {first['msg']}", file=sys.stderr)
        return None


@contextmanager
def open_database(settings: Settings) -> Iterator[Database]:
    """The configured database, its schema brought up to date, closed on the way out."""
    db = Database.from_url(settings.database_url)
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.dispose()
