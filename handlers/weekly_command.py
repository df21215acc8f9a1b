"""`/tuantong`: the weekly summary on demand (text, chart, workbook), and turning its weekly
push off and on.

    /tuantong        this week's summary of the officer's branch, now, with its files
    /tuantong tat    no more weekly push (also `tắt`, `off`)
    /tuantong bat    the weekly push again (also `bật`, `on`)

The handler process renders the chart and the workbook: it already runs off the bot's
event loop.
"""

from __future__ import annotations

from handlers.context import Turn
from handlers.messages import Outgoing
from schedules.folding import fold
from schedules.weekly_push import summary_messages
from storage import branch_facts, weekly_summary

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
FOOTER_ON = "Bản tin này gửi mỗi tuần. Tắt: /tuantong tat"
FOOTER_OFF = "Bản tin tuần đang tắt. Bật lại: /tuantong bat"


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
    on = weekly_summary.weekly_summary_on(turn.session, person_id=person_id)
    messages = summary_messages(
        turn.session,
        root_ids=roots,
        now=turn.now,
        zone=turn.zone,
        footer=FOOTER_ON if on else FOOTER_OFF,
    )  # on Zalo too: the chart by its address, the workbook as a link (bot.zalo_files)
    return [Outgoing(message.text, file=message.file) for message in messages]


def _roots(turn: Turn) -> list[int]:
    """The officer's branches; an administrator without one sees every tree."""
    standing = turn.standing
    if standing is None:
        return []
    if standing.officer_unit_ids:
        return list(dict.fromkeys(standing.officer_unit_ids))
    return branch_facts.top_unit_ids(turn.session) if standing.is_admin else []
