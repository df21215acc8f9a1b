"""Small builders of test data: rosters, and a conversation partner on the sandbox."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from bot.sandbox import SandboxServer, SentMessage
from bot.sandbox.zalo_state import ZaloSentMessage
from storage import directives
from storage.models import Appointment, ChannelAccount, Role, Unit
from storage.models import Person as PersonRow
from tests.log_check import forbid_person

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

    def __post_init__(self) -> None:
        forbid_person(self.name, self.phone)  # never to be logged (tests/log_check.py)

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

    async def send_sticker(self) -> SentMessage:
        before = len(self.inbox())
        self.sandbox.state.inject_sticker(self.user_id)
        return await self.next_message(before)

    async def send_photo(self, *, caption: str | None = None) -> SentMessage:
        before = len(self.inbox())
        self.sandbox.state.inject_photo(self.user_id, b"\xff\xd8photo", caption=caption)
        return await self.next_message(before)

    async def press(self, message_id: int, data: str) -> SentMessage:
        before = len(self.sandbox.state.sent(self.user_id))
        self.sandbox.state.inject_button(self.user_id, message_id, data)
        return await self.next_message(before)

    async def next_message(self, before: int) -> SentMessage:
        # A bound on the real clock, for a failure only: a loaded machine may be slow.
        messages = await self.sandbox.state.wait_for_sent(self.user_id, before + 1, timeout=180)
        return messages[before]

    def inbox(self) -> list[SentMessage]:
        return self.sandbox.state.sent(self.user_id)


@dataclass
class ZaloPerson:
    """Someone writing to the bot on Zalo through the sandbox's Zalo dialect: text only, no
    buttons, no contact card (registration is by invite code)."""

    sandbox: SandboxServer
    user_id: str
    name: str

    def __post_init__(self) -> None:
        forbid_person(self.name)  # never to be logged (tests/log_check.py)

    async def say(self, text: str) -> ZaloSentMessage:
        """Send a line and return the bot's (first) answer."""
        before = len(self.inbox())
        self.sandbox.state.zalo.inject_text(self.user_id, text, display_name=self.name)
        return await self.next_message(before)

    async def send_sticker(self) -> ZaloSentMessage:
        before = len(self.inbox())
        self.sandbox.state.zalo.inject_sticker(self.user_id)
        return await self.next_message(before)

    async def send_photo(self, *, caption: str | None = None) -> ZaloSentMessage:
        """A photo: on Zalo the bot gets its address, not the bytes."""
        before = len(self.inbox())
        url = f"https://photo.zalo.example/{self.user_id}/{before}.jpg"
        self.sandbox.state.zalo.inject_image(self.user_id, url, caption=caption)
        return await self.next_message(before)

    async def register(self, officer: Person, unit_code: str) -> ZaloSentMessage:
        """Register with the invite code the officer asks the bot for (`/moi UNIT`)."""
        code = invite_code((await officer.say(f"/moi {unit_code}")).text or "")
        return await self.say(f"MA {code}")

    async def next_message(self, before: int) -> ZaloSentMessage:
        # A bound on the real clock, for a failure only: a loaded machine may be slow.
        messages = await self.sandbox.state.zalo.wait_for_sent(
            self.user_id, before + 1, timeout=180
        )
        return messages[before]

    def inbox(self) -> list[ZaloSentMessage]:
        return self.sandbox.state.zalo.sent(self.user_id)


def zalo_user_id(number: int) -> str:
    """A Zalo user's opaque id made from a number, so a test can number users on both
    platforms alike (Zalo's ids are strings of hex digits)."""
    return f"{number:016x}"


def invite_code(text: str) -> str:
    match = re.search(r"\b([2-9A-Z]{10})\b", text)
    assert match, f"no invite code in {text!r}"
    return match.group(1)


GIVE_TASK_LABEL = "✅ Giao việc"


async def gives_task(person: Person | ZaloPerson, line: str) -> SentMessage | ZaloSentMessage:
    """`/giaoviec …` and, when the bot shows its preview, its confirmation (the button on
    Telegram, the listed number on Zalo): the bot's answer to the last step."""
    if isinstance(person, Person):
        preview = await person.say(line)
        for row in preview.buttons:
            for button in row:
                if button["text"].startswith(GIVE_TASK_LABEL):
                    return await person.press(preview.message_id, button["callback_data"])
        return preview
    answer = await person.say(line)
    if f"1. {GIVE_TASK_LABEL}" in (answer.text or ""):
        return await person.say("1")
    return answer


