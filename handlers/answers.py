"""The answer buttons under a reminder (`a:{assignment}:{d|w|b}[:detail]`), the steps they
start, and `/viec`, the chair's list of open tasks.

Button data comes from the chat platform and can be forged, so every press is checked on
the server: the presser must chair the assignment's unit now, and the assignment must exist
and not be done. A press that fails a check changes nothing and gets one short line.

- «✅ Đã xong» stores done at once;
- «⏳ Đang làm» offers 25/50/75% (buttons whose data carries the percent) or a typed number
  (conversation step `answer_percent`);
- «⚠️ Vướng mắc» asks for one line of reason (conversation step `answer_reason`), and stores
  blocked with that reason; a typed `3` or `vướng` without a reason asks the same
  (`progress.settle`).
"""

from __future__ import annotations

import logging
import re

from handlers import progress
from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.progress import ASK_REASON, PendingReply, progress_label, store_reply
from handlers.reply_grammar import ReplyReading, ReplyStatus, read_reply
from handlers.states import State
from handlers.texts import INVALID_BUTTON, NOT_REGISTERED
from schedules.answer_buttons import ANSWER_LABELS, AnswerAction, answer_data, read_answer_data
from schedules.numbers import DIGIT, parse_int
from schedules.summary import view_status
from schedules.wording import days_left_phrase, format_date, format_moment, shorten, task_label
from storage import directives, pass_down
from storage.conversations import clear_state, set_state
from storage.directives import AssignmentView
from storage.models import ConversationState, Progress
from storage.replies import assignment_view
from storage.task_change_tables import TaskState

log = logging.getLogger(__name__)

PERCENT_CHOICES = (25, 50, 75)
MAX_REASON_CHARS = 500
PERCENT_ONLY = re.compile(rf"^\s*(-?{DIGIT}{{1,4}})\s*%?\s*$")

NOT_YOUR_UNIT = (
    "Việc này không thuộc đơn vị anh/chị làm chủ tịch, nên bot không ghi nhận. "
    "Gõ /viec để xem các việc của đơn vị mình."
)
ASK_PERCENT = "Anh/chị đã làm được khoảng bao nhiêu phần trăm? Bấm một nút, hoặc gõ số (ví dụ 60)."
BAD_PERCENT = "Tỷ lệ phải là số từ 1 đến 100. Anh/chị gõ lại, ví dụ 60, hoặc bấm nút."
REASON_EMPTY = "Lý do chưa có chữ. Anh/chị ghi một dòng lý do, ví dụ: thiếu kinh phí."
REASON_TOO_LONG = (
    "Lý do dài quá ({length} ký tự, tối đa 500). Anh/chị ghi gọn một dòng, ví dụ: thiếu kinh phí."
)


def on_answer_button(turn: Turn, rest: str) -> list[Outgoing]:
    """A press of a reminder's answer button, checked on the server before anything."""
    press = read_answer_data(rest)
    if press is None:
        log.info("malformed answer button from account %s", turn.account.id)
        return [Outgoing(INVALID_BUTTON)]
    if turn.person is None or turn.standing is None:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    view, problem = checked_view(turn, press.assignment_id)
    if view is None:
        return [Outgoing(problem)]
    assert view.assignment.id is not None and turn.account.id is not None
    if press.action == AnswerAction.DONE and not press.detail:
        return [_store(turn, view, ReplyStatus.DONE, ANSWER_LABELS[AnswerAction.DONE])]
    if press.action == AnswerAction.WORKING:
        if not press.detail:
            _wait_for(turn, State.ANSWER_PERCENT, view)
            return [_ask_percent(view)]
        if (percent := parse_int(press.detail, high=100)) in PERCENT_CHOICES:
            assert percent is not None
            clear_state(turn.session, account_id=turn.account.id)
            label = f"{ANSWER_LABELS[AnswerAction.WORKING]} {percent}%"
            return [_store(turn, view, ReplyStatus.IN_PROGRESS, label, percent=percent)]
    if press.action == AnswerAction.BLOCKED and not press.detail:
        _wait_for(turn, State.ANSWER_REASON, view)
        return [Outgoing(f"{task_label(view.directive, view.task)}: {ASK_REASON}")]
    log.info("answer button with a forged detail from account %s", turn.account.id)
    return [Outgoing(INVALID_BUTTON)]


