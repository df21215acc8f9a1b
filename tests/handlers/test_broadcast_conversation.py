"""`/thongbao` as a conversation, in process: an officer writes a notice, picks who gets it
(buttons or words), checks the preview, confirms; the chairs get it once and acknowledge
it (button or «đã nhận»); the officer gets one delivery report, can list who has not
acknowledged, and can stop a notice while it is sending. Bad input changes nothing.

Delivery goes through the real dispatcher (its record step writes the report) with a
sender in memory that answers 403 for the chats in `blocked`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from handlers.messages import Choice, Outgoing
from schedules.dispatcher import Dispatcher, SendOutcome, Sent, Unreachable
from storage.models import Broadcast, BroadcastDelivery, BroadcastState, OutboxMessage
from storage.outbox import ClaimedMessage
from tests.handlers.harness import Chat, World, buttons

OFFICER_PHONE = "0912000003"  # Phạm Văn Đức, LĐLĐ huyện Tam Đường (CDCS-01 … 03 below)
CHAIRS = {201: ("Nguyễn Văn An", "0912000011"), 202: ("Lê Thị Bình", "0912000012")}


@dataclass
class MemorySender:
    """The platform in memory: every message it accepted, per chat; blocked chats say 403."""

    world: World
    blocked: set[str] = field(default_factory=set)
    count: int = 0

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        if message.chat_id in self.blocked:
            return Unreachable("403 Forbidden: bot was blocked by the user")
        self.count += 1
        choices = tuple(
            tuple(Choice(b["label"], b["data"]) for b in row) for row in message.choices or ()
        )
        self.world.chats[message.chat_id].append(
            Outgoing(message.text, choices, chat_id=message.chat_id)
        )
        return Sent(str(self.count))


def dispatch(world: World, sender: MemorySender) -> None:
    dispatcher = Dispatcher(
        db=world.db,
        clock=world.clock,
        senders={"telegram": sender},
        worker="test",
        per_chat_interval=0,
    )
    asyncio.run(dispatcher.run_once())


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


def notices(chat: Chat) -> list[Outgoing]:
    return [m for m in chat.inbox if m.text.startswith("📢")]


def count(world: World, model: type, *where: object) -> int:
    with world.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_notice_to_the_branch_is_acknowledged_and_reported(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    ask = officer.says("/thongbao Họp giao ban lúc 8h thứ Hai.")
    assert "sẽ gửi cho ai" in ask.text
    preview = officer.taps(buttons(ask)["Mọi đơn vị trực thuộc"])
    assert "3 đơn vị" in preview.text
    assert "Sẽ gửi tới 2 chủ tịch" in preview.text
    assert "1 đơn vị chưa có chủ tịch" in preview.text
    missing = officer.taps(buttons(preview)["Xem các đơn vị đó"])
    assert "CĐCS Công ty Chè Tam Đường (CDCS-03)" in missing.text
    assert officer.says("xem").text == missing.text  # the same in words (Zalo has no buttons)
    assert count(world, OutboxMessage) == 0  # nothing planned before the confirmation

    sending = officer.taps(buttons(preview)["✅ Gửi"])
    assert "tới 2 chủ tịch" in sending.text
    sender = MemorySender(world)
    dispatch(world, sender)
    for chair in chairs:
        [notice] = notices(chair)
        assert "Họp giao ban lúc 8h thứ Hai." in notice.text
        assert "LĐLĐ huyện Tam Đường" in notice.text
    dispatch(world, sender)  # the report, planned when the last notice was recorded
    [report] = [m for m in officer.inbox if m.text.startswith("📊")]
    assert "Đã gửi: 2" in report.text
    assert "Gửi lỗi: 0" in report.text
    assert "Đã chặn bot: 0" in report.text
    assert "Chưa có tài khoản: 1 đơn vị" in report.text

    first = chairs[0].taps(buttons(notices(chairs[0])[0])["✅ Đã nhận"])
    assert "Đã ghi nhận" in first.text
    assert "đã xác nhận" in chairs[0].taps(buttons(notices(chairs[0])[0])["✅ Đã nhận"]).text
    assert "Đã ghi nhận" in chairs[1].says("Đã nhận ạ").text  # the text path, right after

    recent = officer.says("/thongbao")
    assert "đã gửi 2/2, đã xác nhận 2/2" in recent.text
    who = [data for label, data in buttons(recent).items() if label.startswith("Ai chưa")]
    assert "đều đã xác nhận" in officer.taps(who[0]).text
    dispatch(world, sender)
    assert len([m for m in officer.inbox if m.text.startswith("📊")]) == 1  # once


def test_blocked_chair_is_reported_and_others_acknowledge_by_one(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    ask = officer.says("/thongbao Nộp báo cáo quý IV trước 15/12.")
    preview = officer.says("cdcs-01, CĐCS Tram Y te Son Binh")  # a code, a name without marks
    assert "2 đơn vị" in preview.text
    assert "Sẽ gửi tới 2 chủ tịch" in preview.text
    assert "chưa có chủ tịch" not in preview.text
    assert ask.choices
    officer.says("gửi")
    sender = MemorySender(world, blocked={chairs[1].chat_id})
    dispatch(world, sender)
    dispatch(world, sender)
    [report] = [m for m in officer.inbox if m.text.startswith("📊")]
    assert "Đã gửi: 1" in report.text
    assert "Đã chặn bot: 1" in report.text
    assert "Chưa có tài khoản: 0 đơn vị" in report.text
    # «1» right after a notice acknowledges it (elsewhere «1» means «xong»).
    assert "Đã ghi nhận" in chairs[0].says("1").text
    with world.db.session() as session:
        acks = session.scalars(select(BroadcastDelivery.acknowledged_at)).all()
    assert sum(ack is not None for ack in acks) == 1


def test_a_level_and_the_units_late_on_a_task(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    officer.gives_task("/giaoviec 20/12/2026 Nộp báo cáo tổng kết")
    chairs[0].says("xong")
    ask = officer.says("/thongbao Đôn đốc nộp báo cáo.")
    by_level = officer.taps(buttons(ask)["Các đơn vị cấp CĐCS"])
    assert "các đơn vị cấp CĐCS — 3 đơn vị" in by_level.text
    [task] = [line for line in officer.inbox if "Đã giao Việc số" in line.text]
    number = task.text.split("Việc số ")[1].split()[0]
    late = officer.says(f"chưa xong việc {number}")
    assert "2 đơn vị" in late.text  # CDCS-02 and CDCS-03; CDCS-01 reported done
    assert "Sẽ gửi tới 1 chủ tịch" in late.text
    officer.taps(buttons(late)["✅ Gửi"])
    dispatch(world, MemorySender(world))
    assert notices(chairs[0]) == []
    assert len(notices(chairs[1])) == 1


@pytest.mark.parametrize(
    "digits",
    [
        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
        str.maketrans("0123456789", "０１２３４５６７８９"),
        str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),
    ],
    ids=["arabic-indic", "fullwidth", "superscript"],
)
def test_a_task_number_in_other_digits_is_asked_again(
    world: World, officer: Chat, chairs: list[Chat], digits: dict[int, str]
) -> None:
    officer.gives_task("/giaoviec 20/12/2026 Nộp báo cáo tổng kết")
    [task] = [line for line in officer.inbox if "Đã giao Việc số" in line.text]
    number = task.text.split("Việc số ")[1].split()[0]
    officer.says("/thongbao Đôn đốc nộp báo cáo.")
    other = officer.says(f"chưa xong việc {number.translate(digits)}")
    assert "ghi rõ việc nào, ví dụ «chưa xong việc 12»" in other.text
    assert "Sẽ gửi tới" not in other.text
    too_big = officer.says("chưa xong việc 99999999999")  # no id column holds it
    assert "Không tìm thấy việc" in too_big.text
    late = officer.says(f"chưa xong việc {number}")  # the same number in ASCII digits
    assert "Sẽ gửi tới 2 chủ tịch" in late.text


def test_cancel_while_sending_sends_nothing_more(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    ask = officer.says("/thongbao Hoãn hội nghị.")
    preview = officer.taps(buttons(ask)["Mọi đơn vị trực thuộc"])
    sending = officer.taps(buttons(preview)["✅ Gửi"])
    stopped = officer.taps(buttons(sending)["⏹ Dừng gửi"])
    assert "2 tin chưa gửi sẽ không gửi" in stopped.text
    dispatch(world, MemorySender(world))
    assert [notices(chair) for chair in chairs] == [[], []]
    [report] = [m for m in officer.inbox if m.text.startswith("📊")]
    assert "Đã gửi: 0" in report.text
    assert "Đã dừng, không gửi: 2" in report.text
    assert "đã dừng rồi" in officer.taps(buttons(sending)["⏹ Dừng gửi"]).text
    with world.db.session() as session:
        [broadcast] = session.scalars(select(Broadcast)).all()
    assert broadcast.state == BroadcastState.CANCELLED


def test_bad_input_changes_nothing(world: World, officer: Chat, chairs: list[Chat]) -> None:
    too_long = officer.says("/thongbao " + "a" * 16_001)
    assert "16.001 ký tự" in too_long.text
    assert count(world, Broadcast) == 0
    assert "chủ tịch CĐCS" not in chairs[0].says("/thongbao Xin chào").text
    assert "chỉ dành cho cán bộ" in chairs[0].says("/thongbao Xin chào").text

    ask = officer.says("/thongbao Kiểm tra.")
    outside = officer.says("CDCS-11")  # Phong Thổ's unit, outside this officer's branch
    unknown = officer.says("CDCS-99")
    assert outside.text.replace("CDCS-11", "X") == unknown.text.replace("CDCS-99", "X")
    assert "Không tìm thấy đơn vị" in outside.text
    assert "Không tìm thấy việc" in officer.says("chưa xong việc 99999").text
    assert "Anh/chị chọn người nhận bằng nút" in officer.says("   ").text

    draft_button = buttons(ask)["Mọi đơn vị trực thuộc"]
    forged = draft_button.rsplit(":", 1)[0] + ":99999"
    assert "Không tìm thấy thông báo" in officer.taps(forged).text
    assert "Không tìm thấy thông báo" in chairs[0].taps(draft_button).text  # not theirs
    assert "không gửi cho anh/chị" in chairs[0].taps("n:99999").text
    assert "không gửi cho anh/chị" in chairs[0].taps("n:abc").text

    preview = officer.taps(draft_button)
    officer.taps(buttons(preview)["✅ Gửi"])
    assert "đã gửi rồi" in officer.taps(buttons(preview)["✅ Gửi"]).text  # twice: once
    assert count(world, OutboxMessage) == 2
    dispatch(world, MemorySender(world))
    notice = notices(chairs[0])[0]
    assert "không gửi cho anh/chị" in officer.taps(buttons(notice)["✅ Đã nhận"]).text
    dispatch(world, MemorySender(world))
    recent = officer.says("/thongbao")
    stop = [d for label, d in buttons(recent).items() if label.startswith("⏹")]
    assert stop == []  # finished: nothing left to stop
    assert "đã gửi xong" in officer.taps(f"bc:stop:{notice_id(world)}").text


def notice_id(world: World) -> int:
    with world.db.session() as session:
        return int(session.scalars(select(Broadcast.id)).one())


def test_the_draft_survives_in_the_database_and_cancel_drops_it(
    world: World, officer: Chat, chairs: list[Chat]
) -> None:
    ask = officer.says("/thongbao Nháp.")
    assert count(world, Broadcast, Broadcast.state == BroadcastState.DRAFT) == 1
    assert "Đã hủy" in officer.says("hủy").text
    assert count(world, Broadcast) == 0
    assert "Không tìm thấy thông báo" in officer.taps(buttons(ask)["Mọi đơn vị trực thuộc"]).text
    new = officer.says("/thongbao")
    assert "chưa gửi thông báo nào" in new.text
    written = officer.taps(buttons(new)["✍️ Soạn thông báo mới"])
    assert "nội dung thông báo" in written.text
    assert "sẽ gửi cho ai" in officer.says("Dòng một\nDòng hai").text
    # A notice of several lines pasted right under the command is the notice too.
    assert "sẽ gửi cho ai" in officer.says("/thongbao\nKính gửi các CĐCS\nHọp lúc 8h").text
    with world.db.session() as session:
        [draft] = session.scalars(select(Broadcast)).all()
    assert draft.text == "Kính gửi các CĐCS\nHọp lúc 8h"
