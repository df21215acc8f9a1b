"""Reviewing a directive draft: the officer's corrections (deadlines, dropped items, units),
then the confirmation that gives the tasks, or the cancellation that forgets the draft."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, datetime

from handlers.context import Turn
from handlers.intake_draft import Draft
from handlers.intake_fields import correct_field
from handlers.intake_state import account_id, everyone_below, save_and_show
from handlers.messages import Outgoing
from handlers.officer import DEADLINE_TIME
from handlers.scope import find_unit_in_scope, scope_unit_ids
from handlers.texts import deadline_too_far
from handlers.vietnamese_text import fold_plain
from schedules.horizon import beyond_horizon
from storage import conversations, directives
from storage.models import Directive

log = logging.getLogger(__name__)

CANCELLED = "Đã hủy, không lưu gì. Khi cần, anh/chị gửi lại văn bản."
HINT = (
    "Anh/chị đang kiểm tra {title}. Gõ «xác nhận» để giao việc, «hủy» để bỏ, "
    "«2 15/12/2026» để sửa hạn mục 2, «bỏ 3» để bỏ mục 3, «đơn vị MÃ1 MÃ2» để chọn đơn vị; "
    "«số …», «ngày …», «V/v …», «cơ quan …» để sửa thông tin văn bản."
)

_CONFIRM = re.compile(r"^(?:xac nhan|ok|dong y|dong y giao)\W*$")
_CANCEL = re.compile(r"^(?:huy|huy bo|thoi)\W*$")
_SET_DEADLINE = re.compile(
    r"^(?:muc\s*)?(?P<item>\d{1,3})\s*[:.)-]?\s+(?:han\s+)?"
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{2,4}))?$",
    re.ASCII,
)
_CLEAR_DEADLINE = re.compile(
    r"^(?:muc\s*)?(?P<item>\d{1,3})\s+(?:khong han|bo han|chua co han)$", re.ASCII
)
_DROP = re.compile(r"^(?:bo|xoa)\s+(?:muc\s*)?(?P<items>\d{1,3}(?:[\s,]+\d{1,3})*)$", re.ASCII)
_KEEP = re.compile(
    r"^(?:giu|lay lai|khoi phuc)\s+(?:muc\s*)?(?P<items>\d{1,3}(?:[\s,]+\d{1,3})*)$", re.ASCII
)
_UNITS = re.compile(r"^(?P<verb>don vi|them|bot)\s+(?P<rest>.+)$")
_ALL = re.compile(r"^(?:tat ca|ca|all)$")


# ----- corrections --------------------------------------------------------------------------


def correct(turn: Turn, draft: Draft, directive: Directive, text: str) -> list[Outgoing]:
    """The officer's line about the draft: confirm, cancel, a deadline, items, or units."""
    folded = " ".join(fold_plain(text).split())
    if _CONFIRM.match(folded):
        return confirm(turn, draft, directive)
    if _CANCEL.match(folded):
        return cancel(turn, draft)
    if match := _SET_DEADLINE.match(folded):
        return _set_deadline(turn, draft, match)
    if match := _CLEAR_DEADLINE.match(folded):
        task = draft.task(int(match["item"]))
        if task is None:
            return [Outgoing(_no_item(draft, int(match["item"])))]
        cleared = replace(task, deadline=None, deadline_text=None, rule=None, proposed=False)
        return save_and_show(turn, draft.with_task(cleared))
    if match := _DROP.match(folded) or _KEEP.match(folded):
        dropping = folded.startswith(("bo", "xoa"))
        for item in (int(n) for n in re.findall(r"[0-9]+", match["items"])):
            task = draft.task(item)
            if task is None:
                return [Outgoing(_no_item(draft, item))]
            draft = draft.with_task(replace(task, dropped=dropping))
        return save_and_show(turn, draft)
    if match := _UNITS.match(folded):
        return _choose_units(turn, draft, match["verb"], text)
    today = turn.now.astimezone(turn.zone).date()
    filled = correct_field(draft, text, today)
    if isinstance(filled, Draft):
        return save_and_show(turn, filled)
    if filled is not None:
        return [filled]
    return [Outgoing(HINT.format(title=draft.title()))]


def _set_deadline(turn: Turn, draft: Draft, match: re.Match[str]) -> list[Outgoing]:
    item = int(match["item"])
    task = draft.task(item)
    if task is None:
        return [Outgoing(_no_item(draft, item))]
    today = turn.now.astimezone(turn.zone).date()
    year = int(match["year"]) if match["year"] else today.year
    year = year + 2000 if year < 100 else year
    try:
        day = date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        return [Outgoing("Ngày chưa đúng. Anh/chị gõ theo dạng «2 15/12/2026».")]
    if not match["year"] and day < today:
        day = day.replace(year=year + 1)
    if day < today:
        return [Outgoing(f"Ngày {day:%d/%m/%Y} đã qua. Anh/chị chọn một ngày từ hôm nay trở đi.")]
    if beyond_horizon(day, today):
        return [Outgoing(deadline_too_far(day, today))]
    changed = replace(
        task,
        deadline=day,
        deadline_text=None,
        rule=None,
        proposed=False,
        by_officer=True,
        dropped=False,
    )
    return save_and_show(turn, draft.with_task(changed))


