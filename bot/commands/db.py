"""`nhacviec db upgrade`: bring the database schema to the newest revision."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "db",
        help="database schema migrations",
        description="Database schema migrations (Alembic). The URL is NHACVIEC_DATABASE_URL.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    up = actions.add_parser("upgrade", help="migrate the schema to the newest revision")
    up.set_defaults(handler=_upgrade)
    status = actions.add_parser("current", help="print the schema revision of the database")
    status.set_defaults(handler=_current)


def _upgrade(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load SQLAlchemy and Alembic.
    from bot.commands.common import load_settings
    from storage.engine import make_engine
    from storage.migrate import current_revision, upgrade

    settings = load_settings()
    if settings is None:
        return 2
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        print(f"Schema at revision {current_revision(engine)} ({_where(settings.database_url)}).")
    finally:
        engine.dispose()
    return 0


def _current(args: argparse.Namespace) -> int:
    from bot.commands.common import load_settings
    from storage.engine import make_engine
    from storage.migrate import current_revision, head_revision

    settings = load_settings()
    if settings is None:
        return 2
    engine = make_engine(settings.database_url)
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    print(f"current: {revision or 'none'}; newest: {head_revision()}")
    return 0


def _where(url: str) -> str:
    """The URL without its password, for a message."""
    from sqlalchemy.engine import make_url

    from storage.engine import normalize_url

    return make_url(normalize_url(url)).render_as_string(hide_password=True)
