"""A chair's typed progress reply: read the line, find the assignment it is about, store it.

Which assignment a line is about, in this order: the task it names (`mục 3`, `việc 12`,
`CV 490 mục 3`, among all the chair's assignments, so naming a task reported done corrects
it); the only open one; the one a conversation step is about; the one of the last reminder
the chair received within `RECENT_REMINDER`. Otherwise the bot asks which, listing the open
tasks with a numbered button each, and keeps the line in the conversation state until the
chair answers with a number or a tap.

A line starting with `sửa` / `nhầm` / `đính chính` corrects the chair's latest reply. Every
reply is a new row (history); the latest one decides the assignment's progress.

A blocked line without a reason (`3`, `vướng`) is not stored: the bot asks for the reason
(step `answer_reason`, as after the «Vướng mắc» button), because the officer must act on it.
`cảm ơn`, `ok`, `dạ vâng` get a polite answer and store nothing. A line about several tasks
(`mục 2 xong, mục 3 đang làm`) is `handlers.progress_several`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from handlers.blocked_alert import alert_officer
from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.reply_grammar import ReplyReading, ReplyStatus, read_replies, read_reply
from handlers.states import State
from handlers.texts import NOT_REGISTERED
from schedules.button_prefixes import ButtonPrefix
from schedules.numbers import parse_id
from schedules.wording import (
    PROGRESS_LABELS,
    format_moment,
    format_number,
    shorten,
    task_label,
)
from storage import directives, outbox
from storage.conversations import clear_state, get_state, set_state
from storage.directives import AssignmentView
from storage.models import ConversationState, Progress
from storage.replies import assignment_view, last_replied_assignment_id, record_reply

log = logging.getLogger(__name__)

# A reply that names no task is about the last reminder if it came this recently.
RECENT_REMINDER = timedelta(days=3)
# A question the chair left unanswered this long no longer decides what a new line means.
STEP_TTL = timedelta(days=1)
MAX_LISTED = 10

PROGRESS_OF = {
    ReplyStatus.DONE: Progress.DONE,
    ReplyStatus.IN_PROGRESS: Progress.IN_PROGRESS,
    ReplyStatus.BLOCKED: Progress.BLOCKED,
    ReplyStatus.NOT_STARTED: Progress.NOT_STARTED,
}
CORRECTION = re.compile(
    r"^\s*(?:sửa|sua|sữa|nhầm|nham|đính chính|dinh chinh)(?:\s+(?:lại|lai))?\s*[:,.\-–]?\s*",
    re.IGNORECASE,
)
NUMBER_ONLY = re.compile(r"^\s*#?\s*([0-9]{1,3})\s*\.?\s*$")

THANKS = "Dạ, cảm ơn anh/chị!"
NOTHING_OPEN = "Hiện anh/chị không có việc nào đang chờ báo cáo. Cảm ơn anh/chị!"
NOT_A_CHAIR = (
    "Bot chỉ ghi nhận báo cáo tiến độ của chủ tịch CĐCS được giao việc. Anh/chị không phải "
    "chủ tịch đơn vị nào nên báo cáo này không được ghi nhận."
)
STICKER = (
    "Bot chưa đọc được nhãn dán. Anh/chị trả lời bằng chữ: «xong», «đang làm 60%» hoặc "
    "«vướng: lý do»."
)
ASK_REASON = "Anh/chị ghi giúp một dòng lý do vướng mắc (ví dụ: thiếu kinh phí), bot sẽ báo cán bộ."
FILE_WITHOUT_TEXT = (
    "Bot đã nhận tệp/ảnh nhưng chưa ghi nhận tiến độ vì không có chú thích. Anh/chị gửi lại "
    "kèm một dòng chú thích, ví dụ «xong» hoặc «đang làm 60%»."
)


@dataclass(frozen=True, slots=True)
class PendingReply:
    """A reply read but not yet stored, and the attachment that came with it."""

    raw_text: str
    reading: ReplyReading
    attachment_file_id: str | None = None
    correction: bool = False

    def to_data(self) -> dict[str, Any]:
        reading = self.reading
        return {
            "raw": self.raw_text,
            "status": reading.status.value,
            "percent": reading.percent,
            "number": reading.number,
            "of_target": reading.of_target,
            "note": reading.note,
            "file": self.attachment_file_id,
            "correction": self.correction,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PendingReply:
        reading = ReplyReading(
            status=ReplyStatus(data["status"]),
            percent=data.get("percent"),
            number=data.get("number"),
            of_target=data.get("of_target"),
            note=data.get("note"),
        )
        return cls(str(data["raw"]), reading, data.get("file"), bool(data.get("correction")))


def on_progress_text(turn: Turn, text: str, *, preferred: int | None = None) -> list[Outgoing]:
    """Store a chair's line as a reply on the assignment it is about, or ask.

    `preferred` is the assignment a conversation step was about: a line that names no task
    goes there.
    """
    assert turn.standing is not None
    attachment = turn.incoming.attachment
    if attachment is not None and not text:
        return [Outgoing(STICKER if attachment.kind == "sticker" else FILE_WITHOUT_TEXT)]
    correction = CORRECTION.match(text)
    line = text[correction.end() :] if correction else text
    readings = read_replies(line)
    if len(readings) > 1:
        # Imported here: that module builds on this one.
        from handlers.progress_several import on_several

        file_id = attachment.file_id if attachment is not None else None
        return on_several(turn, text, readings, file_id, correction=correction is not None)
    reading = readings[0]
    if reading.is_courtesy:  # the reporting hint only while something is waiting
        unit_ids = list(turn.standing.chaired_unit_ids)
        waiting = directives.open_assignments(turn.session, unit_ids=unit_ids)
        return [Outgoing(reading.error if waiting and reading.error else THANKS)]
    if not reading.is_confident:
        return [Outgoing(reading.error or read_reply("").error or "")]
    pending = PendingReply(
        text,
        reading,
        attachment.file_id if attachment is not None else None,
        correction=correction is not None,
    )
    # Only the open assignments are read on every reply (a unit's done ones pile up over the
    # years); a done one is read when the line names it, corrects it or a step was about it.
    unit_ids = list(turn.standing.answering_unit_ids)
    if reading.task_item is not None:
        numbered = directives.assignments_numbered(
            turn.session, unit_ids=unit_ids, number=reading.task_item
        )
        named = _named(numbered, reading)
        if len(named) == 1:
            return [settle(turn, named[0], pending)]
        prefix = f"Không thấy việc «mục {reading.task_item}» của đơn vị anh/chị. "
        open_views = directives.open_assignments(turn.session, unit_ids=unit_ids)
        if not open_views:
            return [Outgoing(prefix + NOTHING_OPEN)]
        return [ask_which(turn, open_views, pending, prefix)]
    if pending.correction:
        assert turn.person is not None and turn.person.id is not None
        last = last_replied_assignment_id(turn.session, person_id=turn.person.id, unit_ids=unit_ids)
        if last is not None and (view := chaired_view(turn, last)) is not None:
            return [settle(turn, view, pending)]
    if preferred is not None and (view := chaired_view(turn, preferred)) is not None:
        return [settle(turn, view, pending)]
    open_views = directives.open_assignments(turn.session, unit_ids=unit_ids)
    if not open_views:
        return [Outgoing(NOTHING_OPEN)]
    if len(open_views) == 1:
        return [settle(turn, open_views[0], pending)]
    assert turn.account.id is not None
    last_reminder = outbox.last_sent_reminder(
        turn.session, account_id=turn.account.id, since=turn.now - RECENT_REMINDER
    )
    if last_reminder is not None:
        for view in open_views:
            if view.assignment.id == last_reminder.assignment_id:
                return [settle(turn, view, pending)]
    return [ask_which(turn, open_views, pending, "")]


def on_non_chair_text(turn: Turn, text: str) -> list[Outgoing]:
    """A registered person who chairs no unit: a progress line is refused, anything else
    gets the help."""
    # Imported here: the registry of commands imports the handlers, this module among them.
    from handlers.commands import help_text

    assert turn.standing is not None
    line = text[match.end() :] if (match := CORRECTION.match(text)) else text
    readings = read_replies(line) if text else []
    if len(readings) == 1 and readings[0].is_courtesy:
        return [Outgoing(THANKS)]
    if readings and all(reading.is_confident for reading in readings):
        log.info("progress reply refused for account %s: chairs no unit", turn.account.id)
        return [Outgoing(NOT_A_CHAIR)]
    return [Outgoing(help_text(turn.standing))]


def chaired_view(turn: Turn, assignment_id: int) -> AssignmentView | None:
    """The assignment, when it belongs to a unit the sender chairs."""
    assert turn.standing is not None
    view = assignment_view(turn.session, assignment_id=assignment_id)
    if view is None or view.assignment.unit_id not in turn.standing.answering_unit_ids:
        return None
    return view


def _named(numbered: list[AssignmentView], reading: ReplyReading) -> list[AssignmentView]:
    """Of the assignments the line's number names, those of the document it names (`CV 490
    mục 3`), if it names one."""
    if not reading.document_number:
        return numbered
    return [
        view
        for view in numbered
        if (view.directive.number or "").split("/")[0] == reading.document_number
    ]


def ask_which(
    turn: Turn, open_views: list[AssignmentView], pending: PendingReply, prefix: str
) -> Outgoing:
    """Ask which open task the line is about; the line waits in the conversation state."""
    listed = open_views[:MAX_LISTED]
    assert turn.account.id is not None
    set_state(
        turn.session,
        account_id=turn.account.id,
        name=State.WHICH_TASK,
        data={**pending.to_data(), "candidates": [view.assignment.id for view in listed]},
        now=turn.now,
    )
    lines = [
        f"{prefix}Anh/chị đang có {len(open_views)} việc chờ báo cáo. "
        f"Báo cáo «{shorten(pending.raw_text, 60)}» là cho việc nào? "
        "Anh/chị bấm nút hoặc gõ số thứ tự:"
    ]
    for number, view in enumerate(listed, start=1):
        lines.append(
            f"{number}. {task_label(view.directive, view.task)}: {shorten(view.task.text, 60)}"
        )
    buttons = [
        Choice(str(number), f"{ButtonPrefix.WHICH_TASK}:{view.assignment.id}")
        for number, view in enumerate(listed, start=1)
    ]
    rows = tuple(tuple(buttons[start : start + 5]) for start in range(0, len(buttons), 5))
    return Outgoing("\n".join(lines), choices=rows)


def on_which_task_answer(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The chair answers "which task?" with a number from the list; any other line is a new
    reply (the waiting one is dropped)."""
    text = (turn.incoming.text or "").strip()
    match = NUMBER_ONLY.match(text)
    candidates = [int(value) for value in state.data.get("candidates", [])]
    assert turn.account.id is not None
    if match is None and not is_stale(turn, state) and read_reply(text).is_courtesy:
        return [Outgoing(f"Anh/chị gõ một số từ 1 đến {len(candidates)}, hoặc bấm nút.")]
    if match is None or is_stale(turn, state):
        clear_state(turn.session, account_id=turn.account.id)
        return as_new_line(turn, text)
    index = int(match.group(1))
    if not 1 <= index <= len(candidates):
        return [Outgoing(f"Anh/chị gõ một số từ 1 đến {len(candidates)}, hoặc bấm nút.")]
    return _apply_pending(turn, state, candidates[index - 1])


def on_which_task_button(turn: Turn, rest: str) -> list[Outgoing]:
    """A tap on a numbered button of "which task?": only an assignment that question listed
    to this account is accepted (the list is kept on the server)."""
    assert turn.account.id is not None
    state = get_state(turn.session, account_id=turn.account.id)
    assignment_id = parse_id(rest)
    if state is None or state.name != State.WHICH_TASK or assignment_id is None:
        return [Outgoing("Câu hỏi này đã hết hiệu lực. Anh/chị gửi lại báo cáo nhé.")]
    if assignment_id not in [int(value) for value in state.data.get("candidates", [])]:
        log.info("which-task button with an unlisted assignment from account %s", turn.account.id)
        return [Outgoing("Nút này không hợp lệ. Không có gì được ghi nhận.")]
    return _apply_pending(turn, state, assignment_id)


def _apply_pending(turn: Turn, state: ConversationState, assignment_id: int) -> list[Outgoing]:
    assert turn.account.id is not None
    clear_state(turn.session, account_id=turn.account.id)
    if turn.standing is None or not turn.standing.answering_unit_ids:
        return [Outgoing(NOT_A_CHAIR)]
    if is_stale(turn, state):
        return [Outgoing("Câu hỏi này đã hết hiệu lực. Anh/chị gửi lại báo cáo nhé.")]
    view = chaired_view(turn, assignment_id)
    if view is None:
        return [Outgoing("Việc này không còn thuộc đơn vị anh/chị. Không có gì được ghi nhận.")]
    return [settle(turn, view, PendingReply.from_data(state.data))]


def is_stale(turn: Turn, state: ConversationState) -> bool:
    """Whether the step was left unanswered for longer than `STEP_TTL`."""
    return state.updated_at is not None and turn.now - state.updated_at > STEP_TTL


def as_new_line(turn: Turn, text: str) -> list[Outgoing]:
    """A line read on its own, as if no conversation step were waiting."""
    if turn.person is None or turn.standing is None:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    if not turn.standing.answering_unit_ids:
        return on_non_chair_text(turn, text)
    return on_progress_text(turn, text)


def settle(turn: Turn, view: AssignmentView, pending: PendingReply) -> Outgoing:
    """Store the reply, or, for a blocked one without a reason, ask for the reason first."""
    reading = pending.reading
    if reading.status is ReplyStatus.BLOCKED and not reading.note:
        return ask_reason(turn, view)
    return store_reply(turn, view, pending)


def ask_reason(turn: Turn, view: AssignmentView) -> Outgoing:
    """The chair's next line is the reason why this assignment is blocked."""
    assert turn.account.id is not None
    set_state(
        turn.session,
        account_id=turn.account.id,
        name=State.ANSWER_REASON,
        data={"assignment_id": view.assignment.id},
        now=turn.now,
    )
    return Outgoing(f"{task_label(view.directive, view.task)}: {ASK_REASON}")


def store_reply(turn: Turn, view: AssignmentView, pending: PendingReply) -> Outgoing:
    """Store the reply on the assignment and confirm it in one line."""
    assert turn.person is not None and turn.person.id is not None
    assert turn.account.id is not None and view.assignment.id is not None
    reading = pending.reading
    progress = PROGRESS_OF[reading.status]
    # `8/10 chỉ tiêu`: the 8 is the indicator's figure only when the task has an indicator.
    number = reading.number
    if reading.of_target is not None and not view.task.indicator_name:
        number = None
    before = Progress(view.assignment.progress)
    before_percent = view.assignment.percent
    record_reply(
        turn.session,
        assignment=view.assignment,
        account_id=turn.account.id,
        person_id=turn.person.id,
        inbound_id=turn.inbound_id,
        raw_text=pending.raw_text,
        progress=progress,
        percent=reading.percent,
        number=number,
        note=reading.note,
        attachment_file_id=pending.attachment_file_id,
        now=turn.now,
    )
    if progress == Progress.DONE:
        outbox.skip_pending(turn.session, assignment_id=view.assignment.id, reason="reported done")
    elif progress == Progress.BLOCKED:
        alert_officer(turn, view, reading.note or "")
    log.info("reply stored on assignment %s: %s", view.assignment.id, progress)
    label = progress_label(progress, view.assignment.percent)
    if number is not None:
        label += f", số liệu {format_number(number)}"
    if reading.note:
        label += f" ({shorten(reading.note, 80)})"
    if pending.attachment_file_id:
        label += ", có tệp đính kèm"
    text = (
        f"Đã ghi nhận: {task_label(view.directive, view.task)} — {label}, "
        f"{format_moment(turn.now, turn.zone)}"
    )
    if before != Progress.OPEN and (before, before_percent) != (progress, view.assignment.percent):
        text += f"\n(Thay cho báo cáo trước: {progress_label(before, before_percent)}.)"
    return Outgoing(text)


def progress_label(progress: Progress, percent: int | None) -> str:
    """`Đã xong`, `Đang làm 50%`, `Vướng mắc`."""
    label = PROGRESS_LABELS[progress]
    if percent is not None and progress == Progress.IN_PROGRESS:
        label += f" {percent}%"
    return label
