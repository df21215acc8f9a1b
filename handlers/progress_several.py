"""A chair's line about several tasks (`mục 2 xong, mục 3 đang làm`): one reply per task,
each confirmed in its own message.

Every part must name a task of the chair's units that can be found unambiguously (`mục 3`,
`việc 12`, `CV 490 mục 3`, or `CV 490` when that document has one open task here);
otherwise nothing is stored and the chair is told which part was not found. One blocked part
without a reason is asked about after the others are stored (step `answer_reason`); two or
more are refused, since one question can wait at a time.
"""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.progress import PendingReply, ask_reason, store_reply
from handlers.reply_grammar import ReplyReading, ReplyStatus
from storage import directives
from storage.directives import AssignmentView

log = logging.getLogger(__name__)

NOT_FOUND = (
    "Không thấy việc «{name}» của đơn vị anh/chị nên bot chưa ghi nhận dòng này. Anh/chị gõ "
    "/viec để xem các việc, rồi báo lại, ví dụ «mục 2 xong, mục 3 đang làm»."
)
SAME_TASK = (
    "Dòng này báo hai lần cho cùng một việc ({name}) nên bot chưa ghi nhận. Anh/chị báo mỗi "
    "việc một lần, ví dụ «mục 2 xong, mục 3 đang làm»."
)
MANY_REASONS = (
    "Anh/chị báo vướng mắc ở nhiều việc nhưng chưa ghi lý do, nên bot chưa ghi nhận. Anh/chị "
    "gửi mỗi việc một dòng kèm lý do, ví dụ «mục 2 vướng: thiếu kinh phí»."
)


def on_several(
    turn: Turn,
    raw_text: str,
    readings: list[ReplyReading],
    attachment_file_id: str | None,
    *,
    correction: bool,
) -> list[Outgoing]:
    """Store one reply per part, or nothing with one line saying why."""
    assert turn.standing is not None
    unit_ids = list(turn.standing.chaired_unit_ids)
    views: list[AssignmentView] = []
    for reading in readings:
        view = _named_view(turn, unit_ids, reading)
        if view is None:
            return [Outgoing(NOT_FOUND.format(name=_name(reading)))]
        if any(seen.assignment.id == view.assignment.id for seen in views):
            return [Outgoing(SAME_TASK.format(name=_name(reading)))]
        views.append(view)
    unexplained = [
        index
        for index, reading in enumerate(readings)
        if reading.status is ReplyStatus.BLOCKED and not reading.note
    ]
    if len(unexplained) > 1:
        return [Outgoing(MANY_REASONS)]
    answers = [
        store_reply(
            turn, view, PendingReply(raw_text, reading, attachment_file_id, correction=correction)
        )
        for index, (view, reading) in enumerate(zip(views, readings, strict=True))
        if index not in unexplained
    ]
    log.info("one line stored as %d replies for account %s", len(answers), turn.account.id)
    if unexplained:
        answers.append(ask_reason(turn, views[unexplained[0]]))
    return answers


def _named_view(turn: Turn, unit_ids: list[int], reading: ReplyReading) -> AssignmentView | None:
    """The one assignment the part names, if exactly one."""
    document = reading.document_number
    if reading.task_item is not None:
        found = directives.assignments_numbered(
            turn.session, unit_ids=unit_ids, number=reading.task_item
        )
    else:
        found = directives.open_assignments(turn.session, unit_ids=unit_ids)
    if document:
        found = [v for v in found if (v.directive.number or "").split("/")[0] == document]
    return found[0] if len(found) == 1 else None


def _name(reading: ReplyReading) -> str:
    parts = []
    if reading.document_number:
        parts.append(f"CV {reading.document_number}")
    if reading.task_item is not None:
        parts.append(f"mục {reading.task_item}")
    return " ".join(parts)
