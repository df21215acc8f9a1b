"""A chair's «vướng mắc» reaches the officer who owns the directive (its creator, as the
reminders' escalation finds them): gathered, at most one message per officer per hour
(`storage.blocked_alerts`), sent by the dispatcher outside quiet hours."""

from __future__ import annotations

import logging

from handlers.context import Turn
from schedules.branch_figures import task_reference
from schedules.wording import format_moment, shorten, task_label
from storage.blocked_alerts import gather_blocked_alert
from storage.directives import AssignmentView
from storage.escalation import person_account_id

log = logging.getLogger(__name__)

HEADER = "⚠️ Đơn vị báo vướng mắc, cần anh/chị hỗ trợ:"
MAX_REASON = 200


def alert_line(turn: Turn, view: AssignmentView, reason: str) -> str:
    """`• 09/12/2026 09:14 — CĐCS A — Việc số 1: thiếu kinh phí (/tonghop 1)`."""
    label = task_label(view.directive, view.task)
    reference = task_reference(view.directive, view.task)
    reason = shorten(reason, MAX_REASON) or "(chưa ghi lý do)"
    return (
        f"• {format_moment(turn.now, turn.zone)} — {view.unit.name} — {label}: {reason} "
        f"(/tonghop {reference})"
    )


def alert_officer(turn: Turn, view: AssignmentView, reason: str) -> None:
    """Queue the reason for the directive's officer (not when the chair is that officer)."""
    officer_id = view.directive.created_by_person_id
    if turn.person is not None and turn.person.id == officer_id:
        return
    account_id = person_account_id(turn.session, person_id=officer_id)
    if account_id is None:
        log.info(
            "blocked reply on assignment %s: the officer has no reachable account",
            view.assignment.id,
        )
        return
    placed = gather_blocked_alert(
        turn.session,
        person_id=officer_id,
        account_id=account_id,
        header=HEADER,
        line=alert_line(turn, view, reason),
        now=turn.now,
    )
    if placed:
        turn.outbox_changed()