def _choose_units(turn: Turn, draft: Draft, verb: str, text: str) -> list[Outgoing]:
    words = text.split(None, 2 if verb == "don vi" else 1)[2 if verb == "don vi" else 1 :]
    rest = words[0] if words else ""
    if verb == "don vi" and _ALL.match(fold_plain(rest).strip()):
        return save_and_show(turn, everyone_below(turn, draft))
    found: list[int] = []
    for code in (c for c in re.split(r"[\s,;]+", rest) if c):
        unit, problem = find_unit_in_scope(turn, code)
        if unit is None or unit.id is None:
            return [Outgoing(problem or "")]
        found.append(unit.id)
    if verb == "them":
        chosen = tuple(dict.fromkeys([*draft.unit_ids, *found]))
    elif verb == "bot":
        chosen = tuple(unit_id for unit_id in draft.unit_ids if unit_id not in found)
    else:
        chosen = tuple(dict.fromkeys(found))
    return save_and_show(turn, replace(draft, unit_ids=chosen, from_addressees=False))


def _no_item(draft: Draft, item: int) -> str:
    items = ", ".join(str(task.item) for task in draft.tasks)
    return f"Không có mục {item}. Văn bản này có các mục: {items}."


# ----- confirming and cancelling ------------------------------------------------------------


def confirm(turn: Turn, draft: Draft, directive: Directive) -> list[Outgoing]:
    """Give the kept tasks to the chosen units in scope and plan their reminders; a draft
    with nothing to give, no unit, or a past deadline is sent back with what to fix."""
    kept = draft.kept()
    if not kept:
        return [Outgoing("Anh/chị đã bỏ hết các mục. Gõ «giữ 1» để lấy lại một mục, hoặc «hủy».")]
    scope = set(scope_unit_ids(turn))
    unit_ids = [unit_id for unit_id in draft.unit_ids if unit_id in scope]
    if not unit_ids:
        return [
            Outgoing(
                "Chưa chọn đơn vị nào để giao. Anh/chị gõ «đơn vị MÃ1 MÃ2», "
                "hoặc «đơn vị tất cả» cho mọi đơn vị trực thuộc."
            )
        ]
    today = turn.now.astimezone(turn.zone).date()
    past = [task for task in kept if task.deadline is not None and task.deadline < today]
    if past:
        listed = ", ".join(f"mục {t.item} ({t.deadline:%d/%m/%Y})" for t in past if t.deadline)
        first = past[0].item
        return [
            Outgoing(
                f"Hạn đã qua: {listed}. Anh/chị đặt hạn mới (ví dụ «{first} 15/12/"
                f"{today.year}») hoặc bỏ mục đó («bỏ {first}») rồi xác nhận lại."
            )
        ]
    too_far = [t for t in kept if t.deadline is not None and beyond_horizon(t.deadline, today)]
    if too_far and too_far[0].deadline is not None:
        first = too_far[0].item
        return [
            Outgoing(
                f"Mục {first}: {deadline_too_far(too_far[0].deadline, today)} "
                f"Anh/chị sửa hạn (ví dụ «{first} 15/12/{today.year}») hoặc bỏ mục đó "
                f"(«bỏ {first}») rồi xác nhận lại."
            )
        ]
    assert directive.id is not None
    directives.set_header(
        turn.session,
        directive=directive,
        kind=draft.kind[:50],
        number=draft.number,
        issuer=draft.issuer,
        subject=draft.subject or "",
        issue_date=_issue_day(draft.issue_date),
    )
    directives.confirm_draft(turn.session, directive=directive, now=turn.now)
    created = []
    dated = 0  # assignments with a deadline: each should get a reminder
    for task in kept:
        deadline = (
            datetime.combine(task.deadline, DEADLINE_TIME, tzinfo=turn.zone)
            if task.deadline
            else None
        )
        row = directives.add_task(
            turn.session,
            directive_id=directive.id,
            item=task.item,
            text=task.text,
            deadline_at=deadline,
            deadline_text=(task.deadline_text or "")[:300] or None,
            deadline_rule="officer" if task.by_officer else task.rule,
        )
        assert row.id is not None
        assigned = directives.assign(turn.session, task_id=row.id, unit_ids=unit_ids, now=turn.now)
        created.extend(assigned)
        dated += len(assigned) if deadline else 0
    planned = turn.plan_reminders(assignment_ids=[a.id for a in created if a.id is not None])
    conversations.clear_state(turn.session, account_id=account_id(turn))
    log.info(
        "directive %s confirmed: %s tasks, %s assignments, %s reminders",
        directive.id,
        len(kept),
        len(created),
        planned.rows,
    )
    lines = [
        f"✅ Đã giao {draft.title()}: {len(kept)} nhiệm vụ cho {len(unit_ids)} đơn vị "
        f"({len(created)} lượt giao)."
    ]
    undated = [str(task.item) for task in kept if task.deadline is None]
    if undated:
        lines.append(
            f"Mục {', '.join(undated)} chưa có hạn nên bot chưa nhắc; các đơn vị vẫn báo cáo "
            "được khi làm xong."
        )
    waiting = dated - planned.reachable
    if waiting > 0:
        lines.append(
            f"{waiting} lượt giao có hạn nhưng đơn vị chưa có chủ tịch đăng ký với bot nên "
            "chưa nhắc được; anh/chị gửi họ mã mời bằng /moi MÃ_ĐƠN_VỊ."
        )
    return [Outgoing("\n".join(lines))]


def _issue_day(shown: str | None) -> date | None:
    """The draft's issue date as shown (`10/07/2025`); a month alone gives no day."""
    if not shown or shown.startswith("tháng"):
        return None
    try:
        return datetime.strptime(shown, "%d/%m/%Y").date()  # noqa: DTZ007 (a date, not a time)
    except ValueError:
        return None


def cancel(turn: Turn, draft: Draft) -> list[Outgoing]:
    """Forget the draft and its row: nothing is kept."""
    directives.delete_draft(turn.session, directive_id=draft.directive_id)
    conversations.clear_state(turn.session, account_id=account_id(turn))
    log.info("draft directive %s cancelled by account %s", draft.directive_id, turn.account.id)
    return [Outgoing(CANCELLED)]
