"""`/thongbao` with a photo or a document, long notices, and a notice as a Zalo chair reads
it, in process: the file is kept once for the broadcast and every chair gets it with the
text; a file too large, of a type a chair could not open, or with no text is refused and
changes nothing; a long notice is taken (and refused only for an audience on Zalo alone,
with its length); on Zalo the acknowledgement is «1» or «đã nhận», not a button."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from handlers.broadcast_length import MAX_NOTICE
from handlers.messages import Channel, Choice, FileKind, Outgoing
from handlers.numbered_choices import flatten_stored, is_text_only, numbered_text, remember
from handlers.texts import for_channel
from schedules.dispatcher import Dispatcher, SendOutcome, Sent
from storage.models import Broadcast, BroadcastDelivery, BroadcastFile, OutboxFile, OutboxMessage
from storage.outbox import ClaimedMessage
from tests.factories import invite_code
from tests.handlers.harness import Chat, World, buttons

OFFICER_PHONE = "0912000003"  # Phạm Văn Đức, LĐLĐ huyện Tam Đường (CDCS-01 … 03 below)
CHAIRS = {201: ("Nguyễn Văn An", "0912000011"), 202: ("Lê Thị Bình", "0912000012")}
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 400  # about 100 KB
PLAN = b"%PDF-1.4 ke hoach" + b"\x00" * 2048


@pytest.fixture
def officer(world: World) -> Chat:
    world.import_roster()
    person = world.person(100, "Phạm Văn Đức", phone=OFFICER_PHONE)
    person.shares_contact()
    return person


@pytest.fixture
def chairs(world: World, officer: Chat) -> list[Chat]:
    people = [world.person(uid, name, phone) for uid, (name, phone) in CHAIRS.items()]
    for chair in people:
        chair.shares_contact()
    return people  # CDCS-03 has no registered chair


def count(world: World, model: type) -> int:
    with world.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def notices(chat: Chat) -> list[Outgoing]:
    return [m for m in chat.inbox if m.text.startswith("📢")]


@dataclass
class FileKeepingSender:
    """The platform in memory, keeping each message's text, buttons and file."""

    world: World
    count: int = 0

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        self.count += 1
        choices = tuple(
            tuple(Choice(b["label"], b["data"]) for b in row) for row in message.choices or ()
        )
        outgoing = Outgoing(message.text, choices, chat_id=message.chat_id, file=message.file)
        if is_text_only(message.channel):  # as bot.zalo_channel.ZaloSender words it
            listed = flatten_stored(message.choices)
            text = numbered_text(for_channel(message.text, message.channel), listed)
            outgoing = Outgoing(text, chat_id=message.chat_id, file=message.file)
            with self.world.db.session() as session:
                remember(
                    session,
                    account_id=message.account_id,
                    choices=listed,
                    now=self.world.clock.now(),
                )
        self.world.chats[message.chat_id].append(outgoing)
        return Sent(str(self.count))


def dispatch(world: World) -> None:
    """The real dispatcher (its record step plans the delivery report)."""
    sender = FileKeepingSender(world)
    dispatcher = Dispatcher(
        db=world.db,
        clock=world.clock,
        senders={"telegram": sender, "zalo": sender},
        worker="t",
        per_chat_interval=0,
    )
    asyncio.run(dispatcher.run_once())


def send_to_all(officer: Chat, ask: Outgoing) -> Outgoing:
    preview = officer.taps(buttons(ask)["Mọi đơn vị trực thuộc"])
    officer.taps(buttons(preview)["✅ Gửi"])
    return preview


