"""The list `/giaoxuong` and `/baocaolen` number: the open assignments of the officer's own
units (`/giaoxuong`, `/giaoxuong 2 …`), or of one unit named first (`/giaoxuong LDLD-TU`,
`/giaoxuong huyện Tam Đường 2 …`), for an administrator anywhere and for a branch's officer
where the unit has no officer of its own (`handlers.scope.may_steer`).

The unit is typed again in each command rather than kept in the conversation state: a
remembered unit would silently change what «/giaoxuong 1» means, and a state waiting for it
would take the person's next plain line (a chair's «xong») as its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.context import Turn
from handlers.scope import find_unit_in_scope, may_steer
from schedules.numbers import parse_int
from storage import directives
from storage.directives import AssignmentView
from storage.models import Unit

MAX_LISTED = 30
ADMIN_NAMES_UNIT = (
    "Anh/chị là quản trị hệ thống: xin ghi mã hoặc tên đơn vị trước, ví dụ /{command} "
    "LDLD-HUYEN để xem việc của đơn vị đó, rồi /{command} LDLD-HUYEN 1."
)
OWN_OFFICER = (
    "{unit} có cán bộ phụ trách riêng: việc của đơn vị do cán bộ của đơn vị giao xuống và báo "
    "cáo lên. Anh/chị xem tiến độ bằng /tonghop {code}."
)


@dataclass(frozen=True, slots=True)
class TaskList:
    """The numbered assignments a command works on, and the words typed after the unit."""

    views: list[AssignmentView]
    words: list[str]
    unit: Unit | None = None  # the unit named first; None: the officer's own units

    @property
    def unit_ref(self) -> str:
        """What to type after the command to keep this numbering: « LDLD-TU», or nothing."""
        return f" {self.unit.code}" if self.unit is not None else ""


def task_list(turn: Turn, argument: str, command: str) -> tuple[TaskList | None, str]:
    """The list the argument numbers (a number first, or nothing: the officer's own units;
    anything else: the unit it names, then the number), or why there is none."""
    words = argument.split()
    if not words or parse_int(words[0]) is not None:
        standing = turn.standing
        if standing is not None and standing.is_admin and not standing.officer_unit_ids:
            return None, ADMIN_NAMES_UNIT.format(command=command)
        return TaskList(officer_views(turn), words), ""
    unit, rest, problem = _named_unit(turn, words)
    if unit is None or unit.id is None:
        return None, problem
    if not may_steer(turn, unit_id=unit.id):
        return None, OWN_OFFICER.format(unit=unit.name, code=unit.code)
    views = directives.open_assignments(turn.session, unit_ids=[unit.id])[:MAX_LISTED]
    return TaskList(views, rest, unit), ""


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


def _named_unit(turn: Turn, words: list[str]) -> tuple[Unit | None, list[str], str]:
    """The unit named by the words before the first number (a code, or a name with or
    without diacritics); when those name none, the whole line, for a name holding a number
    («CĐCS Trường THCS số 2»). Outside the person's scope: answered as unknown."""
    cut = next((i for i in range(1, len(words)) if parse_int(words[i]) is not None), len(words))
    unit, problem = find_unit_in_scope(turn, " ".join(words[:cut]))
    if unit is not None:
        return unit, words[cut:], ""
    if cut < len(words):
        whole, _ = find_unit_in_scope(turn, " ".join(words))
        if whole is not None:
            return whole, [], ""
    return None, [], problem or ""
