"""The demo: the real bot against the local sandbox on a temporary SQLite file, playing the
whole thin path with simulated people and printing the conversation as they would see it."""

from __future__ import annotations

import asyncio
import io
import socket
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.demo_admin_pass import admin_pass_scene
from bot.demo_approvals import approval_scene
from bot.demo_pass_down import pass_down_scene
from bot.demo_reading import pasted_ocr_scene, reading_scene
from bot.demo_scans import scan_scene
from bot.demo_task_changes import task_changes_scene
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer, SentMessage
from bot.settings import Settings
from schedules.clock import ManualClock
from schedules.roster_sheet import RosterSheet, read_roster
from schedules.roster_sheet.plan import plan_roster
from schedules.roster_sheet.plan_text import refusal_lines
from storage.engine import Database
from storage.migrate import upgrade
from storage.roster import apply_roster
from storage.roster_state import load_roster_state

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_TOKEN = "100000:DEMO"  # noqa: S105 (the sandbox accepts any token)
DEMO_ZALO_TOKEN = "200000:DEMO-ZALO"  # noqa: S105

ROSTER = """\
ma_don_vi,ten_don_vi,ma_cap_tren,cap,chu_tich,dien_thoai,can_bo,dien_thoai_can_bo,vai_tro
LDLD-LC,LĐLĐ tỉnh Lai Châu,,LĐLĐ tỉnh,,,,,
LDLD-TU,LĐLĐ huyện Tam Đường,LDLD-LC,LĐLĐ huyện,,,Phạm Văn Đức,0912000003,cán bộ
CDCS-01,CĐCS Trường THCS Bình Lư,LDLD-TU,CĐCS,Nguyễn Văn An,0912000011,,,
CDCS-02,CĐCS Trạm Y tế Sơn Bình,LDLD-TU,CĐCS,Lê Thị Bình,0912000012,,,
CDCS-03,CĐCS Công ty Chè Tam Đường,LDLD-TU,CĐCS,Vàng A Chư,0912000013,,,
"""

Print = Callable[[str], None]


class Actor:
    """A simulated person on the sandbox; prints what they send and what the bot answers."""

    def __init__(self, server: SandboxServer, user_id: int, name: str, out: Print) -> None:
        self.server, self.user_id, self.name, self.out = server, user_id, name, out

    async def say(self, text: str) -> str:
        self.out(f"\n👤 {self.name}: {text}")
        before = len(self.server.state.sent(self.user_id))
        self.server.state.inject_text(self.user_id, text, first_name=self.name)
        return await self._answer(before)

    async def send_photo(self, content: bytes, caption: str) -> str:
        self.out(f"\n👤 {self.name}: [ảnh {len(content) // 1024} KB] {caption}")
        before = len(self.server.state.sent(self.user_id))
        self.server.state.inject_photo(self.user_id, content, caption=caption)
        return await self._answer(before)

    async def share_phone(self, phone: str) -> str:
        self.out(f"\n👤 {self.name}: [chia sẻ số điện thoại {phone}]")
        before = len(self.server.state.sent(self.user_id))
        self.server.state.inject_contact(self.user_id, phone, first_name=self.name)
        return await self._answer(before)

    async def press(self, message: SentMessage, label: str) -> SentMessage:
        """Tap the button of `message` whose label starts with `label`."""
        self.out(f"\n👤 {self.name}: [bấm nút {label}]")
        data = next(
            button["callback_data"]
            for row in message.buttons
            for button in row
            if button["text"].startswith(label)
        )
        before = len(self.server.state.sent(self.user_id))
        self.server.state.inject_button(self.user_id, message.message_id, data)
        answer = (await self.server.state.wait_for_sent(self.user_id, before + 1))[before]
        self.show(answer)
        return answer

    async def _answer(self, before: int) -> str:
        message = (await self.server.state.wait_for_sent(self.user_id, before + 1))[before]
        self.show(message)
        return message.text or ""

    def show(self, message: SentMessage) -> None:
        self.out(f"🤖 → {self.name}:")
        if message.document is not None:  # a photo or a document, its caption below
            kind = "ảnh" if message.method == "sendPhoto" else "tệp"
            self.out(f"   [{kind} {message.file_name or ''} {len(message.document) // 1024} KB]")
        for line in (message.text or message.caption or "").splitlines():
            self.out(f"   {line}")
        for row in message.buttons:
            self.out("   " + " ".join(f"[{button['text']}]" for button in row))
        if message.request_contact:
            self.out("   [nút: 📱 Chia sẻ số điện thoại]")


