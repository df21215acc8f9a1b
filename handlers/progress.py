"""A chair's progress reply: read the line, find the assignment it is about, store it."""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.reply_grammar import ReplyReading, ReplyStatus, read_reply
from schedules.wording import PROGRESS_LABELS, format_moment, shorten, task_label
from storage import directives, outbox
from storage.directives import AssignmentView
from storage.models import Progress
from storage.replies import record_reply

log = logging.getLogger(__name__)

# A reply that names no task is about the last reminder if it came this recently.
RECENT_REMINDER = timedelta(days=3)

PROGRESS_OF = {
    ReplyStatus.DONE: Progress.DONE,
    ReplyStatus.IN_PROGRESS: Progress.IN_PROGRESS,
    ReplyStatus.BLOCKED: Progress.BLOCKED,
    ReplyStatus.NOT_STARTED: Progress.NOT_STARTED,
}


def on_progress_text(turn: Turn, text: str) -> list[Outgoing]:
    """Store a chair's line as a reply on the assignment it is about, or ask."""
    assert turn.standing is not None
    reading = read_reply(text)
    if reading.error or reading.status not in PROGRESS_OF:
        return [
            Outgoing(
                reading.error or "Anh/chị trả lời giúp: «xong», «đang làm 60%» hoặc «vướng: lý do»."
            )
        ]
    open_views = directives.open_assignments(
        turn.session, unit_ids=list(turn.standing.chaired_unit_ids)
    )
    if not open_views:
        return [Outgoing("Hiện anh/chị không có việc nào đang chờ báo cáo. Cảm ơn anh/chị!")]
    view, question = _which_assignment(turn, reading, open_views)
    if view is None:
        return [Outgoing(question)]
    return [_store(turn, view, reading, text)]


def _which_assignment(
    turn: Turn, reading: ReplyReading, open_views: list[AssignmentView]
) -> tuple[AssignmentView | None, str]:
    if reading.task_item is not None:
        # `mục 3` names item 3 of a directive; an officer's own task is shown as
        # "Việc số 12", so `việc 12` names it by that number.
        named = [
            view
            for view in open_views
            if (view.task.item == reading.task_item and view.directive.number)
            or (view.directive.number is None and view.directive.id == reading.task_item)
        ]
        if reading.document_number:
            named = [
                view
                for view in named
                if (view.directive.number or "").split("/")[0] == reading.document_number
            ]
        if len(named) == 1:
            return named[0], ""
        return None, _ask_which(turn, open_views, f"Không thấy việc «mục {reading.task_item}». ")
    if len(open_views) == 1:
        return open_views[0], ""
    assert turn.account.id is not None
    last = outbox.last_sent_reminder(
        turn.session, account_id=turn.account.id, since=turn.now - RECENT_REMINDER
    )
    if last is not None:
        for view in open_views:
            if view.assignment.id == last.assignment_id:
                return view, ""
    return None, _ask_which(turn, open_views, "")


def _ask_which(turn: Turn, open_views: list[AssignmentView], prefix: str) -> str:
    lines = [f"{prefix}Anh/chị đang có {len(open_views)} việc chờ báo cáo, xin ghi rõ việc nào:"]
    for view in open_views[:10]:
        lines.append(f"• {task_label(view.directive, view.task)}: {shorten(view.task.text, 60)}")
    lines.append("Ví dụ: «xong mục 2» hoặc «việc 12 đang làm 50%».")
    return "\n".join(lines)


def _store(turn: Turn, view: AssignmentView, reading: ReplyReading, text: str) -> Outgoing:
    assert turn.person is not None and turn.person.id is not None
    assert turn.account.id is not None and view.assignment.id is not None
    progress = PROGRESS_OF[reading.status]
    record_reply(
        turn.session,
        assignment=view.assignment,
        account_id=turn.account.id,
        person_id=turn.person.id,
        inbound_id=turn.inbound.id,
        raw_text=text,
        progress=progress,
        percent=reading.percent,
        number=reading.number,
        note=reading.note,
        attachment_file_id=turn.incoming.attachment.file_id if turn.incoming.attachment else None,
        now=turn.now,
    )
    if progress == Progress.DONE:
        outbox.skip_pending(turn.session, assignment_id=view.assignment.id, reason="reported done")
    log.info("reply stored on assignment %s: %s", view.assignment.id, progress)
    label = PROGRESS_LABELS[progress]
    if reading.percent is not None and progress == Progress.IN_PROGRESS:
        label += f" {reading.percent}%"
    if reading.note:
        label += f" ({shorten(reading.note, 80)})"
    return Outgoing(
        f"Đã ghi nhận: {task_label(view.directive, view.task)} — {label}, "
        f"{format_moment(turn.now, turn.zone)}"
    )
