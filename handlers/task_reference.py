"""Naming a task in an officer's command: `12` (Việc số 12, given with /giaoviec) or
`490/LĐLĐ mục 3` (item 3 of a directive), and the officer's right to act on it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.context import Turn
from storage import units
from storage.indicators import tasks_by_reference
from storage.models import Directive, Task

OWN_TASK = re.compile(r"^(?:(?:việc|viec)\s*(?:số|so)?\s*)?#?(?P<own>[0-9]{1,9})(?:\s+|$)", re.I)
DIRECTIVE_ITEM = re.compile(
    r"^(?P<number>\S+/\S+)\s+(?:mục|muc)\s*(?P<item>[0-9]{1,4})(?:\s+|$)", re.I
)


@dataclass(frozen=True, slots=True)
class Named:
    """The task an officer named, and what they wrote after its name."""

    task: Task
    directive: Directive
    rest: str


def find_task(turn: Turn, argument: str) -> Named | str:
    """The task named at the start of `argument` within the officer's branches (an
    administrator's: anywhere), or the Vietnamese reason there is none. A task of another
    branch is answered exactly like an unknown one."""
    argument = " ".join(argument.split())
    own = OWN_TASK.match(argument)
    numbered = None if own else DIRECTIVE_ITEM.match(argument)
    if own is not None:
        found = tasks_by_reference(turn.session, directive_id=int(own.group("own")))
        reference, rest = f"Việc số {own.group('own')}", argument[own.end() :]
    elif numbered is not None:
        found = tasks_by_reference(
            turn.session, number=numbered.group("number"), item=int(numbered.group("item"))
        )
        reference = f"{numbered.group('number')} mục {numbered.group('item')}"
        rest = argument[numbered.end() :]
    else:
        return "Anh/chị ghi số việc (ví dụ 12) hoặc số văn bản và mục (ví dụ 490/LĐLĐ mục 3)."
    mine = [(t, d) for t, d in found if not d.is_draft and _in_scope(turn, d.owner_unit_id)]
    if len(mine) != 1:
        return f"Không tìm thấy «{reference}» trong phạm vi anh/chị phụ trách."
    task, directive = mine[0]
    return Named(task, directive, rest.strip())


def _in_scope(turn: Turn, unit_id: int) -> bool:
    standing = turn.standing
    if standing is None:
        return False
    return standing.is_admin or units.is_within(
        turn.session, unit_id=unit_id, root_ids=standing.officer_unit_ids
    )
