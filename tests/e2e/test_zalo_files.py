"""An officer on Zalo gets the weekly summary's files over the wire: the bot publishes the
chart and the workbook at expiring addresses it serves itself, the sandbox's Zalo `sendPhoto`
fetches the chart from there as Zalo's servers would, and the workbook's link downloads the
Excel file. Without a public address the officer is told where to get the files."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from tests.conftest import VN, bot_settings
from tests.factories import ZaloPerson, gives_task, write_roster

pytestmark = pytest.mark.e2e

MONDAY_MORNING = datetime(2026, 11, 23, 7, 31, tzinfo=VN)
LINK = re.compile(r"Tải tệp «Tổng hợp tuần 48\.xlsx» \(hết hạn sau 24 giờ\): (\S+)$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def zalo_officer(
    sandbox: SandboxServer,
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> ZaloPerson:
    """The district's officer, registered on Zalo with an officer's invite code, who gives a
    task to the branch."""
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    capsys.readouterr()
    assert main(["invite", "--unit", "LDLD-TU", "--role", "officer"]) == 0
    code = capsys.readouterr().out.split()[0]
    officer = ZaloPerson(sandbox, "0ff1ce2d4e5f6071", "Phạm Văn Đức")
    assert "LĐLĐ huyện Tam Đường" in ((await officer.say(f"MA {code}")).text or "")
    given = (await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")).text
    assert "Việc số 1" in (given or "")
    return officer


@pytest.fixture
async def files_bot(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    """Zalo polling the sandbox, with a public address where the bot serves its files."""
    port = free_port()
    settings = bot_settings(database_url, sandbox, telegram=False, zalo=True).model_copy(
        update={"public_url": f"http://127.0.0.1:{port}", "webhook_listen": f"127.0.0.1:{port}"}
    )
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as runtime:
        yield runtime


async def test_a_zalo_officer_gets_the_chart_as_a_photo_and_the_workbook_as_a_link(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files_bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
) -> None:
    assert files_bot.mode.startswith("long polling, files at http://127.0.0.1:")
    officer = await zalo_officer(sandbox, tmp_path, database_url, monkeypatch, capsys)

    # The weekly push, through the outbox and the Zalo sender.
    clock.set(MONDAY_MORNING)
    assert await files_bot.plan_weekly_now() == 3  # text, chart, workbook
    before = len(officer.inbox())
    assert (await files_bot.dispatch_now()).sent == 3
    sent = await sandbox.state.zalo.wait_for_sent(officer.user_id, before + 3, timeout=180)
    text, photo, book = sent[before:]
    assert (text.method, photo.method, book.method) == ("sendMessage", "sendPhoto", "sendMessage")
    assert (text.text or "").startswith("📊 Tổng hợp tuần 48 — LĐLĐ huyện Tam Đường")
    assert (photo.text or "").startswith("📊 Biểu đồ tổng hợp — LĐLĐ huyện Tam Đường")
    assert photo.photo is not None  # fetched by the sandbox from the bot's own server
    assert Image.open(io.BytesIO(photo.photo)).format == "PNG"
    link = LINK.search(book.text or "")
    assert link is not None, book.text
    async with httpx.AsyncClient() as client:
        download = await client.get(link.group(1))
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == ["Tổng hợp", "Việc số 1"]

    # /tuantong on demand: answered at once, then the same three, rendered off the turn.
    before = len(officer.inbox())
    sandbox.state.zalo.inject_text(officer.user_id, "/tuantong")
    sent = await sandbox.state.zalo.wait_for_sent(officer.user_id, before + 1, timeout=180)
    assert (sent[before].text or "").startswith("⏳ Đang lập bảng tổng hợp")
    await files_bot.summaries_rendered()
    assert (await files_bot.dispatch_now()).sent == 3
    sent = await sandbox.state.zalo.wait_for_sent(officer.user_id, before + 4, timeout=180)
    after = sent[before + 1 :]
    assert [m.method for m in after] == ["sendMessage", "sendPhoto", "sendMessage"]
    assert after[1].photo is not None
    assert LINK.search(after[2].text or "") is not None


async def test_without_a_public_address_the_officer_is_told_where_to_get_the_files(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sandbox: SandboxServer,
    clock: ManualClock,
) -> None:
    settings = bot_settings(database_url, sandbox, telegram=False, zalo=True)
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as runtime:
        officer = await zalo_officer(sandbox, tmp_path, database_url, monkeypatch, capsys)
        before = len(officer.inbox())
        sandbox.state.zalo.inject_text(officer.user_id, "/tuantong")
        await sandbox.state.zalo.wait_for_sent(officer.user_id, before + 1, timeout=180)
        await runtime.summaries_rendered()
        await runtime.dispatch_now()
        sent = await sandbox.state.zalo.wait_for_sent(officer.user_id, before + 4, timeout=180)
    text, chart, book = (m.text or "" for m in sent[before + 1 :])
    assert text.startswith("📊 Tổng hợp tuần 47 — LĐLĐ huyện Tam Đường")
    assert all(m.method == "sendMessage" for m in sent[before:])
    assert "Tệp «tong-hop-tuan-47.png» không gửi được qua Zalo từ máy chủ này" in chart
    assert "Tệp «Tổng hợp tuần 47.xlsx» không gửi được qua Zalo từ máy chủ này" in book
