"""Registration end to end over the sandbox: people the roster does not know wait for an
officer's approval, and refused attempts reach the branch's officers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer, SentMessage
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import (
    Appointment,
    ChannelAccount,
    OutboxMessage,
    RegistrationRequest,
    RequestState,
    Role,
    Unit,
)
from storage.models import (
    Person as PersonRow,
)
from tests.factories import PROVINCE_ROSTER, Person, write_roster

pytestmark = pytest.mark.e2e


@pytest.fixture
def roster(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0


async def registered_officers(sandbox: SandboxServer) -> tuple[Person, Person]:
    """Phạm Văn Đức (LĐLĐ huyện Tam Đường) and Hà Văn Tâm (LĐLĐ huyện Phong Thổ)."""
    tam_duong = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    phong_tho = Person(sandbox, 101, "Hà Văn Tâm", phone="0912000004")
    for officer in (tam_duong, phong_tho):
        assert "Cán bộ" in (await officer.share_phone()).text
    return tam_duong, phong_tho


def buttons(message: SentMessage) -> dict[str, str]:
    return {button["text"]: button["callback_data"] for row in message.buttons for button in row}


async def test_unknown_number_is_approved_by_the_branch_officer(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    tam_duong, phong_tho = await registered_officers(sandbox)
    newcomer = Person(sandbox, 300, "Hoàng Văn Mới")

    asked = await newcomer.share_phone("0987 654 321")
    assert "chưa có trong danh sách" in asked.text
    assert "mã đơn vị" in asked.text
    # Typed without diacritics, a part of the name is enough when it names one unit.
    waiting = await newcomer.say("truong thcs binh lu")
    assert "Đã gửi yêu cầu đăng ký về đơn vị CĐCS Trường THCS Bình Lư" in waiting.text
    assert "chờ" in (await newcomer.say("xong")).text  # nothing happens until someone decides

    officer_inbox, other_inbox = len(tam_duong.inbox()), len(phong_tho.inbox())
    assert (await bot.dispatch_now()).sent == 1
    assert len(phong_tho.inbox()) == other_inbox  # another district hears nothing
    request = tam_duong.inbox()[officer_inbox]
    assert "Hoàng Văn Mới" in request.text
    assert "0987 654 321" in request.text  # within the officer's scope, the number is shown
    assert "CĐCS Trường THCS Bình Lư (mã CDCS-01)" in request.text
    choices = buttons(request)
    assert set(choices) == {"✅ Duyệt", "❌ Từ chối"}

    # A forged press from another district's officer, or from the newcomer, changes nothing.
    assert "không thuộc phạm vi" in (await phong_tho.press(999, choices["✅ Duyệt"])).text
    assert "chỉ dành cho cán bộ" in (await newcomer.press(999, choices["✅ Duyệt"])).text
    assert "không còn hiệu lực" in (await tam_duong.press(request.message_id, "r:a:99999")).text
    assert "không còn hiệu lực" in (await tam_duong.press(request.message_id, "r:x")).text
    with db.session() as session:
        assert session.scalars(select(RegistrationRequest)).one().state == RequestState.PENDING

    approved = await tam_duong.press(request.message_id, choices["✅ Duyệt"])
    assert approved.text == "Đã duyệt: Hoàng Văn Mới là chủ tịch CĐCS Trường THCS Bình Lư."
    before = len(newcomer.inbox())
    assert (await bot.dispatch_now()).sent == 1
    told = newcomer.inbox()[before]
    assert told.text.startswith("✅ Cán bộ công đoàn đã duyệt")
    assert "Chủ tịch CĐCS Trường THCS Bình Lư" in (await newcomer.say("/toi")).text
    # A second press on the same request (or by a second officer) is stale.
    stale = await tam_duong.press(request.message_id, choices["❌ Từ chối"])
    assert "đã được xử lý" in stale.text
    with db.session() as session:
        person = session.scalars(select(PersonRow).where(PersonRow.phone == "+84987654321")).one()
        unit = session.scalars(select(Unit).where(Unit.code == "CDCS-01")).one()
        chairs = session.scalars(
            select(Appointment).where(
                Appointment.unit_id == unit.id,
                Appointment.role == Role.CHAIR,
                Appointment.ended_at.is_(None),
            )
        ).all()
        assert [chair.person_id for chair in chairs] == [person.id]  # the unregistered one ended

    # A second person naming the unit now bound is refused, and nothing is asked of officers.
    late = Person(sandbox, 301, "Người Thứ Hai")
    await late.share_phone("0987 000 111")
    assert "đã có chủ tịch đăng ký" in (await late.say("CDCS-01")).text
    assert (await bot.dispatch_now()).sent == 0


async def test_rejection_is_told_politely(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    tam_duong, _ = await registered_officers(sandbox)
    newcomer = Person(sandbox, 300, "Lò Thị Lạ")
    await newcomer.share_phone("0987654321")
    assert "Sơn Bình" in (await newcomer.say("cdcs-02")).text
    before = len(tam_duong.inbox())
    await bot.dispatch_now()
    request = tam_duong.inbox()[before]
    rejected = await tam_duong.press(request.message_id, buttons(request)["❌ Từ chối"])
    assert rejected.text == "Đã từ chối yêu cầu đăng ký của Lò Thị Lạ."
    before = len(newcomer.inbox())
    await bot.dispatch_now()
    assert "chưa được cán bộ công đoàn chấp thuận" in newcomer.inbox()[before].text
    assert "chưa đăng ký" in (await newcomer.say("xong")).text
    with db.session() as session:
        account = session.scalars(
            select(ChannelAccount).where(ChannelAccount.external_user_id == "300")
        ).one()
        assert account.person_id is None
        assert (
            session.scalars(select(PersonRow).where(PersonRow.phone == "+84987654321")).all() == []
        )


async def test_unknown_unit_is_asked_twice_then_goes_to_the_administrators(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    await registered_officers(sandbox)
    newcomer = Person(sandbox, 300, "Người Lạ")
    await newcomer.share_phone("0987654321")
    several = await newcomer.say("cdcs")
    assert "Có 4 đơn vị khớp" in several.text
    assert "CDCS-11" in several.text
    assert "Không tìm thấy đơn vị «Công ty ABC»" in (await newcomer.say("Công ty ABC")).text
    # The roster has no administrator with the bot: the person is told to ask in person.
    answer = await newcomer.say("Công ty ABC")
    assert "liên hệ trực tiếp cán bộ công đoàn" in answer.text
    assert (await bot.dispatch_now()).sent == 0
    with db.session() as session:
        request = session.scalars(select(RegistrationRequest)).one()
        assert request.state == RequestState.CANCELLED
        assert session.scalars(select(OutboxMessage)).all() == []


async def test_repeated_failures_on_a_unit_alert_its_officers_once(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    tam_duong, phong_tho = await registered_officers(sandbox)
    chair = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")
    await chair.share_phone()  # CDCS-01 now has its chair
    intruder = Person(sandbox, 300, "Kẻ Lạ")
    # Someone else's card (the chair's), then twice naming a unit already bound.
    assert "của chính mình" in (await intruder.share_phone("0912000011", owner=201)).text
    await intruder.share_phone("0987654321")
    assert "đã có chủ tịch" in (await intruder.say("CDCS-01")).text
    assert (await bot.dispatch_now()).sent == 0  # two failures: no alert yet
    await intruder.share_phone("0987654321")
    assert "đã có chủ tịch" in (await intruder.say("CDCS-01")).text
    officer_before, other_before = len(tam_duong.inbox()), len(phong_tho.inbox())
    assert (await bot.dispatch_now()).sent == 1
    alert = tam_duong.inbox()[officer_before]
    assert "⚠️ Đơn vị CĐCS Trường THCS Bình Lư (mã CDCS-01) có 3 lần" in alert.text
    assert "0987" not in alert.text
    assert len(phong_tho.inbox()) == other_before
    # A fourth failure the same day alerts nobody again.
    await intruder.share_phone("0987654321")
    await intruder.say("CDCS-01")
    assert (await bot.dispatch_now()).sent == 0


async def test_contact_of_a_chair_of_two_units_binds_both(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    bot: BotRuntime,
    sandbox: SandboxServer,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    rows = [
        *PROVINCE_ROSTER[:4],
        "CDCS-03,CĐCS Công ty Chè Tam Đường,LDLD-TU,CĐCS,Nguyễn Văn An,0912000011,,,",
    ]
    assert main(["roster", "import", str(write_roster(tmp_path / "two.csv", rows))]) == 0
    chair = Person(sandbox, 201, "An", phone="+84 912 000 011")
    assert (await chair.say("/start")).request_contact
    greeting = (await chair.share_phone()).text
    assert "Xin chào anh/chị Nguyễn Văn An!" in greeting
    assert "Chủ tịch CĐCS Trường THCS Bình Lư (mã CDCS-01)" in greeting
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường (mã CDCS-03)" in greeting
    assert "Bot sẽ nhắc" in greeting


async def test_a_replaced_chair_is_told_by_the_bot_and_unbound(
    roster: None, tmp_path: Path, bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock
) -> None:
    chair = Person(sandbox, 202, "Lê Thị Bình", phone="0912000012")
    assert "Chủ tịch CĐCS Trạm Y tế Sơn Bình" in (await chair.share_phone()).text
    rows = [
        row.replace("Lê Thị Bình,0912000012", "Trịnh Văn Mới,0912000099") for row in PROVINCE_ROSTER
    ]
    assert main(["roster", "import", str(write_roster(tmp_path / "v2.csv", rows))]) == 0
    clock.set(datetime.now(UTC) + timedelta(minutes=1))  # the command line runs on real time
    before = len(chair.inbox())
    assert (await bot.dispatch_now()).sent == 1
    notice = chair.inbox()[before].text
    assert "không còn là chủ tịch CĐCS Trạm Y tế Sơn Bình" in notice
    assert "hủy đăng ký" in notice
    assert "chưa đăng ký" in (await chair.say("/toi")).text
    assert (await bot.dispatch_now()).sent == 0  # told once
    successor = Person(sandbox, 203, "Trịnh Văn Mới", phone="0912000099")
    assert "Chủ tịch CĐCS Trạm Y tế Sơn Bình" in (await successor.share_phone()).text


async def test_unknown_unit_goes_to_a_registered_administrator(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    bot: BotRuntime,
    sandbox: SandboxServer,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    rows = [*PROVINCE_ROSTER, "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị"]
    assert main(["roster", "import", str(write_roster(tmp_path / "admin.csv", rows))]) == 0
    admin = Person(sandbox, 90, "Quản Trị Viên", phone="0912000005")
    assert "Quản trị hệ thống" in (await admin.share_phone()).text
    newcomer = Person(sandbox, 300, "Người Lạ")
    await newcomer.share_phone("0987654321")
    await newcomer.say("Công ty ABC")
    assert "Đã gửi yêu cầu đăng ký tới cán bộ công đoàn" in (await newcomer.say("Công ty ABC")).text
    before = len(admin.inbox())
    assert (await bot.dispatch_now()).sent == 1
    request = admin.inbox()[before]
    assert "«Công ty ABC» (không có trong danh sách)" in request.text
    assert set(buttons(request)) == {"❌ Từ chối"}  # no unit: nothing to approve
    forged = request.buttons[0][0]["callback_data"].replace("r:r:", "r:a:")
    assert "chưa rõ đơn vị" in (await admin.press(request.message_id, forged)).text
    rejected = await admin.press(request.message_id, buttons(request)["❌ Từ chối"])
    assert rejected.text == "Đã từ chối yêu cầu đăng ký của Người Lạ."
    before = len(newcomer.inbox())
    await bot.dispatch_now()
    assert "chưa được cán bộ công đoàn chấp thuận" in newcomer.inbox()[before].text