@dataclass(frozen=True)
class Branch:
    """A district with its officer and grassroots units, built straight in the database."""

    officer_id: int
    officer_account_id: int | None
    parent_id: int
    unit_ids: list[int]
    chat_ids: dict[int, int]  # unit id → its chair's chat, for units whose chair registered


def build_branch(
    session: Session,
    *,
    units: int,
    now: datetime,
    first_chat: int = 10_000,
    unregistered: int = 0,
    officer_chat: int | None = 99,
    channel: str = "telegram",
    officer_channel: str = "telegram",
) -> Branch:
    """`units` CĐCS under one district, each with a chair; the last `unregistered` of them
    have no account with the bot. Far quicker than a roster import for hundreds of units.
    The chairs' accounts are on `channel`, the officer's on `officer_channel` (on Zalo the
    ids are `zalo_user_id(chat)`)."""
    district = Unit(
        code="LDLD-X", name="LĐLĐ huyện X", level="LĐLĐ huyện", created_at=now, updated_at=now
    )
    officer = PersonRow(full_name="Phạm Văn Đức", created_at=now)
    session.add_all([district, officer])
    session.flush()
    assert district.id is not None and officer.id is not None
    session.add(
        Appointment(person_id=officer.id, unit_id=district.id, role=Role.OFFICER, started_at=now)
    )
    officer_account = None
    if officer_chat is not None:
        external = zalo_user_id(officer_chat) if officer_channel == "zalo" else str(officer_chat)
        officer_account = ChannelAccount(
            channel=officer_channel,
            external_user_id=external,
            chat_id=external,
            person_id=officer.id,
            created_at=now,
            last_seen_at=now,
        )
        session.add(officer_account)
    grassroots = [
        Unit(
            code=f"CDCS-{n:04d}",
            name=f"CĐCS số {n}",
            parent_id=district.id,
            level="CĐCS",
            created_at=now,
            updated_at=now,
        )
        for n in range(1, units + 1)
    ]
    chairs = [PersonRow(full_name=f"Chủ tịch {n}", created_at=now) for n in range(1, units + 1)]
    session.add_all(grassroots + chairs)
    session.flush()
    chat_ids: dict[int, int] = {}
    for n, (unit, chair) in enumerate(zip(grassroots, chairs, strict=True)):
        assert unit.id is not None and chair.id is not None
        session.add(
            Appointment(person_id=chair.id, unit_id=unit.id, role=Role.CHAIR, started_at=now)
        )
        if n < units - unregistered:
            chat = first_chat + n
            external = zalo_user_id(chat) if channel == "zalo" else str(chat)
            session.add(
                ChannelAccount(
                    channel=channel,
                    external_user_id=external,
                    chat_id=external,
                    person_id=chair.id,
                    created_at=now,
                    last_seen_at=now,
                )
            )
            chat_ids[unit.id] = chat
    session.flush()
    return Branch(
        officer_id=officer.id,
        officer_account_id=None if officer_account is None else officer_account.id,
        parent_id=district.id,
        unit_ids=[u.id for u in grassroots if u.id is not None],
        chat_ids=chat_ids,
    )


def give_task(
    session: Session,
    branch: Branch,
    *,
    deadline: datetime,
    now: datetime,
    text: str = "Báo cáo kết quả Tháng Công nhân năm 2026",
    ladder: dict[str, object] | None = None,
    item: int = 3,
) -> tuple[int, list[int]]:
    """Công văn 490/LĐLĐ with one task for every unit of the branch: (task id, assignment ids)."""
    directive = directives.create_directive(
        session,
        kind="Công văn",
        number="490/LĐLĐ",
        subject="Tổng kết Tháng Công nhân",
        owner_unit_id=branch.parent_id,
        created_by_person_id=branch.officer_id,
        now=now,
    )
    directive.reminder_config = ladder
    assert directive.id is not None
    task = directives.add_task(
        session, directive_id=directive.id, item=item, text=text, deadline_at=deadline
    )
    assert task.id is not None
    created = directives.assign(session, task_id=task.id, unit_ids=branch.unit_ids, now=now)
    session.flush()
    return task.id, [a.id for a in created if a.id is not None]