def checked_view(turn: Turn, assignment_id: int) -> tuple[AssignmentView | None, str]:
    """The assignment if this person may answer it now; otherwise the short reason why not.
    An unknown assignment and another unit's are answered alike (nothing to probe)."""
    assert turn.standing is not None
    view = assignment_view(turn.session, assignment_id=assignment_id)
    if view is None or view.assignment.unit_id not in turn.standing.answering_unit_ids:
        log.info("answer on assignment %s refused for account %s", assignment_id, turn.account.id)
        if not turn.standing.answering_unit_ids:
            return None, progress.NOT_A_CHAIR
        return None, NOT_YOUR_UNIT if view is not None else INVALID_BUTTON
    if view.task.state != TaskState.OPEN:  # cancelled or closed since the reminder
        said = "đã bị hủy" if view.task.state == TaskState.CANCELLED else "đã kết thúc"
        return None, f"{task_label(view.directive, view.task)} {said}; anh/chị không cần báo cáo."
    if view.assignment.progress == Progress.DONE:
        done_at = view.assignment.done_at
        when = f" lúc {format_moment(done_at, turn.zone)}" if done_at else ""
        return None, (
            f"{task_label(view.directive, view.task)} đã được báo xong{when}, không cần bấm nữa. "
            "Nếu cần sửa, anh/chị gõ «sửa: đang làm 50%» (hoặc tình hình đúng)."
        )
    return view, ""


def _wait_for(turn: Turn, state: State, view: AssignmentView) -> None:
    """The chair's next message answers the question about this assignment."""
    assert turn.account.id is not None
    set_state(
        turn.session,
        account_id=turn.account.id,
        name=state,
        data={"assignment_id": view.assignment.id},
        now=turn.now,
    )


def _ask_percent(view: AssignmentView) -> Outgoing:
    assert view.assignment.id is not None
    buttons = tuple(
        Choice(f"{percent}%", answer_data(view.assignment.id, AnswerAction.WORKING, str(percent)))
        for percent in PERCENT_CHOICES
    )
    return Outgoing(f"{task_label(view.directive, view.task)}: {ASK_PERCENT}", choices=(buttons,))


def _store(
    turn: Turn,
    view: AssignmentView,
    status: ReplyStatus,
    raw_text: str,
    *,
    percent: int | None = None,
    note: str | None = None,
    attachment_file_id: str | None = None,
) -> Outgoing:
    reading = ReplyReading(status=status, percent=percent, note=note)
    return store_reply(turn, view, PendingReply(raw_text, reading, attachment_file_id))


def _state_view(turn: Turn, state: ConversationState) -> AssignmentView | None:
    """The assignment a waiting step is about, while it is fresh and still answerable;
    otherwise the step is dropped and the line is read on its own."""
    assert turn.account.id is not None
    view = None
    if turn.standing is not None and not progress.is_stale(turn, state):
        view, _ = checked_view(turn, int(state.data.get("assignment_id", 0)))
    if view is None:
        clear_state(turn.session, account_id=turn.account.id)
    return view


