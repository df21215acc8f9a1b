"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

The rest of the suite copies a schema migrated once; this test runs every migration itself,
on an empty database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.migrate import current_revision, downgrade, head_revision, upgrade


def test_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": False, "compare_server_default": False}
            )
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == [], "a model changed without a migration in storage/migrations/versions"


def test_inbound_rows_stored_before_the_bot_id_stay_and_the_key_widens(
    empty_database_url: str,
) -> None:
    """0013_inbound_bot_id: a message stored under the old key keeps its row (with an empty
    bot id); afterwards the same update id of another bot is a new message; and the
    revision goes back down while no update id repeats."""
    engine = create_engine(empty_database_url)
    row = (
        "INSERT INTO inbound_messages (channel, update_id, kind, text, received_at) "
        "VALUES ('telegram', :update_id, 'text', 'xong', '2026-11-20 02:00:00+00:00')"
    )
    try:
        upgrade(engine, "0012_reply_number_bigint")
        with engine.begin() as connection:
            connection.execute(text(row), {"update_id": "7"})
        upgrade(engine)
        with engine.begin() as connection:
            assert connection.execute(text("SELECT bot_id FROM inbound_messages")).all() == [("",)]
            connection.execute(
                text(
                    "INSERT INTO inbound_messages (channel, bot_id, update_id, kind, received_at)"
                    " VALUES ('telegram', '42', '7', 'text', '2026-11-20 02:00:00+00:00')"
                )
            )
            connection.execute(text("DELETE FROM inbound_messages WHERE bot_id = '42'"))
        downgrade(engine, "0012_reply_number_bigint")
        with engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM inbound_messages")).scalar() == 1
            with pytest.raises(IntegrityError):
                connection.execute(text(row), {"update_id": "7"})
    finally:
        engine.dispose()