def test_a_photo_with_the_notice_as_its_caption_reaches_every_chair_stored_once(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    ask = officer.sends_file(
        None, PHOTO, caption="/thongbao Sơ đồ chỗ ngồi hội nghị.", kind="photo"
    )
    assert "Đã đính kèm ảnh (100 KB)" in ask.text
    assert "sẽ gửi cho ai" in ask.text and "gửi ngay bây giờ" not in ask.text
    preview = send_to_all(officer, ask)
    assert "Kèm ảnh (100 KB)." in preview.text
    dispatch(world)
    for chair in chairs:
        [notice] = notices(chair)
        assert "Sơ đồ chỗ ngồi hội nghị." in notice.text
        assert notice.file is not None and notice.file.kind is FileKind.PHOTO
        assert (notice.file.content, notice.file.mime) == (PHOTO, "image/jpeg")
        assert "✅ Đã nhận" in buttons(notice)
    # one copy for the broadcast, none per recipient; the report carries no file
    assert (count(world, BroadcastFile), count(world, OutboxFile)) == (1, 0)
    dispatch(world)
    [report] = [m for m in officer.inbox if m.text.startswith("📊")]
    assert "Đã gửi: 2" in report.text and report.file is None


def test_a_document_sent_after_the_text_and_replaced_at_the_preview(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    ask = officer.says("/thongbao Kế hoạch tổ chức Tháng Công nhân.")
    assert "gửi ngay bây giờ, trước khi chọn người nhận" in ask.text  # the file may follow
    again = officer.sends_file("ke-hoach.pdf", PLAN)
    assert "Đã đính kèm tệp ke-hoach.pdf (2 KB)." in again.text
    assert "sẽ gửi cho ai" in again.text
    preview = officer.taps(buttons(again)["Mọi đơn vị trực thuộc"])
    assert "Kèm tệp ke-hoach.pdf (2 KB)." in preview.text
    workbook = b"PK\x03\x04" + b"\x01" * 4096
    officer.sends_file("danh-sach.xlsx", workbook, caption="Danh sách kèm theo.")
    said, shown = officer.answers
    assert "Đã đính kèm tệp danh-sach.xlsx (4 KB)" in said.text
    assert "Chú thích của tệp được thêm vào cuối thông báo" in said.text
    assert "Kèm tệp danh-sach.xlsx (4 KB)." in shown.text and "ke-hoach" not in shown.text
    officer.taps(buttons(shown)["✅ Gửi"])
    world.deliver()
    [notice] = notices(chairs[0])
    assert "Tháng Công nhân.\n\nDanh sách kèm theo." in notice.text
    assert notice.file is not None and notice.file.name == "danh-sach.xlsx"
    assert notice.file.kind is FileKind.DOCUMENT and notice.file.content == workbook
    assert count(world, BroadcastFile) == 1


def test_files_a_notice_cannot_carry_change_nothing(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    huge = officer.sends_file(
        "bao-cao.pdf", b"%PDF" + b"\x00" * (20 * 1024 * 1024 + 1), caption="/thongbao Báo cáo."
    )
    assert "quá giới hạn 20,0 MB" in huge.text
    program = officer.sends_file("cai-dat.exe", b"MZ\x90\x00", caption="/thongbao Phần mềm.")
    assert "không gửi kèm thông báo được" in program.text and "cai-dat.exe" in program.text
    assert (
        "cần có nội dung" in officer.sends_file(None, PHOTO, caption="/thongbao", kind="photo").text
    )
    assert (count(world, Broadcast), count(world, BroadcastFile)) == (0, 0)

    new = officer.says("/thongbao")
    officer.taps(buttons(new)["✍️ Soạn thông báo mới"])
    assert "cần có nội dung" in officer.sends_file(None, PHOTO, kind="photo").text
    assert count(world, Broadcast) == 0

    officer.says("/thongbao Lịch trực Tết.")
    assert "không gửi kèm thông báo được" in officer.sends_file("lich.zip", b"PK\x03\x04").text
    assert count(world, BroadcastFile) == 0
    officer.sends_file(None, PHOTO, kind="photo")
    assert count(world, BroadcastFile) == 1
    # cancelling while the draft waits for its audience drops the text and the file
    assert "Đã hủy thông báo" in officer.says("hủy").text
    assert (count(world, Broadcast), count(world, BroadcastFile)) == (0, 0)
    assert count(world, OutboxMessage) == 0
    assert notices(chairs[0]) == []


def test_a_long_notice_is_taken_and_a_pasted_text_cut_by_the_app_is_joined(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    lines = [
        f"{n}. Nội dung thứ {n} của kế hoạch, các CĐCS thực hiện đúng hạn." for n in range(100)
    ]
    first = "\n".join(lines[:62])  # a message as long as Telegram lets a person send
    assert 3500 < len(first) < 4096
    ask = officer.says(f"/thongbao {first}")
    assert "sẽ gửi cho ai" in ask.text
    world.clock.advance(timedelta(minutes=1))
    mistyped = officer.says("CDCS-99")  # typed, not cut by the app: still a unit
    assert "Không tìm thấy đơn vị «CDCS-99»" in mistyped.text
    rest = "\n".join(lines[62:])
    joined = officer.says(rest)
    assert "Đã nối tin này vào thông báo" in joined.text
    preview = officer.taps(buttons(joined)["Mọi đơn vị trực thuộc"])
    assert "thành nhiều tin nối tiếp" in preview.text
    officer.taps(buttons(preview)["✅ Gửi"])
    world.deliver()
    [notice] = notices(chairs[0])
    assert all(line in notice.text for line in lines)  # split only on delivery

    too_long = officer.says("/thongbao " + "Họp. " * (MAX_NOTICE // 5 + 1))
    assert f"quá giới hạn {MAX_NOTICE:,} ký tự".replace(",", ".") in too_long.text
    assert count(world, Broadcast) == 1  # only the one sent


def zalo_chair(world: World, officer: Chat, unit: str, user_id: int, name: str) -> Chat:
    code = invite_code(officer.says(f"/moi {unit}").text)
    chair = world.person(user_id, name, channel=Channel.ZALO)
    assert "Chủ tịch" in chair.says(f"MA {code}").text
    return chair


def test_on_zalo_a_notice_is_acknowledged_by_number_and_a_long_one_is_refused(
    world: World, officer: Chat
) -> None:
    an = zalo_chair(world, officer, "CDCS-01", 301, "Nguyễn Văn An")
    binh = zalo_chair(world, officer, "CDCS-02", 302, "Lê Thị Bình")
    long_text = "Kế hoạch chi tiết. " * 132  # 2,508 characters
    ask = officer.says(f"/thongbao {long_text.strip()}")
    refused = officer.taps(buttons(ask)["Mọi đơn vị trực thuộc"])
    assert "Thông báo dài 2.507 ký tự; Zalo chỉ nhận tối đa 2.000 ký tự" in refused.text
    assert "Mọi đơn vị trực thuộc" in buttons(refused)  # another audience can be chosen
    assert count(world, OutboxMessage) == 0
    # with a chair on Telegram among them, it goes: the Zalo chairs get it in parts
    world.person(203, "Vàng A Chư", "0912000013").shares_contact()
    preview = officer.says("tất cả")
    assert "Sẽ gửi tới 3 chủ tịch" in preview.text
    assert "Thông báo dài 2.507 ký tự: người nhận trên Zalo sẽ nhận thành nhiều tin" in preview.text
    assert "Đã hủy" in officer.says("hủy").text

    ask = officer.says("/thongbao Họp trực tuyến lúc 14h thứ Sáu.")
    send_to_all(officer, ask)
    dispatch(world)
    [notice] = notices(an)
    assert notice.text.endswith("Gõ «1» hoặc «đã nhận» để báo đã nhận thông báo.")
    assert "Bấm" not in notice.text and "gõ số thứ tự" not in notice.text
    assert "Đã ghi nhận" in an.says("1").text
    assert "Đã ghi nhận" in binh.says("đã nhận").text
    with world.db.session() as session:
        acks = session.scalars(select(BroadcastDelivery.acknowledged_at)).all()
    assert sum(ack is not None for ack in acks) == 2 and len(acks) == 3
