"""Reporting up in one step (`/baocaolen SỐ [xong]`): the officer of a unit that passed a
task down reports their unit's assignment with the children's figures attached — «8/12 CĐCS
xong», and the sum of the figures they reported for the task's indicator. The report is an
ordinary reply on the unit's assignment (stored by `handlers.progress.store_reply`), so the
level above reads it in `/tonghop` and the weekly summary beside the children's progress.
`/baocaolen LDLD-TU SỐ` reports for a unit named first, numbered as `/giaoxuong LDLD-TU`
(`handlers.reports_list.task_list`).
"""

from __future__ import annotations

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.progress import PendingReply, store_reply
from handlers.reply_grammar import ReplyReading, ReplyStatus
from handlers.reports_list import pick, task_list
from schedules.folding import fold
from schedules.wording import format_number, task_label
from storage import pass_down, units
from storage.directives import AssignmentView
from storage.pass_down import ChildrenProgress

USAGE = (
    "Cách dùng: /baocaolen [ĐƠN_VỊ] SỐ [xong]\n"
    "SỐ là số thứ tự của việc trong danh sách /giaoxuong (hoặc /giaoxuong ĐƠN_VỊ cho việc "
    "của đơn vị đó); thêm «xong» để báo đơn vị đã hoàn thành dù còn đơn vị trực thuộc chưa "
    "xong.\nVí dụ: /baocaolen 1; /baocaolen LDLD-TU 1"
)
NOTHING = "Đơn vị anh/chị phụ trách hiện không có việc nào đang chờ báo cáo lên."
NOTHING_AT = "{unit} hiện không có việc nào đang chờ báo cáo lên."
NOT_PASSED = (
    "{task} chưa được giao xuống đơn vị nào, nên chưa có số liệu để tổng hợp. Anh/chị báo "
    "cáo như thường («xong», «đang làm 60%»), hoặc giao xuống trước: /giaoxuong{ref} {number}."
)
DONE_WORDS = frozenset({"xong", "da xong", "hoan thanh"})


def on_command(turn: Turn, argument: str) -> list[Outgoing]:
    """`/baocaolen [ĐƠN_VỊ] SỐ [xong]`: the unit's report, with the children's figures, in
    one step."""
    listed, problem = task_list(turn, argument, "baocaolen")
    if listed is None:
        return [Outgoing(problem)]
    views, words, ref = listed.views, listed.words, listed.unit_ref
    if not views:
        unit = listed.unit
        return [Outgoing(NOTHING if unit is None else NOTHING_AT.format(unit=unit.name))]
    if not words:
        return [Outgoing(USAGE)]
    view = pick(views, words[0])
    if view is None:
        return [
            Outgoing(
                f"Không có việc số «{words[0][:20]}» trong danh sách /giaoxuong{ref}.\n{USAGE}"
            )
        ]
    rest = " ".join(fold(" ".join(words[1:])).split())
    if rest and rest not in DONE_WORDS:
        return [Outgoing(f"Chưa hiểu «{' '.join(words[1:])[:40]}».\n{USAGE}")]
    assert view.assignment.id is not None
    children = pass_down.children_progress(turn.session, parent_ids=[view.assignment.id]).get(
        view.assignment.id
    )
    number = views.index(view) + 1
    if children is None:
        return [
            Outgoing(
                NOT_PASSED.format(
                    task=task_label(view.directive, view.task), ref=ref, number=number
                )
            )
        ]
    level = _children_level(turn, view)
    note = _figures_note(view, children, level)
    if rest or children.done == children.total:
        reading = ReplyReading(status=ReplyStatus.DONE, number=_number(view, children), note=note)
    else:
        percent = children.done * 100 // children.total or None
        reading = ReplyReading(
            status=ReplyStatus.IN_PROGRESS,
            percent=percent,
            number=_number(view, children),
            note=note,
        )
    raw = (turn.incoming.text or f"/baocaolen {argument}").strip()
    return [store_reply(turn, view, PendingReply(raw, reading))]


def children_line(children: ChildrenProgress, level: str = "đơn vị") -> str:
    """«8/12 CĐCS xong»: how the units below did, in the words both levels read."""
    return f"{format_number(children.done)}/{format_number(children.total)} {level} xong"


def _figures_note(view: AssignmentView, children: ChildrenProgress, level: str) -> str:
    note = f"Báo cáo lên: {children_line(children, level)}"
    if view.task.indicator_name and children.indicator_reported:
        unit = f" {view.task.indicator_unit}" if view.task.indicator_unit else ""
        note += (
            f"; {view.task.indicator_name}: {format_number(children.indicator_sum)}{unit} "
            f"({children.indicator_reported} đơn vị báo số)"
        )
    return note


def _number(view: AssignmentView, children: ChildrenProgress) -> int | None:
    if view.task.indicator_name and children.indicator_reported:
        return children.indicator_sum
    return None


def _children_level(turn: Turn, view: AssignmentView) -> str:
    """The level of the units below when they share one («CĐCS»), else «đơn vị»."""
    assert view.assignment.id is not None
    unit_ids = pass_down.child_unit_ids(turn.session, parent_assignment_id=view.assignment.id)
    levels = {unit.level.strip() for unit in units.units_by_ids(turn.session, unit_ids=unit_ids)}
    return levels.pop() if len(levels) == 1 and "" not in levels else "đơn vị"
