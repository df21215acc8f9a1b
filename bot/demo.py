"""The demo: the real bot against the local sandbox on a temporary SQLite file, playing the
whole thin path with simulated people and printing the conversation as they would see it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer, SentMessage
from bot.settings import Settings
from schedules.clock import ManualClock
from schedules.roster_sheet import read_roster
from storage.engine import Database
from storage.migrate import upgrade
from storage.roster import apply_roster

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
        for line in (message.text or "").splitlines():
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


async def play(out: Print = print) -> None:
    """Run the whole story; raises if the bot does not behave as the story expects."""
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'demo.db'}"
        roster = Path(folder) / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        clock = ManualClock(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
        _load_roster(database_url, roster, clock)
        out("Nhắc việc — demo trên sandbox (không cần token, dữ liệu SQLite tạm)")
        out(f"Danh sách đơn vị: 1 LĐLĐ tỉnh, 1 LĐLĐ huyện, 3 CĐCS. Đồng hồ: {_at(clock)}")
        server = SandboxServer()
        await server.start()
        try:
            settings = Settings(
                _env_file=None,
                database_url=database_url,
                telegram_token=DEMO_TOKEN,
                telegram_api_url=server.url,
                zalo_token=DEMO_ZALO_TOKEN,
                zalo_api_url=server.zalo_base_url,
            )
            async with BotRuntime(
                settings, clock=clock, dispatch_interval=None, per_chat_interval=0
            ) as bot:
                await _story(server, bot, clock, out)
        finally:
            await server.stop()


async def _story(server: SandboxServer, bot: BotRuntime, clock: ManualClock, out: Print) -> None:
    officer = Actor(server, 100, "Phạm Văn Đức (cán bộ LĐLĐ huyện)", out)
    an = Actor(server, 201, "Nguyễn Văn An (chủ tịch CĐCS)", out)
    binh = Actor(server, 202, "Lê Thị Bình (chủ tịch CĐCS)", out)
    chu = ZaloActor(server, "7f3a9c0d2e", "Vàng A Chư (chủ tịch CĐCS)", out)

    await officer.say("/start")
    await officer.share_phone("0912 000 003")
    codes = []
    for unit in ("CDCS-01", "CDCS-02", "CDCS-03"):
        text = await officer.say(f"/moi {unit}")
        codes.append(text.split(": ", 1)[1].split()[0])
    await an.say(f"/start {codes[0]}")
    await binh.say(f"/start {codes[1]}")
    await chu.say(f"MA {codes[2]}")  # Zalo: no link, no contact button: the code typed
    await officer.say("/giaoviec 10/12/2026 Nộp báo cáo tổng kết công tác công đoàn năm 2026")

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
    percents = await binh.press(reminders[binh], "⏳")
    await binh.press(percents, "50%")
    await chu.say("2")  # «⏳ Đang làm», by its number
    await chu.say("60")
    clock.advance(timedelta(hours=2))
    out(f"\n⏩ Đồng hồ: {_at(clock)}")
    summary = await officer.say("/tonghop")
    if "Xong: 1/3 đơn vị" not in summary or "50%" not in summary or "60%" not in summary:
        raise RuntimeError("the summary does not show the chair's reply")
    out(
        "\n✔ Demo xong: đăng ký (Telegram và Zalo), giao việc, nhắc đúng hạn một lần, "
        "trả lời bằng tin nhắn, nút bấm và số thứ tự (Zalo), tổng hợp."
    )


def _load_roster(database_url: str, roster: Path, clock: ManualClock) -> None:
    db = Database.from_url(database_url)
    try:
        upgrade(db.engine)
        with db.session() as session:
            apply_roster(session, sheet=read_roster(roster), now=clock.now())
    finally:
        db.dispose()


def _at(clock: ManualClock) -> str:
    return clock.now().astimezone(VN).strftime("%d/%m/%Y %H:%M")
