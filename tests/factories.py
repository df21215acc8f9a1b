"""Small builders of test data: rosters, and a conversation partner on the sandbox."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.sandbox import SandboxServer, SentMessage

ROSTER_HEADER = (
    "ma_don_vi,ten_don_vi,ma_cap_tren,cap,chu_tich,dien_thoai,can_bo,dien_thoai_can_bo,vai_tro"
)

PROVINCE_ROSTER = [
    "LDLD-LC,LĐLĐ tỉnh Lai Châu,,LĐLĐ tỉnh,,,Trần Thị Hoa,0912000001,cán bộ",
    "LDLD-TU,LĐLĐ huyện Tam Đường,LDLD-LC,LĐLĐ huyện,Lò Văn Sáng,0912000002,"
    "Phạm Văn Đức,0912000003,cán bộ",
    "CDCS-01,CĐCS Trường THCS Bình Lư,LDLD-TU,CĐCS,Nguyễn Văn An,0912000011,,,",
    "CDCS-02,CĐCS Trạm Y tế Sơn Bình,LDLD-TU,CĐCS,Lê Thị Bình,0912000012,,,",
    "CDCS-03,CĐCS Công ty Chè Tam Đường,LDLD-TU,CĐCS,Vàng A Chư,0912000013,,,",
    "LDLD-PT,LĐLĐ huyện Phong Thổ,LDLD-LC,LĐLĐ huyện,,,Hà Văn Tâm,0912000004,cán bộ",
    "CDCS-11,CĐCS Trường Tiểu học Mường So,LDLD-PT,CĐCS,Đỗ Thị Mai,0912000021,,,",
]


# The province with the kinds of units directives address: Kính gửi «LĐLĐ các huyện, thành
# phố», «Công đoàn ngành, Công đoàn Viên chức» name the first five rows below the province.
INTAKE_ROSTER = [
    *PROVINCE_ROSTER,
    # Its chair is also its officer: she answers reminders and sends directives.
    "LDLD-TP,LĐLĐ thành phố Lai Châu,LDLD-LC,LĐLĐ thành phố,Hà Thị Lan,0912000041,"
    "Hà Thị Lan,0912000041,cán bộ",
    "CDN-GD,Công đoàn ngành Giáo dục,LDLD-LC,Công đoàn ngành,,,,,",
    "CDVC-LC,Công đoàn Viên chức tỉnh,LDLD-LC,Công đoàn Viên chức,Lý Thị Vân,0912000031,,,",
    "CDCS-KCN,CĐCS Công ty Điện lực Lai Châu,LDLD-LC,CĐCS,Tòng Văn Khánh,0912000032,,,",
]


def write_roster(path: Path, rows: list[str] = PROVINCE_ROSTER) -> Path:
    path.write_text("\n".join([ROSTER_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@dataclass
class Person:
    """Someone typing to the bot through the sandbox, who waits for the bot's answers."""

    sandbox: SandboxServer
    user_id: int
    name: str
    phone: str = ""

    async def say(self, text: str) -> SentMessage:
        """Send a line and return the bot's (first) answer."""
        before = len(self.sandbox.state.sent(self.user_id))
        self.sandbox.state.inject_text(self.user_id, text, first_name=self.name)
        return await self.next_message(before)

    async def share_phone(
        self, phone: str | None = None, *, owner: int | None = None
    ) -> SentMessage:
        before = len(self.sandbox.state.sent(self.user_id))
        self.sandbox.state.inject_contact(
            self.user_id,
            phone or self.phone,
            contact_user_id=self.user_id if owner is None else owner,
            first_name=self.name,
        )
        return await self.next_message(before)

    async def send_file(
        self, file_name: str, content: bytes, *, caption: str | None = None
    ) -> SentMessage:
        """Send a document and return the bot's (first) answer."""
        before = len(self.sandbox.state.sent(self.user_id))
        self.sandbox.state.inject_document(self.user_id, file_name, content, caption=caption)
        return await self.next_message(before)

    async def press(self, message_id: int, data: str) -> SentMessage:
        before = len(self.sandbox.state.sent(self.user_id))
        self.sandbox.state.inject_button(self.user_id, message_id, data)
        return await self.next_message(before)

    async def next_message(self, before: int) -> SentMessage:
        messages = await self.sandbox.state.wait_for_sent(self.user_id, before + 1)
        return messages[before]

    def inbox(self) -> list[SentMessage]:
        return self.sandbox.state.sent(self.user_id)


def invite_code(text: str) -> str:
    match = re.search(r"\b([2-9A-Z]{10})\b", text)
    assert match, f"no invite code in {text!r}"
    return match.group(1)
