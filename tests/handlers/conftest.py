"""The in-process conversation harness (see harness.py), on the test's own database."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedules.clock import ManualClock
from storage.engine import Database
from tests.handlers.harness import World


@pytest.fixture
def world(
    db: Database,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> World:
    return World.open(
        db, clock, folder=tmp_path, monkeypatch=monkeypatch, database_url=database_url
    )
