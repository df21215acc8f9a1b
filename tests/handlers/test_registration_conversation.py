"""Registration as a conversation, in process: people the roster does not know wait for an
officer's approval, and refused attempts reach the branch's officers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Appointment, ChannelAccount, Role, Unit
from storage.models import (
    Person as PersonRow,
)
from storage.registration_tables import RegistrationRequest, RequestState
from tests.factories import PROVINCE_ROSTER
from tests.handlers.harness import Chat, World, buttons


@pytest.fixture
def roster(world: World) -> None:
    world.import_roster()


def registered_officers(world: World) -> tuple[Chat, Chat]:
    """Phạm Văn Đức (LĐLĐ huyện Tam Đường) and Hà Văn Tâm (LĐLĐ huyện Phong Thổ)."""
    tam_duong = world.person(100, "Phạm Văn Đức", phone="0912000003")
    phong_tho = world.person(101, "Hà Văn Tâm", phone="0912000004")
    for officer in (tam_duong, phong_tho):
        assert "Cán bộ" in officer.shares_contact().text
    return tam_duong, phong_tho


def test_unknown_number_is_approved_by_the_branch_officer(
    roster: None, world: World, db: Database
) -> None:
    tam_duong, phong_tho = registered_officers(world)
    newcomer = world.person(300, "Hoàng Văn Mới")

    asked = newcomer.shares_contact("0987 654 321")
    assert "chưa có trong danh sách" in asked.text
    assert "họ và tên đầy đủ" in asked.text  # not the platform's display name
    assert "mã đơn vị" in newcomer.says("Hoàng Văn Mới").text
    # Typed without diacritics, a part of the name is enough when it names one unit.
    waiting = newcomer.says("truong thcs binh lu")
    assert "Đã gửi yêu cầu đăng ký về đơn vị CĐCS Trường THCS Bình Lư" in waiting.text
    assert "chờ" in newcomer.says("xong").text  # nothing happens until someone decides

    officer_inbox, other_inbox = len(tam_duong.inbox), len(phong_tho.inbox)
    assert len(world.deliver()) == 1
    assert len(phong_tho.inbox) == other_inbox  # another district hears nothing
    request = tam_duong.inbox[officer_inbox]
    assert "Hoàng Văn Mới" in request.text
    assert "0987 654 321" in request.text  # within the officer's scope, the number is shown
    assert "CĐCS Trường THCS Bình Lư (mã CDCS-01)" in request.text
    choices = buttons(request)
    assert set(choices) == {"✅ Duyệt", "❌ Từ chối"}

    # A forged press from another district's officer, or from the newcomer, changes nothing.
    assert "không thuộc phạm vi" in phong_tho.taps(choices["✅ Duyệt"]).text
    assert "chỉ dành cho cán bộ" in newcomer.taps(choices["✅ Duyệt"]).text
    assert "không còn hiệu lực" in tam_duong.taps("r:a:99999").text
    assert "không còn hiệu lực" in tam_duong.taps("r:x").text
    with db.session() as session:
        assert session.scalars(select(RegistrationRequest)).one().state == RequestState.PENDING

    # The roster names Nguyễn Văn An as the unit's chair: the officer says who is right.
    conflict = tam_duong.taps(choices["✅ Duyệt"])
    assert "Danh sách đang ghi chủ tịch CĐCS Trường THCS Bình Lư là Nguyễn Văn An" in (
        conflict.text
    )
    assert set(buttons(conflict)) == {"Giữ Nguyễn Văn An", "Hoàng Văn Mới là chủ tịch mới"}
    approved = tam_duong.taps(buttons(conflict)["Hoàng Văn Mới là chủ tịch mới"])
    assert approved.text == (
        "Đã duyệt: Hoàng Văn Mới là chủ tịch CĐCS Trường THCS Bình Lư "
        "(thay Nguyễn Văn An trong danh sách)."
    )
    before = len(newcomer.inbox)
    assert len(world.deliver()) == 1
    told = newcomer.inbox[before]
    assert told.text.startswith("✅ Cán bộ công đoàn đã duyệt")
    assert "Chủ tịch CĐCS Trường THCS Bình Lư" in newcomer.says("/toi").text
    # A second press on the same request (or by a second officer) is stale.
    stale = tam_duong.taps(choices["❌ Từ chối"])
    assert "Yêu cầu đăng ký của Hoàng Văn Mới đã được anh/chị duyệt lúc" in stale.text
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
    late = world.person(301, "Người Thứ Hai")
    late.shares_contact("0987 000 111")
    late.says("Người Thứ Hai")
    assert "đã có chủ tịch đăng ký" in late.says("CDCS-01").text
    assert len(world.deliver()) == 0


def test_rejection_is_told_politely(roster: None, world: World, db: Database) -> None:
    tam_duong, _ = registered_officers(world)
    newcomer = world.person(300, "Lò Thị Lạ")
    newcomer.shares_contact("0987654321")
    newcomer.says("Lò Thị Lạ")
    assert "Sơn Bình" in newcomer.says("cdcs-02").text
    before = len(tam_duong.inbox)
    world.deliver()
    request = tam_duong.inbox[before]
    rejected = tam_duong.taps(buttons(request)["❌ Từ chối"])
    assert rejected.text == "Đã từ chối yêu cầu đăng ký của Lò Thị Lạ."
    before = len(newcomer.inbox)
    world.deliver()
    assert "chưa được cán bộ công đoàn chấp thuận" in newcomer.inbox[before].text
    assert "chưa đăng ký" in newcomer.says("xong").text
    with db.session() as session:
        account = session.scalars(
            select(ChannelAccount).where(ChannelAccount.external_user_id == "300")
        ).one()
        assert account.person_id is None
        assert (
            session.scalars(select(PersonRow).where(PersonRow.phone == "+84987654321")).all() == []
        )


def test_unknown_unit_is_asked_twice_then_goes_to_the_administrators(
    roster: None, world: World, db: Database
) -> None:
    registered_officers(world)
    newcomer = world.person(300, "Người Lạ")
    newcomer.shares_contact("0987654321")
    newcomer.says("Người Lạ")
    several = newcomer.says("cdcs")
    assert "Có 4 đơn vị khớp" in several.text
    assert "CDCS-11" in several.text
    assert "Không tìm thấy đơn vị «Công ty ABC»" in newcomer.says("Công ty ABC").text
    # The roster has no administrator with the bot: the person is told to ask in person.
    answer = newcomer.says("Công ty ABC")
    assert "liên hệ trực tiếp cán bộ công đoàn" in answer.text
    assert len(world.deliver()) == 0
    with db.session() as session:
        request = session.scalars(select(RegistrationRequest)).one()
        assert request.state == RequestState.CANCELLED
    assert world.outbox() == []  # nobody was asked, now or later


def test_repeated_failures_on_a_unit_alert_its_officers_once(
    roster: None, world: World, db: Database
) -> None:
    tam_duong, phong_tho = registered_officers(world)
    chair = world.person(201, "Nguyễn Văn An", phone="0912000011")
    chair.shares_contact()  # CDCS-01 now has its chair
    intruder = world.person(300, "Kẻ Lạ")
    # Someone else's card (the chair's), then twice naming a unit already bound.
    assert "của chính mình" in intruder.shares_contact("0912000011", owner=201).text
    intruder.shares_contact("0987654321")
    intruder.says("Kẻ Lạ")
    assert "đã có chủ tịch" in intruder.says("CDCS-01").text
    assert len(world.deliver()) == 0  # two failures: no alert yet
    intruder.shares_contact("0987654321")
    intruder.says("Kẻ Lạ")
    assert "đã có chủ tịch" in intruder.says("CDCS-01").text
    officer_before, other_before = len(tam_duong.inbox), len(phong_tho.inbox)
    assert len(world.deliver()) == 1
    alert = tam_duong.inbox[officer_before]
    assert "⚠️ Đơn vị CĐCS Trường THCS Bình Lư (mã CDCS-01) có 3 lần" in alert.text
    assert "0987" not in alert.text
    assert len(phong_tho.inbox) == other_before
    # A fourth failure the same day alerts nobody again.
    intruder.shares_contact("0987654321")
    intruder.says("Kẻ Lạ")
    intruder.says("CDCS-01")
    assert len(world.deliver()) == 0


def test_contact_of_a_chair_of_two_units_binds_both(world: World) -> None:
    rows = [
        *PROVINCE_ROSTER[:4],
        "CDCS-03,CĐCS Công ty Chè Tam Đường,LDLD-TU,CĐCS,Nguyễn Văn An,0912000011,,,",
    ]
    world.import_roster(rows, "two.csv")
    chair = world.person(201, "An", phone="+84 912 000 011")
    assert chair.says("/start").ask_contact
    greeting = chair.shares_contact().text
    assert "Xin chào anh/chị Nguyễn Văn An!" in greeting
    assert "Chủ tịch CĐCS Trường THCS Bình Lư (mã CDCS-01)" in greeting
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường (mã CDCS-03)" in greeting
    assert "Bot sẽ nhắc" in greeting


def test_a_replaced_chair_is_told_by_the_bot_and_unbound(
    roster: None, world: World, clock: ManualClock
) -> None:
    chair = world.person(202, "Lê Thị Bình", phone="0912000012")
    assert "Chủ tịch CĐCS Trạm Y tế Sơn Bình" in chair.shares_contact().text
    rows = [
        row.replace("Lê Thị Bình,0912000012", "Trịnh Văn Mới,0912000099") for row in PROVINCE_ROSTER
    ]
    world.import_roster(rows, "v2.csv", yes=True)  # it replaces a chair: applied with --yes
    # The command line runs on real time; the notice goes out at the first moment after it
    # that a chair may be written to (whatever the hour the test runs at).
    clock.set(world.calendar.next_sendable(datetime.now(UTC) + timedelta(minutes=1)))
    before = len(chair.inbox)
    assert len(world.deliver()) == 1
    notice = chair.inbox[before].text
    assert "không còn là chủ tịch CĐCS Trạm Y tế Sơn Bình" in notice
    assert "hủy đăng ký" in notice
    assert "chưa đăng ký" in chair.says("/toi").text
    assert len(world.deliver()) == 0  # told once
    successor = world.person(203, "Trịnh Văn Mới", phone="0912000099")
    assert "Chủ tịch CĐCS Trạm Y tế Sơn Bình" in successor.shares_contact().text


def test_unknown_unit_goes_to_a_registered_administrator(world: World) -> None:
    rows = [*PROVINCE_ROSTER, "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị"]
    world.import_roster(rows, "admin.csv")
    admin = world.person(90, "Quản Trị Viên", phone="0912000005")
    assert "Quản trị hệ thống" in admin.shares_contact().text
    newcomer = world.person(300, "Người Lạ")
    newcomer.shares_contact("0987654321")
    newcomer.says("Người Lạ")
    newcomer.says("Công ty ABC")
    assert "Đã gửi yêu cầu đăng ký tới cán bộ công đoàn" in newcomer.says("Công ty ABC").text
    before = len(admin.inbox)
    assert len(world.deliver()) == 1
    request = admin.inbox[before]
    assert "«Công ty ABC» (không có trong danh sách)" in request.text
    assert set(buttons(request)) == {"❌ Từ chối"}  # no unit: nothing to approve
    forged = request.choices[0][0].data.replace("r:r:", "r:a:")
    assert "chưa rõ đơn vị" in admin.taps(forged).text
    rejected = admin.taps(buttons(request)["❌ Từ chối"])
    assert rejected.text == "Đã từ chối yêu cầu đăng ký của Người Lạ."
    before = len(newcomer.inbox)
    world.deliver()
    assert "chưa được cán bộ công đoàn chấp thuận" in newcomer.inbox[before].text