def on_percent_answer(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """After «Đang làm»: a typed percent; any other line is read as a normal reply about
    the same task."""
    assert turn.account.id is not None
    text = (turn.incoming.text or "").strip()
    view = _state_view(turn, state)
    if view is None:
        return progress.as_new_line(turn, text)
    match = PERCENT_ONLY.match(text)
    if match is None:
        clear_state(turn.session, account_id=turn.account.id)
        return progress.on_progress_text(turn, text, preferred=view.assignment.id)
    percent = int(match.group(1))
    if not 1 <= percent <= 100:
        return [Outgoing(BAD_PERCENT)]
    clear_state(turn.session, account_id=turn.account.id)
    if percent == 100:
        return [_store(turn, view, ReplyStatus.DONE, text)]
    return [_store(turn, view, ReplyStatus.IN_PROGRESS, text, percent=percent)]


def on_reason_answer(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """After «Vướng mắc»: one line of reason, stored as blocked. A line that plainly reports
    another status (`xong`, `đang làm 60%`) is stored as that instead."""
    assert turn.account.id is not None
    text = (turn.incoming.text or "").strip()
    view = _state_view(turn, state)
    if view is None:
        return progress.as_new_line(turn, text)
    attachment = turn.incoming.attachment
    file_id = attachment.file_id if attachment is not None else None
    if len(text) > MAX_REASON_CHARS:
        return [Outgoing(REASON_TOO_LONG.format(length=f"{len(text):,}".replace(",", ".")))]
    reading = read_reply(text)
    if reading.rule in {"empty", "no-text"}:
        return [Outgoing(REASON_EMPTY)]
    if reading.is_courtesy or (reading.status is ReplyStatus.BLOCKED and not reading.note):
        # `ok`, `dạ`, `3` again: still no reason; the question stays
        return [Outgoing(f"{task_label(view.directive, view.task)}: {ASK_REASON}")]
    clear_state(turn.session, account_id=turn.account.id)
    if reading.is_confident and reading.status != ReplyStatus.BLOCKED:
        return [store_reply(turn, view, PendingReply(text, reading, file_id))]
    reason = reading.note if reading.is_confident and reading.note else text
    return [_store(turn, view, ReplyStatus.BLOCKED, text, note=reason, attachment_file_id=file_id)]


def on_my_tasks(turn: Turn, argument: str) -> list[Outgoing]:
    """`/viec`: the chair's open tasks, each with its deadline and status."""
    assert turn.standing is not None  # and chairs a unit: see handlers.commands
    views = directives.open_assignments(
        turn.session, unit_ids=list(turn.standing.answering_unit_ids)
    )
    if not views:
        return [Outgoing(progress.NOTHING_OPEN)]
    several_units = len({view.unit.id for view in views}) > 1
    passed = pass_down.children_progress(
        turn.session, parent_ids=[view.assignment.id for view in views if view.assignment.id]
    )
    lines = [f"📋 Anh/chị có {len(views)} việc đang chờ báo cáo:"]
    for number, view in enumerate(views[:20], start=1):
        deadline = view.assignment.deadline_at or view.task.deadline_at
        due = (
            f"hạn {format_date(deadline, turn.zone)} "
            f"({days_left_phrase(deadline, turn.now, turn.zone)})"
            if deadline
            else "chưa có hạn"
        )
        status = view_status(view, turn.now).label
        if view.assignment.progress != Progress.OPEN:
            status += (
                f" — {progress_label(Progress(view.assignment.progress), view.assignment.percent)}"
            )
        lines.append(f"{number}. {task_label(view.directive, view.task)} — {due} — {status}")
        lines.append(f"   {shorten(view.task.text, 80)}")
        if (children := passed.get(view.assignment.id or 0)) is not None:
            lines.append(f"   Đã giao xuống: {children.done}/{children.total} đơn vị xong")
        if several_units:
            lines.append(f"   Đơn vị: {view.unit.name}")
    if len(views) > 20:
        lines.append(f"… và {len(views) - 20} việc khác.")
    lines.append(
        "Báo cáo: «xong», «đang làm 60%», «vướng: lý do»; có nhiều việc thì thêm «mục 2» "
        "hoặc «việc 12» như tên việc ở trên."
    )
    return [Outgoing("\n".join(lines))]
