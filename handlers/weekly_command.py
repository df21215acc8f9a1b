"""`/tuantong`: the weekly summary on demand (text, chart, workbook), and turning its weekly
push off and on.

    /tuantong        this week's summary of the officer's branch, now, with its files
    /tuantong tat    no more weekly push (also `tắt`, `off`)
    /tuantong bat    the weekly push again (also `bật`, `on`)

The summary itself is not rendered here: the turn writes a request and answers at once,
and the weekly process renders it and sends it through the outbox
(`schedules.summary_on_demand`). A province's workbook takes seconds, and on SQLite the one
handler process would make everyone else wait for it.
"""

from __future__ import annotations

from handlers.context import Turn
from handlers.messages import Outgoing
from schedules.calendar import WorkingCalendar
from schedules.folding import fold
from storage import branch_facts, summary_requests, weekly_summary

USAGE = "Cách dùng: /tuantong (xem bản tin tuần ngay) · /tuantong tat (tắt) · /tuantong bat (bật)"
NO_BRANCH = "Anh/chị chưa được phân công phụ trách đơn vị nào."
TURNED_OFF = (
    "Đã tắt bản tin tổng hợp hằng tuần. Anh/chị vẫn xem được lúc nào cũng được bằng "
    "/tuantong; bật lại: /tuantong bat"
)
TURNED_ON = (
    "Đã bật bản tin tổng hợp hằng tuần: anh/chị sẽ nhận nội dung, biểu đồ và bảng Excel "
    "vào đầu tuần. Tắt: /tuantong tat"
)
OFF_WORDS = frozenset({"tat", "off", "ngung", "dung"})
ON_WORDS = frozenset({"bat", "on", "mo"})
PREPARING = (
    "⏳ Đang lập bảng tổng hợp… Nội dung, biểu đồ và tệp Excel sẽ gửi tới anh/chị ngay khi xong."
)
STILL_PREPARING = "Bảng tổng hợp anh/chị yêu cầu đang được lập, xin chờ trong giây lát."
AT_NIGHT = "Ban đêm bot không gửi tin: bảng tổng hợp sẽ đến vào buổi sáng."


def on_weekly(turn: Turn, argument: str) -> list[Outgoing]:
    """`/tuantong [tat|bat]`: the summary now, or the weekly push off or on."""
    assert turn.person is not None and turn.person.id is not None  # Access.OFFICER
    person_id = turn.person.id
    word = fold(" ".join(argument.split())).strip()
    if word in OFF_WORDS or word in ON_WORDS:
        weekly_summary.set_weekly_summary(turn.session, person_id=person_id, on=word in ON_WORDS)
        return [Outgoing(TURNED_ON if word in ON_WORDS else TURNED_OFF)]
    if word:
        return [Outgoing(f"Không hiểu «{argument.strip()[:40]}». {USAGE}")]
    roots = _roots(turn)
    if not roots:
        return [Outgoing(NO_BRANCH)]
    assert turn.account.id is not None
    asked = summary_requests.request_summary(
        turn.session,
        person_id=person_id,
        account_id=turn.account.id,
        unit_ids=roots,
        now=turn.now,
    )
    if asked is None:
        return [Outgoing(STILL_PREPARING)]
    turn.summary_requested()
    answer = PREPARING  # on Zalo too: the chart by its address, the workbook as a link
    calendar = turn.services.calendar or WorkingCalendar(tz=turn.zone)
    if calendar.is_quiet(turn.now):  # the outbox sends nothing at night
        answer = f"{answer}\n{AT_NIGHT}"
    return [Outgoing(answer)]


def _roots(turn: Turn) -> list[int]:
    """The officer's branches; an administrator without one sees every tree."""
    standing = turn.standing
    if standing is None:
        return []
    if standing.officer_unit_ids:
        return list(dict.fromkeys(standing.officer_unit_ids))
    return branch_facts.top_unit_ids(turn.session) if standing.is_admin else []
