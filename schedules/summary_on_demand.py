"""`/tuantong` on demand: the summaries officers asked for, rendered where the weekly push is
rendered (the weekly process, `bot/weekly_process.py`) and sent through the outbox.

The handler only writes the request and answers at once; a province's chart and workbook
take seconds, and in a handler process (one, on SQLite) they would hold every other
person's turn. The request is a row, so a restart loses none: the next weekly pass renders
what is left. Its messages are keyed `summary-now:{request}` (the text), `…:1` (the chart)
and `…:2` (the workbook), so a request rendered twice is sent once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.weekly_push import WeeklyMessage, planned_messages, summary_messages
from storage import weekly_summary
from storage.engine import Database
from storage.outbox import enqueue
from storage.summary_requests import ClaimedRequest, claim_requests, finish_request

log = logging.getLogger(__name__)

KEY = "summary-now"
# A renderer that died leaves its requests to the next pass after this long.
LEASE = timedelta(minutes=10)
FOOTER_ON = "Bản tin này gửi mỗi tuần. Tắt: /tuantong tat"
FOOTER_OFF = "Bản tin tuần đang tắt. Bật lại: /tuantong bat"
NOTHING = "Không có số liệu nào để tổng hợp trong phạm vi anh/chị phụ trách."
FAILED = "Xin lỗi, chưa lập được bảng tổng hợp. Anh/chị thử lại sau ít phút: /tuantong"


def deliver_requested(db: Database, *, now: datetime, zone: ZoneInfo) -> int:
    """Render every waiting request and put its messages in the outbox, due `now`; the rows
    inserted. Each request is claimed, rendered without holding a write transaction, then
    planned and finished in one; a request that fails to render gets a short apology, so
    the officer told it was coming is never left waiting in silence."""
    with db.session() as session:
        claimed = claim_requests(session, now=now, lease=LEASE)
    inserted = 0
    for request in claimed:
        try:
            with db.session() as session:
                messages = _messages(session, request, zone)
        except Exception:
            log.exception("rendering the summary request %s failed", request.id)
            messages = [WeeklyMessage(FAILED)]
        planned = planned_messages(
            messages, key=f"{KEY}:{request.id}", account_id=request.account_id, due_at=now
        )
        with db.session() as session:
            inserted += enqueue(session, messages=planned, now=now)
            finish_request(session, request_id=request.id, now=now)
    return inserted


def _messages(session: Session, request: ClaimedRequest, zone: ZoneInfo) -> list[WeeklyMessage]:
    """The summary as of when it was asked, with its chart and workbook (on Zalo the photo
    by its address and the workbook as a link: `bot.zalo_files`)."""
    on = weekly_summary.weekly_summary_on(session, person_id=request.person_id)
    messages = summary_messages(
        session,
        root_ids=request.unit_ids,
        now=request.requested_at,
        zone=zone,
        footer=FOOTER_ON if on else FOOTER_OFF,
    )
    return messages or [WeeklyMessage(NOTHING)]
