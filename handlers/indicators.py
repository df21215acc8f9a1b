"""`/chitieu`: an officer gives a task of their branch a numeric indicator (chỉ tiêu), which
reminders then ask for and the summary adds up.

    /chitieu 12 Số đoàn viên kết nạp mới | người       (Việc số 12, given with /giaoviec)
    /chitieu 490/LĐLĐ mục 3 Số đoàn viên kết nạp | người   (item 3 of a directive)
    /chitieu 12 xoá                                   (remove it)
"""

from __future__ import annotations

import logging
import re

from handlers.context import Turn
from handlers.messages import Outgoing
from schedules.wording import INDICATOR_MARK, indicator_request, task_label
from storage import units
from storage.indicators import rewrite_pending_reminders, set_indicator, tasks_by_reference
from storage.models import Task

log = logging.getLogger(__name__)

USAGE = (
    "Cách dùng: /chitieu SỐ_VIỆC Tên chỉ tiêu | đơn vị tính\n"
    "Ví dụ: /chitieu 12 Số đoàn viên kết nạp mới | người\n"
    "hoặc: /chitieu 490/LĐLĐ mục 3 Số đoàn viên kết nạp mới | người\n"
    "Xoá chỉ tiêu: /chitieu 12 xoá"
)
OWN_TASK = re.compile(
    r"^(?:(?:việc|viec)\s*(?:số|so)?\s*)?#?(?P<own>[0-9]{1,9})\s+(?P<rest>.+)$", re.I
)
DIRECTIVE_ITEM = re.compile(
    r"^(?P<number>\S+/\S+)\s+(?:mục|muc)\s*(?P<item>[0-9]{1,4})\s+(?P<rest>.+)$", re.I
)
REMOVE = {"xoá", "xóa", "xoa", "bỏ", "bo"}
MAX_NAME = 200
MAX_UNIT = 50


def on_set_indicator(turn: Turn, argument: str) -> list[Outgoing]:
    """Set (or remove) the indicator of one task the officer's branch owns."""
    argument = " ".join(argument.split())
    own = OWN_TASK.match(argument)
    numbered = None if own else DIRECTIVE_ITEM.match(argument)
    if own is not None:
        found = tasks_by_reference(turn.session, directive_id=int(own.group("own")))
        rest, reference = own.group("rest"), f"Việc số {own.group('own')}"
    elif numbered is not None:
        found = tasks_by_reference(
            turn.session, number=numbered.group("number"), item=int(numbered.group("item"))
        )
        rest = numbered.group("rest")
        reference = f"{numbered.group('number')} mục {numbered.group('item')}"
    else:
        return [Outgoing(USAGE)]
    found = [
        (task, directive) for task, directive in found if _in_scope(turn, directive.owner_unit_id)
    ]
    if len(found) != 1:
        return [Outgoing(f"Không tìm thấy «{reference}» trong phạm vi anh/chị phụ trách.\n{USAGE}")]
    task, directive = found[0]
    label = task_label(directive, task)
    if rest.strip().casefold() in REMOVE:
        set_indicator(turn.session, task=task, name=None, unit=None)
        _refresh_reminders(turn, task)
        log.info("indicator removed from task %s", task.id)
        return [Outgoing(f"Đã bỏ chỉ tiêu của {label}.")]
    name, _, unit = (part.strip() for part in rest.partition("|"))
    if not name or len(name) > MAX_NAME or len(unit) > MAX_UNIT:
        return [
            Outgoing(
                f"Tên chỉ tiêu (tối đa {MAX_NAME} ký tự) hoặc đơn vị tính (tối đa {MAX_UNIT}) "
                f"chưa đúng.\n{USAGE}"
            )
        ]
    set_indicator(turn.session, task=task, name=name, unit=unit or None)
    _refresh_reminders(turn, task)
    log.info("indicator set on task %s", task.id)
    shown = f"{name} ({unit})" if unit else name
    return [
        Outgoing(
            f"Đã đặt chỉ tiêu cho {label}: {shown}.\n"
            "Các lời nhắc sẽ hỏi con số này; chủ tịch báo kèm số, ví dụ «đạt 12», "
            "và /tonghop cộng số liệu mới nhất của từng đơn vị."
        )
    ]


def _refresh_reminders(turn: Turn, task: Task) -> None:
    assert task.id is not None
    rewrite_pending_reminders(
        turn.session, task_id=task.id, line=indicator_request(task) or "", marker=INDICATOR_MARK
    )


def _in_scope(turn: Turn, unit_id: int) -> bool:
    standing = turn.standing
    if standing is None:
        return False
    return standing.is_admin or units.is_within(
        turn.session, unit_id=unit_id, root_ids=standing.officer_unit_ids
    )
