"""The list an officer's `/giaoxuong` and `/baocaolen` number: the open assignments of the
units they are an officer of, in the order `/viec` shows them."""

from __future__ import annotations

from handlers.context import Turn
from schedules.numbers import parse_int
from storage import directives
from storage.directives import AssignmentView

MAX_LISTED = 30


def officer_views(turn: Turn) -> list[AssignmentView]:
    """The open assignments of the officer's own units (not of the units below them)."""
    if turn.standing is None:
        return []
    unit_ids = list(turn.standing.officer_unit_ids)
    return directives.open_assignments(turn.session, unit_ids=unit_ids)[:MAX_LISTED]


def pick(views: list[AssignmentView], word: str) -> AssignmentView | None:
    """The view numbered `word` (from 1) in the list, or None for anything else."""
    number = parse_int(word, high=len(views))
    if number is None or number < 1:
        return None
    return views[number - 1]