class ZaloActor:
    """A simulated person on Zalo: text only, so choices come as numbered lists."""

    def __init__(self, server: SandboxServer, user_id: str, name: str, out: Print) -> None:
        self.server, self.user_id, self.name, self.out = server, user_id, name, out

    async def say(self, text: str) -> str:
        self.out(f"\n👤 {self.name} (Zalo): {text}")
        before = len(self.server.state.zalo.sent(self.user_id))
        self.server.state.zalo.inject_text(self.user_id, text, display_name=self.name)
        message = (await self.server.state.zalo.wait_for_sent(self.user_id, before + 1))[before]
        self.show(message.text or "")
        return message.text or ""

    def show(self, text: str) -> None:
        self.out(f"🤖 → {self.name} (Zalo):")
        for line in text.splitlines():
            self.out(f"   {line}")


async def play(out: Print = print, files: Path | None = None) -> None:
    """Run the whole story; raises if the bot does not behave as the story expects. The
    weekly summary's chart and workbook are written into `files` (a new folder by default)."""
    files = files or Path(tempfile.mkdtemp(prefix="nhacviec-demo-tong-hop-"))
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'demo.db'}"
        roster = Path(folder) / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        clock = ManualClock(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
        one_row = _load_roster(database_url, roster, clock)
        out("Nhắc việc — demo trên sandbox (không cần token, dữ liệu SQLite tạm)")
        out(f"Danh sách đơn vị: 1 LĐLĐ tỉnh, 1 LĐLĐ huyện, 3 CĐCS. Đồng hồ: {_at(clock)}")
        out(f"Nhập lại nhầm tệp chỉ có 1 dòng → {one_row}")
        server = SandboxServer()
        await server.start()
        try:
            files_at = f"127.0.0.1:{_free_port()}"  # where Zalo (the sandbox) fetches files
            settings = Settings(
                _env_file=None,
                database_url=database_url,
                public_url=f"http://{files_at}",
                webhook_listen=files_at,
                telegram_token=DEMO_TOKEN,
                telegram_api_url=server.url,
                zalo_token=DEMO_ZALO_TOKEN,
                zalo_api_url=server.zalo_base_url,
            )
            async with BotRuntime(
                settings, clock=clock, dispatch_interval=None, per_chat_interval=0
            ) as bot:
                await _story(server, bot, clock, out)
                await reading_scene(
                    Actor(server, 100, "Phạm Văn Đức (cán bộ LĐLĐ huyện)", out), out
                )
                await pasted_ocr_scene(
                    Actor(server, 100, "Phạm Văn Đức (cán bộ LĐLĐ huyện)", out), out
                )
                await _weekly_scene(server, bot, clock, out, files)
        finally:
            await server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _story(server: SandboxServer, bot: BotRuntime, clock: ManualClock, out: Print) -> None:
    officer = Actor(server, 100, "Phạm Văn Đức (cán bộ LĐLĐ huyện)", out)
    an = Actor(server, 201, "Nguyễn Văn An (chủ tịch CĐCS)", out)
    binh = Actor(server, 202, "Lê Thị Bình (chủ tịch CĐCS)", out)
    chu = ZaloActor(server, "7f3a9c0d2e", "Vàng A Chư (chủ tịch CĐCS)", out)

    await officer.say("/start")
    await officer.share_phone("0912 000 003")
    await approval_scene(bot, officer, Actor(server, 301, "Hoàng Văn Mới (người mới)", out))
    codes = []
    for unit in ("CDCS-01", "CDCS-02", "CDCS-03"):
        text = await officer.say(f"/moi {unit}")
        codes.append(text.split(": ", 1)[1].split()[0])
    await an.say(f"/start {codes[0]}")
    await binh.say(f"/start {codes[1]}")
    await chu.say(f"MA {codes[2]}")  # Zalo: no link, no contact button: the code typed
    await officer.say("/giaoviec 10/12/2206 Nộp báo cáo")  # a typo in the year: refused
    await officer.say("/giaoviec 10/12/2026 Nộp báo cáo tổng kết công tác công đoàn năm 2026")
    await officer.press(server.state.sent(officer.user_id)[-1], "✅ Giao việc")

    clock.set(datetime(2026, 12, 9, 7, 30, tzinfo=VN))
    out(f"\n⏩ Đồng hồ chuyển tới {_at(clock)}: đến giờ nhắc việc")
    before = {actor: len(server.state.sent(actor.user_id)) for actor in (an, binh)}
    zalo_before = len(server.state.zalo.sent(chu.user_id))
    await bot.plan_now()
    report = await bot.dispatch_now()
    for zalo_message in server.state.zalo.sent(chu.user_id)[zalo_before:]:
        chu.show(zalo_message.text or "")
    reminders = {}
    for actor in (an, binh):
        for message in server.state.sent(actor.user_id)[before[actor] :]:
            actor.show(message)
            reminders[actor] = message
    if report.sent != 3:
        raise RuntimeError(f"expected 3 reminders, the dispatcher sent {report.sent}")

    clock.advance(timedelta(hours=1, minutes=44))
    await an.say("dạ em báo cáo xong rồi ạ")
    await an.say("cảm ơn ạ")  # a courtesy (issue 15): thanked back, nothing stored
    percents = await binh.press(reminders[binh], "⏳")
    await binh.press(percents, "50%")
    await chu.say("2")  # «⏳ Đang làm», by its number
    await chu.say("60")
    clock.advance(timedelta(hours=2))
    out(f"\n⏩ Đồng hồ: {_at(clock)}")
    summary = await officer.say("/tonghop")
    if "Hoàn thành 1/3 đơn vị" not in summary or "50%" not in summary or "60%" not in summary:
        raise RuntimeError("the summary does not show the chair's reply")
    await _broadcast_scene(server, bot, clock, officer, [an, binh], chu, out)
    await task_changes_scene(server, bot, clock, officer, [an, binh], chu, out)
    await scan_scene(officer, out)  # bot/demo_scans.py: a phone photo of a letter, read by OCR
    await pass_down_scene(server, bot, clock, officer, [an, binh], out)
    await admin_pass_scene(server, bot, clock, out)  # bot/demo_admin_pass.py


async def _broadcast_scene(
    server: SandboxServer,
    bot: BotRuntime,
    clock: ManualClock,
    officer: Actor,
    chairs: list[Actor],
    zalo_chair: ZaloActor,
    out: Print,
) -> None:
    """A notice with a photo to the whole district: the chairs get it (on Zalo the photo by
    the address the bot publishes it at, to answer «1»), one taps ✅ Đã nhận, the Zalo chair
    answers 1, and the officer gets the delivery report."""
    out("\n📢 Cán bộ gửi thông báo kèm ảnh sơ đồ hội trường tới cả huyện")
    await officer.send_photo(
        _hall_plan(), "/thongbao Hội nghị tổng kết năm 2026 họp lúc 8h ngày 15/12."
    )
    preview = await officer.press(server.state.sent(officer.user_id)[-1], "Mọi đơn vị")
    await officer.press(preview, "✅ Gửi")
    before = {actor: len(server.state.sent(actor.user_id)) for actor in (officer, *chairs)}
    zalo_before = len(server.state.zalo.sent(zalo_chair.user_id))
    await bot.dispatch_now()
    notices = {}
    for actor in chairs:
        for message in server.state.sent(actor.user_id)[before[actor] :]:
            actor.show(message)
            notices[actor] = message
    if len(notices) != len(chairs):
        raise RuntimeError("a chair did not get the notice")
    await chairs[0].press(notices[chairs[0]], "✅ Đã nhận")
    zalo_notices = server.state.zalo.sent(zalo_chair.user_id)[zalo_before:]
    if not zalo_notices:
        raise RuntimeError("the Zalo chair did not get the notice")
    for zalo_message in zalo_notices:
        if zalo_message.photo is not None:  # fetched by «Zalo» from the bot's own address
            zalo_chair.out(
                f"🤖 → {zalo_chair.name} (Zalo): [ảnh {len(zalo_message.photo) // 1024} KB]"
            )
        zalo_chair.show(zalo_message.text or "")
    await zalo_chair.say("1")  # «✅ Đã nhận», by its number
    # The report, planned when the last notice went out. The officer's chat has just had a
    # burst of answers: let the platform's per-chat allowance (1 a second) come back first.
    await asyncio.sleep(1.5)
    for _ in range(30):
        await bot.dispatch_now()
        reports = server.state.sent(officer.user_id)[before[officer] :]
        if any(f"Đã gửi: {len(chairs) + 1}" in (message.text or "") for message in reports):
            break
        clock.advance(timedelta(seconds=5))
        await asyncio.sleep(0.5)  # the sandbox's per-chat bucket refills on the real clock
    else:
        raise RuntimeError("the officer got no delivery report")
    for message in reports:
        officer.show(message)


def _hall_plan() -> bytes:
    """A small generated picture (rows of seats before a stage) for the notice's photo."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((140, 20, 340, 60), fill="#c0392b")  # the stage
    for row in range(6):
        for seat in range(10):
            x, y = 50 + seat * 40, 100 + row * 35
            draw.rectangle((x, y, x + 28, y + 22), fill="#2e86c1")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


async def _weekly_scene(
    server: SandboxServer, bot: BotRuntime, clock: ManualClock, out: Print, files: Path
) -> None:
    """Monday morning: the weekly summary reaches the officer, its files saved to `files`."""
    clock.set(datetime(2026, 12, 14, 7, 31, tzinfo=VN))
    out(f"\n⏩ Đồng hồ chuyển tới {_at(clock)}: thứ Hai, giờ gửi bản tin tuần")
    before = len(server.state.sent(100))
    planned = await bot.plan_weekly_now()
    for _ in range(30):  # one message a second in one chat: the sandbox holds Telegram's pace
        await bot.dispatch_now()
        if len(server.state.sent(100)) >= before + 3:
            break
        await asyncio.sleep(0.5)
        clock.advance(timedelta(seconds=5))
    messages = server.state.sent(100)[before:]
    if planned != 3 or len(messages) != 3:
        raise RuntimeError(f"expected the text, the chart and the workbook, got {len(messages)}")
    out("🤖 → Phạm Văn Đức (cán bộ LĐLĐ huyện): bản tin tuần")
    for line in (messages[0].text or "").splitlines():
        out(f"   {line}")
    paths = await asyncio.to_thread(_save, messages[1:], files)
    for message, path in zip(messages[1:], paths, strict=True):
        kind = "ảnh" if message.method == "sendPhoto" else "tệp"
        out(f"   [{kind}: {message.caption}] → {path}")
    out(
        "\n✔ Demo xong: đăng ký (Telegram và Zalo), giao việc, nhắc đúng hạn một lần, trả lời "
        "bằng tin nhắn, nút bấm và số thứ tự (Zalo), tổng hợp, thông báo và xác nhận đã nhận, "
        "gia hạn và hủy việc, đọc ảnh chụp văn bản, giao xuống và báo cáo lên, đọc văn bản "
        "thuật lại, "
        f"bản tin tuần (biểu đồ và Excel trong {files})."
    )


def _save(messages: list[SentMessage], files: Path) -> list[Path]:
    """The files the officer received, written into `files` under their own names."""
    files.mkdir(parents=True, exist_ok=True)
    paths = []
    for message in messages:
        assert message.document is not None and message.file_name is not None
        path = files / message.file_name
        path.write_bytes(message.document)
        paths.append(path)
    return paths


def _load_roster(database_url: str, roster: Path, clock: ManualClock) -> str:
    """Import the roster; what re-importing only its first row would be told (not applied)."""
    db = Database.from_url(database_url)
    try:
        upgrade(db.engine)
        with db.session() as session:
            sheet = read_roster(roster)
            apply_roster(session, sheet=sheet, now=clock.now())
            plan = plan_roster(RosterSheet(sheet.units[:1], ()), load_roster_state(session))
    finally:
        db.dispose()
    return refusal_lines(plan, "nhacviec roster import")[0]


def _at(clock: ManualClock) -> str:
    return clock.now().astimezone(VN).strftime("%d/%m/%Y %H:%M")
