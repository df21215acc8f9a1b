"""Registration approvals that check who is asking (issue 14, item 6), in process: an unknown
number gives its full name, a unit whose roster names another chair makes the officer choose
(either way), the other officers see who decided, and /huy asks first and tells the branch's
officers."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.messages import Channel
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Appointment, ChannelAccount, Role, Unit
from storage.models import Person as PersonRow
from tests.conftest import VN
from tests.factories import invite_code
from tests.handlers.harness import Chat, World, buttons

KEEP_AN = "Giữ Nguyễn Văn An"
NEWCOMER_WINS = "Hoàng Văn Mới là chủ tịch mới"


@pytest.fixture
def officers(world: World, clock: ManualClock) -> tuple[Chat, Chat]:
    """Phạm Văn Đức (LĐLĐ huyện Tam Đường) and Trần Thị Hoa (the province above it): both
    are asked about a unit of Tam Đường."""
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    world.import_roster()
    duc = world.person(100, "Phạm Văn Đức", phone="0912000003")
    hoa = world.person(102, "Trần Thị Hoa", phone="0912000001")
    for officer in (duc, hoa):
        assert "Cán bộ" in officer.shares_contact().text
    return duc, hoa


def request_cdcs01(world: World) -> Chat:
    """A newcomer (shown on the platform as «Mới 🌸») asks to chair CĐCS-01, whose roster
    names Nguyễn Văn An, who never registered."""
    newcomer = world.person(300, "Mới 🌸")
    newcomer.shares_contact("0987654321")
    newcomer.says("Hoàng Văn Mới")
    assert "Đã gửi yêu cầu đăng ký" in newcomer.says("CDCS-01").text
    return newcomer


def current_chairs(db: Database, code: str) -> list[str]:
    with db.session() as session:
        unit = session.scalars(select(Unit).where(Unit.code == code)).one()
        return list(
            session.scalars(
                select(PersonRow.full_name)
                .join(Appointment, Appointment.person_id == PersonRow.id)
                .where(
                    Appointment.unit_id == unit.id,
                    Appointment.role == Role.CHAIR,
                    Appointment.ended_at.is_(None),
                )
            )
        )


def bound(db: Database, user_id: int) -> bool:
    with db.session() as session:
        account = session.scalars(
            select(ChannelAccount).where(ChannelAccount.external_user_id == str(user_id))
        ).one()
        return account.person_id is not None


def test_an_unknown_number_is_asked_for_its_full_name(
    officers: tuple[Chat, Chat], world: World
) -> None:
    duc, _ = officers
    newcomer = world.person(300, "Mới 🌸")
    assert "họ và tên đầy đủ" in newcomer.shares_contact("0987654321").text
    for not_a_name in ("xong", "Mới 🌸", "Nguyen Van 123", "/ " * 3, "a" * 81 + " b"):
        assert newcomer.says(not_a_name).text.startswith("Anh/chị gõ họ và tên đầy đủ")
    thanked = newcomer.says("  hoàng   văn mới ").text
    assert thanked.startswith("Cảm ơn anh/chị Hoàng Văn Mới. Anh/chị là chủ tịch công đoàn")
    newcomer.says("CDCS-02")
    before = len(duc.inbox)
    world.deliver()
    request = duc.inbox[before].text
    assert "• Họ tên: Hoàng Văn Mới" in request and "🌸" not in request


def test_an_invite_code_typed_instead_of_the_name_registers(
    officers: tuple[Chat, Chat], world: World, db: Database
) -> None:
    duc, _ = officers
    code = invite_code(duc.says("/moi CDCS-03").text)
    newcomer = world.person(300, "Mới 🌸")
    newcomer.shares_contact("0987654321")
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường" in newcomer.says(f"MA {code}").text
    assert bound(db, 300)
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường" in newcomer.says("/toi").text


def test_the_officer_keeps_the_roster_chair_and_the_other_officer_is_told(
    officers: tuple[Chat, Chat], world: World, db: Database
) -> None:
    duc, hoa = officers
    newcomer = request_cdcs01(world)
    before_duc, before_hoa = len(duc.inbox), len(hoa.inbox)
    assert len(world.deliver()) == 2  # both officers are asked
    asked = duc.inbox[before_duc]

    conflict = duc.taps(buttons(asked)["✅ Duyệt"])
    assert conflict.text == (
        "⚠️ Danh sách đang ghi chủ tịch CĐCS Trường THCS Bình Lư là Nguyễn Văn An "
        "(0912 000 011), chưa đăng ký với bot.\n"
        "Người xin đăng ký: Hoàng Văn Mới (0987 654 321).\n"
        "Ai đúng là chủ tịch hiện nay?"
    )
    assert current_chairs(db, "CDCS-01") == ["Nguyễn Văn An"]  # asking changed nothing
    assert world.deliver() == []  # nor told anyone anything

    kept = duc.taps(buttons(conflict)[KEEP_AN])
    assert kept.text == (
        "Đã giữ Nguyễn Văn An là chủ tịch CĐCS Trường THCS Bình Lư; yêu cầu của Hoàng Văn Mới "
        "không được duyệt."
    )
    assert current_chairs(db, "CDCS-01") == ["Nguyễn Văn An"]
    assert not bound(db, 300)
    told = {message.chat_id: message.text for message in world.deliver()}
    assert set(told) == {newcomer.chat_id, hoa.chat_id}  # not the officer who decided
    assert "người đã có trong danh sách" in told[newcomer.chat_id]
    assert told[hoa.chat_id] == (
        "ℹ️ Yêu cầu đăng ký của Hoàng Văn Mới (CĐCS Trường THCS Bình Lư) đã được anh/chị "
        "Phạm Văn Đức xử lý lúc 20/11/2026 09:00: giữ Nguyễn Văn An là chủ tịch CĐCS Trường "
        "THCS Bình Lư, không duyệt."
    )
    # Hoa's own buttons are late now: she is told who decided, and nothing changes.
    late = hoa.taps(buttons(hoa.inbox[before_hoa])["✅ Duyệt"])
    assert late.text == (
        "Yêu cầu đăng ký của Hoàng Văn Mới đã được anh/chị Phạm Văn Đức từ chối lúc "
        "20/11/2026 09:00."
    )
    assert current_chairs(db, "CDCS-01") == ["Nguyễn Văn An"]


def test_the_officer_puts_the_newcomer_in_the_roster_chairs_place(
    officers: tuple[Chat, Chat], world: World, db: Database
) -> None:
    duc, hoa = officers
    newcomer = request_cdcs01(world)
    before_hoa = len(hoa.inbox)
    world.deliver()
    conflict = hoa.taps(buttons(hoa.inbox[before_hoa])["✅ Duyệt"])
    # A forged choice on a request that does not exist changes nothing.
    assert "không còn hiệu lực" in hoa.taps("r:n:99999").text
    approved = hoa.taps(buttons(conflict)[NEWCOMER_WINS])
    assert approved.text == (
        "Đã duyệt: Hoàng Văn Mới là chủ tịch CĐCS Trường THCS Bình Lư "
        "(thay Nguyễn Văn An trong danh sách)."
    )
    assert current_chairs(db, "CDCS-01") == ["Hoàng Văn Mới"]
    assert bound(db, 300)
    told = {message.chat_id: message.text for message in world.deliver()}
    assert told[newcomer.chat_id].startswith("✅ Cán bộ công đoàn đã duyệt")
    assert told[duc.chat_id].startswith(
        "ℹ️ Yêu cầu đăng ký của Hoàng Văn Mới (CĐCS Trường THCS Bình Lư) đã được anh/chị "
        "Trần Thị Hoa xử lý"
    )
    assert told[duc.chat_id].endswith(": duyệt, thay Nguyễn Văn An trong danh sách.")
    # The conflict's other choice, pressed late, keeps the decision made.
    assert "đã được anh/chị duyệt lúc" in hoa.taps(buttons(conflict)[KEEP_AN]).text
    assert current_chairs(db, "CDCS-01") == ["Hoàng Văn Mới"]


def test_a_rejection_while_the_conflict_is_open_wins(
    officers: tuple[Chat, Chat], world: World, db: Database
) -> None:
    duc, hoa = officers
    request_cdcs01(world)
    before_duc, before_hoa = len(duc.inbox), len(hoa.inbox)
    world.deliver()
    conflict = duc.taps(buttons(duc.inbox[before_duc])["✅ Duyệt"])
    hoa.taps(buttons(hoa.inbox[before_hoa])["❌ Từ chối"])
    late = duc.taps(buttons(conflict)[NEWCOMER_WINS]).text
    assert late.startswith("Yêu cầu đăng ký của Hoàng Văn Mới đã được anh/chị Trần Thị Hoa từ chối")
    assert current_chairs(db, "CDCS-01") == ["Nguyễn Văn An"]
    assert not bound(db, 300)


def test_unbinding_asks_first_and_tells_the_branch_officer(
    officers: tuple[Chat, Chat], world: World, db: Database
) -> None:
    duc, hoa = officers
    an = world.person(201, "Nguyễn Văn An", phone="0912000011")
    an.shares_contact()
    asked = an.says("/huy")
    assert asked.text.startswith("Anh/chị có chắc muốn hủy đăng ký bot trên tài khoản này?")
    choices = buttons(asked)
    assert set(choices) == {"✅ Hủy đăng ký", "↩️ Không hủy"}
    assert bound(db, 201)  # asking changed nothing

    assert an.taps(choices["↩️ Không hủy"]).text.startswith("Đã giữ nguyên đăng ký")
    assert bound(db, 201) and world.deliver() == []
    # Someone else's confirmation, forged, does nothing to their own account.
    duc_data = choices["✅ Hủy đăng ký"]
    assert "không còn hiệu lực" in duc.taps(duc_data).text
    assert bound(db, 100)

    assert an.taps(choices["✅ Hủy đăng ký"]).text.startswith("Đã hủy đăng ký.")
    assert not bound(db, 201)
    told = {message.chat_id: message.text for message in world.deliver()}
    assert set(told) == {duc.chat_id, hoa.chat_id}
    assert told[duc.chat_id].startswith(
        "ℹ️ Anh/chị Nguyễn Văn An (chủ tịch CĐCS Trường THCS Bình Lư (mã CDCS-01)) đã hủy "
        "đăng ký bot trên Telegram"
    )
    # Pressed again, after the account is gone: nothing to undo, no one told twice.
    assert "chưa đăng ký nên không có gì để hủy" in an.taps(choices["✅ Hủy đăng ký"]).text
    assert world.deliver() == []


def test_unbinding_on_zalo_is_confirmed_by_number(
    officers: tuple[Chat, Chat],
    world: World,
    db: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    duc, _ = officers
    capsys.readouterr()
    assert main(["invite", "--unit", "CDCS-02"]) == 0
    binh = world.person(9202, "Lê Thị Bình", channel=Channel.ZALO)
    assert "Lê Thị Bình" in binh.says(invite_code(capsys.readouterr().out)).text
    asked = binh.says("/huy")
    assert not asked.choices
    assert asked.text.endswith("1. ✅ Hủy đăng ký\n2. ↩️ Không hủy")
    assert binh.says("2").text.startswith("Đã giữ nguyên đăng ký")
    binh.says("/huy")
    assert binh.says("1").text.startswith("Đã hủy đăng ký.")
    assert "chưa đăng ký" in binh.says("/toi").text
    told = [message.text for message in world.deliver() if message.chat_id == duc.chat_id]
    assert len(told) == 1 and "(chủ tịch CĐCS Trạm Y tế Sơn Bình (mã CDCS-02))" in told[0]
    assert "trên Zalo" in told[0]
