"""`/tonghop`: an officer's summary of their branch, narrowed by what follows the command.

    /tonghop                  the whole branch (each branch, for an officer of several)
    /tonghop 12               one task, «Việc số 12» as the bot names it everywhere (an
                              officer's own task from /giaoviec: the number is its id)
    /tonghop 490/LĐLĐ mục 3   one item of a directive (also `CV 490 mục 3`)
    /tonghop CV 490           one directive, all its items (also `490/LĐLĐ`, `490/LDLD`)
    /tonghop CDCS-01          one unit and everything below it (also its name, with or
                              without diacritics)

Only the officer's branch is searched (an administrator's: the whole tree): a unit, task or
directive outside it is answered exactly like one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handlers.context import Turn
from handlers.messages import Outgoing
from schedules.branch_figures import compute_branch_figures
from schedules.folding import fold, fold_key
from schedules.summary import summary_text
from schedules.wording import KIND_ABBREVIATIONS
from storage import branch_facts
from storage.branch_facts import TaskRef, UnitRow

USAGE = (
    "Cách dùng: /tonghop (cả nhánh) · /tonghop 12 (Việc số 12) · /tonghop CV 490 "
    "(một văn bản) · /tonghop 490/LĐLĐ mục 3 (một mục) · /tonghop MÃ_ĐƠN_VỊ hoặc tên đơn vị"
)
NOT_FOUND = "Không tìm thấy «{what}» trong phạm vi anh/chị phụ trách.\n" + USAGE
NO_BRANCH = "Anh/chị chưa được phân công phụ trách đơn vị nào."
MAX_MATCHES = 10

OWN_TASK = re.compile(r"^(?:viec\s*)?(?:so\s*)?#?(?P<id>[0-9]{1,9})$")
KINDS = "|".join(sorted({fold(abbreviation) for abbreviation in KIND_ABBREVIATIONS.values()}))
DIRECTIVE = re.compile(
    rf"^(?:(?:{KINDS})\s*)?(?:so\s*)?(?P<number>[0-9][\w\-./]*)(?:\s*,?\s*muc\s*(?P<item>[0-9]{{1,4}}))?$"
)


def on_summary(turn: Turn, argument: str) -> list[Outgoing]:
    """`/tonghop [what]`: the summary of the officer's branch, or of the part named."""
    roots = _roots(turn)
    if not roots:
        return [Outgoing(NO_BRANCH)]
    argument = " ".join(argument.split())
    if not argument:
        return [_summary(turn, root_id) for root_id in roots]
    if turn.standing is not None and turn.standing.is_admin:  # names anywhere in the tree
        roots = branch_facts.top_unit_ids(turn.session)
    branches = {
        root_id: branch_facts.branch_units(turn.session, root_id=root_id) for root_id in roots
    }
    unit = _unit_by_code(branches, argument)
    if unit is not None:
        return [_summary(turn, unit.id)]
    folded = fold(argument).strip()
    references = _task_references(turn, roots, folded)
    if references is not None:
        return references
    units = _units_by_name(branches, folded)
    if len(units) == 1:
        return [_summary(turn, units[0].id)]
    if units:
        listed = "\n".join(f"• {unit.name}: /tonghop {unit.code}" for unit in units[:MAX_MATCHES])
        more = f"\n… và {len(units) - MAX_MATCHES} đơn vị khác" if len(units) > MAX_MATCHES else ""
        return [Outgoing(f"Có {len(units)} đơn vị có tên như «{argument}»:\n{listed}{more}")]
    return [Outgoing(NOT_FOUND.format(what=argument[:60]))]


def _roots(turn: Turn) -> list[int]:
    """The officer's branches; an administrator without one sees every tree."""
    standing = turn.standing
    if standing is None:
        return []
    if standing.officer_unit_ids:
        return list(dict.fromkeys(standing.officer_unit_ids))
    return branch_facts.top_unit_ids(turn.session) if standing.is_admin else []


def _summary(
    turn: Turn,
    root_id: int,
    *,
    directive_ids: Sequence[int] | None = None,
    task_ids: Sequence[int] | None = None,
) -> Outgoing:
    figures = compute_branch_figures(
        turn.session,
        root_id=root_id,
        now=turn.now,
        directive_ids=directive_ids,
        task_ids=task_ids,
    )
    if figures is None:  # the unit was archived in between: nothing to show
        return Outgoing("Đơn vị này không còn trong danh sách. Anh/chị gõ lại /tonghop.")
    detail = directive_ids is not None or task_ids is not None
    return Outgoing(summary_text(figures, zone=turn.zone, detail=detail))


def _unit_by_code(branches: dict[int, list[UnitRow]], argument: str) -> UnitRow | None:
    wanted = argument.casefold()
    for rows in branches.values():
        for row in rows:
            if row.code.casefold() == wanted:
                return row
    return None


def _units_by_name(branches: dict[int, list[UnitRow]], folded: str) -> list[UnitRow]:
    """Units whose name is the text (without diacritics, any case), else contains it."""
    rows = list({row.id: row for found in branches.values() for row in found}.values())
    exact = [row for row in rows if fold(row.name) == folded]
    if exact or len(folded) < 3:
        return exact
    return [row for row in rows if folded in fold(row.name)]


def _task_references(turn: Turn, roots: list[int], folded: str) -> list[Outgoing] | None:
    """The summary of the task or directive the text names, in the branch that has it; a
    text naming none gives None (it may be a unit's name)."""
    own = OWN_TASK.match(folded)
    numbered = None if own else DIRECTIVE.match(folded)
    if own is not None:
        words: tuple[str | None, str, str | None] = (own["id"], own["id"], None)
    elif numbered is not None:
        words = (None, numbered["number"], numbered["item"])
    else:
        return None
    answers = []
    for root_id in roots:
        tasks, whole = _pick(branch_facts.tasks_in_branch(turn.session, root_id=root_id), *words)
        if tasks:
            answers.append(_summary(turn, root_id, task_ids=tasks))
        elif whole:
            answers.append(_summary(turn, root_id, directive_ids=whole))
    return answers or None


def _pick(
    refs: list[TaskRef], own_id: str | None, number: str, item: str | None
) -> tuple[list[int], list[int]]:
    """(task ids, directive ids) the words name among these tasks: «Việc số N» first, then a
    directive's number (`/tonghop 490` is the directive numbered 490/…), or one of its items."""
    if own_id is not None:
        own = [
            ref.task_id for ref in refs if ref.number is None and ref.directive_id == int(own_id)
        ]
        if own:
            return own, []
    matching = [ref for ref in refs if _number_matches(ref, number)]
    if item:
        return [ref.task_id for ref in matching if ref.item == int(item)], []
    return [], list(dict.fromkeys(ref.directive_id for ref in matching))


def _number_matches(ref: TaskRef, wanted: str) -> bool:
    """`490/LĐLĐ` is named by `490/LĐLĐ`, `490/ldld`, `490/LDLD` or `490`."""
    if ref.number is None:
        return False
    number = fold_key(ref.number)
    wanted_key = fold_key(wanted)
    return number == wanted_key or (
        "/" not in wanted and fold_key(ref.number.split("/")[0]) == wanted_key
    )
