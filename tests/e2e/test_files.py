"""Files cross the wire: outbox rows and direct answers carrying the weekly chart (a photo)
or the workbook (a document) reach the chat through the real PTB application, their bytes
intact, the text as the caption when it fits and as a message of its own before it when not.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.runtime import BotRuntime
from bot.sandbox import Fault, SandboxServer
from bot.telegram_files import CAPTION_LIMIT
from handlers.messages import FileKind, Incoming, Outgoing, OutgoingFile
from handlers.router import Handled
from schedules.clock import ManualClock
from schedules.status import Status
from schedules.summary_chart import ChartBar, SummaryChart, chart_size, render_chart
from schedules.summary_workbook import SummaryWorkbook, UnitLine, render_workbook
from storage import outbox
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage, OutboxState
from tests.conftest import VN, bot_settings
from tests.factories import Person

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def chart_file() -> OutgoingFile:
    bars = [
        ChartBar(f"CV 490/LĐLĐ, mục {n}", {Status.DONE_ON_TIME: n, Status.OVERDUE: 2})
        for n in range(1, 4)
    ]
    png = render_chart(SummaryChart("Tổng hợp tuần 47/2026", "LĐLĐ huyện Hương Sơn", bars))
    return OutgoingFile(FileKind.PHOTO, "tong-hop-tuan-47.png", "image/png", png)


def workbook_file() -> OutgoingFile:
    book = SummaryWorkbook(
        title="Tổng hợp tình hình thực hiện nhiệm vụ",
        branch="LĐLĐ huyện Hương Sơn",
        as_of=AS_OF,
        zone=VN,
        units=[UnitLine("CĐCS Trường THCS Sơn Tây", {Status.DONE_ON_TIME: 3})],
    )
    return OutgoingFile(FileKind.DOCUMENT, "Tổng hợp tuần 47.xlsx", XLSX, render_workbook(book))


def opens_as_chart(content: bytes, bars: int) -> bool:
    image = Image.open(io.BytesIO(content))
    return image.format == "PNG" and image.size == chart_size(bars)


def first_cell_of_workbook(content: bytes) -> str:
    return str(load_workbook(io.BytesIO(content)).worksheets[0]["A1"].value)


async def account_of(person: Person, db: Database) -> int:
    await person.say("/trogiup")  # the chat exists and the bot knows the account
    with db.session() as session:
        found = session.scalars(
            select(ChannelAccount.id).where(ChannelAccount.chat_id == str(person.user_id))
        ).one()
    assert found is not None
    return found


def plan(db: Database, account_id: int, key: str, text: str, file: OutgoingFile) -> None:
    with db.session() as session:
        outbox.enqueue(
            session,
            messages=[
                outbox.PlannedMessage(
                    key=key,
                    account_id=account_id,
                    kind="summary",
                    text=text,
                    due_at=AS_OF,
                    file=file,
                    choices=[[{"label": "Đã nhận", "data": "ack:1"}]],
                )
            ],
            now=AS_OF,
        )


def row_state(db: Database, key: str) -> str:
    with db.session() as session:
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()
        return row.state


async def test_outbox_rows_send_the_chart_as_a_photo_and_the_workbook_as_a_document(
    bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    officer = Person(sandbox, 300, "Phạm Văn Đức")
    account_id = await account_of(officer, db)
    before = len(officer.inbox())
    chart, workbook = chart_file(), workbook_file()
    plan(db, account_id, "summary:1:2026-W47:chart", "📊 Tổng hợp tuần 47/2026", chart)
    plan(db, account_id, "summary:1:2026-W47:xlsx", "Bảng tổng hợp tuần 47", workbook)

    report = await bot.dispatch_now()

    assert report.sent == 2
    photo, document = officer.inbox()[before:]
    assert (photo.method, photo.caption, photo.file_name) == (
        "sendPhoto",
        "📊 Tổng hợp tuần 47/2026",
        "tong-hop-tuan-47.png",
    )
    assert photo.document == chart.content and opens_as_chart(photo.document, 3)
    assert photo.buttons == [[{"text": "Đã nhận", "callback_data": "ack:1"}]]
    assert (document.method, document.caption, document.file_name, document.mime_type) == (
        "sendDocument",
        "Bảng tổng hợp tuần 47",
        "Tổng hợp tuần 47.xlsx",
        XLSX,
    )
    assert document.document == workbook.content
    assert first_cell_of_workbook(document.document) == "Tổng hợp tình hình thực hiện nhiệm vụ"
    assert (await bot.dispatch_now()).claimed == 0  # sent once


async def test_a_text_too_long_for_a_caption_goes_first_and_the_file_after_it(
    bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    officer = Person(sandbox, 301, "Lê Thị Hà")
    account_id = await account_of(officer, db)
    before = len(officer.inbox())
    text = "Tổng hợp tuần 47: " + "đơn vị chưa báo cáo; " * 60
    assert len(text) > CAPTION_LIMIT
    # the file itself meets a 429 once: it waits in place, the text is not sent again
    sandbox.state.add_fault(Fault(status=429, method="sendDocument", count=1, retry_after=1))
    plan(db, account_id, "summary:2:2026-W47:xlsx", text, workbook_file())

    assert (await bot.dispatch_now()).sent == 1

    message, document = officer.inbox()[before:]
    assert (message.method, message.text, message.buttons) == ("sendMessage", text, [])
    assert (document.method, document.caption) == ("sendDocument", None)
    assert document.buttons == [[{"text": "Đã nhận", "callback_data": "ack:1"}]]
    assert row_state(db, "summary:2:2026-W47:xlsx") == OutboxState.SENT


async def test_a_file_over_telegrams_limit_fails_for_good_and_nothing_is_sent(
    bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    officer = Person(sandbox, 302, "Trần Văn Nam")
    account_id = await account_of(officer, db)
    before = len(officer.inbox())
    huge = OutgoingFile(FileKind.PHOTO, "to.png", "image/png", b"\x89PNG" + bytes(10 << 20))
    plan(db, account_id, "summary:3:2026-W47:chart", "Biểu đồ", huge)

    assert (await bot.dispatch_now()).failed == 1

    assert officer.inbox()[before:] == []
    assert row_state(db, "summary:3:2026-W47:chart") == OutboxState.FAILED


@pytest.fixture
async def bot_answering_with_files(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    """The real bot whose router adds the chart and the workbook to every answer (no
    handler answers with a file yet: the weekly summary will)."""
    runtime = BotRuntime(bot_settings(database_url, sandbox), clock=clock, dispatch_interval=None)
    real = runtime._handle

    async def with_files(incoming: Incoming, arrived: datetime) -> Handled:
        handled = await real(incoming, arrived)
        files = [
            Outgoing("Biểu đồ tuần này", file=chart_file()),
            Outgoing("Bảng tổng hợp", file=workbook_file()),
        ]
        return Handled(answers=[*handled.answers, *files])

    runtime._handle = with_files  # type: ignore[method-assign]
    async with runtime:
        yield runtime


async def test_a_direct_answer_carries_a_photo_and_a_document(
    bot_answering_with_files: BotRuntime, sandbox: SandboxServer
) -> None:
    officer = Person(sandbox, 303, "Phạm Văn Đức")
    before = len(officer.inbox())
    sandbox.state.inject_text(officer.user_id, "/trogiup", first_name=officer.name)
    messages = await sandbox.state.wait_for_sent(officer.user_id, before + 3, timeout=180)

    text, photo, document = messages[before:]
    assert text.method == "sendMessage" and "/start" in (text.text or "")
    assert (photo.method, photo.caption) == ("sendPhoto", "Biểu đồ tuần này")
    assert photo.document is not None and opens_as_chart(photo.document, 3)
    assert (document.method, document.caption) == ("sendDocument", "Bảng tổng hợp")
    assert document.document is not None
    assert first_cell_of_workbook(document.document) == "Tổng hợp tình hình thực hiện nhiệm vụ"
