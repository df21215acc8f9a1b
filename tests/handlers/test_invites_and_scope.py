"""Invite codes as a conversation, in process (used, expired, revoked, unknown: each refused,
nothing bound, the branch's officers alerted after repeated failures), and the scope of
every officer command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.commands import COMMANDS, Access
from handlers.texts import NOT_ALLOWED
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, ChannelAccount, InviteCode
from tests.factories import invite_code
from tests.handlers.harness import World

# Every officers' command the registry has, so a new one is covered without a new line here.
OFFICER_COMMANDS = tuple(c.name for c in COMMANDS if c.access == Access.OFFICER)


@pytest.fixture
def roster(world: World) -> None:
    world.import_roster()


def bound_person(db: Database, user_id: int) -> int | None:
    with db.session() as session:
        account = session.scalars(
            select(ChannelAccount).where(ChannelAccount.external_user_id == str(user_id))
        ).one()
        return account.person_id


def test_used_expired_revoked_and_unknown_codes(
    roster: None, world: World, clock: ManualClock, db: Database
) -> None:
    officer = world.person(100, "Phạm Văn Đức", phone="0912000003")
    officer.shares_contact()
    old = invite_code(officer.says("/moi CDCS-03").text)
    clock.set(clock.now() + timedelta(days=31))  # the 30-day code has expired
    used = invite_code(officer.says("/moi CDCS-03").text)
    revoked = invite_code(officer.says("/moi CDCS-03").text)

    chair = world.person(203, "Vàng A Chư")
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường" in chair.says(f"/start {used}").text
    stranger = world.person(300, "Người Lạ")
    assert "đã được dùng" in stranger.says(f"/start {used}").text
    assert main(["invite", "--revoke", revoked]) == 0
    assert "đã bị thu hồi" in stranger.says(f"/start {revoked}").text
    assert "đã hết hạn" in stranger.says(f"/start {old}").text
    assert "không đúng" in stranger.says("/start KHONGCOMA2").text
    assert bound_person(db, 300) is None
    assert "chưa đăng ký" in stranger.says("/toi").text
    with db.session() as session:
        states = {
            invite.code: (invite.used_at is not None, invite.revoked_at is not None)
            for invite in session.scalars(select(InviteCode))
        }
    assert states == {old: (False, False), used: (True, False), revoked: (False, True)}

    # Three refused codes of CDCS-03 within a day: the officer hears of it, once.
    before = len(officer.inbox)
    assert len(world.deliver()) == 1
    alert = officer.inbox[before]
    assert "CĐCS Công ty Chè Tam Đường (mã CDCS-03) có 3 lần" in alert.text
    assert "/moi CDCS-03" in alert.text


def test_every_officer_command_keeps_to_the_officers_branch(
    roster: None, world: World, db: Database
) -> None:
    tam_duong = world.person(100, "Phạm Văn Đức", phone="0912000003")
    phong_tho = world.person(101, "Hà Văn Tâm", phone="0912000004")
    for officer in (tam_duong, phong_tho):
        officer.shares_contact()
    chair = world.person(201, "Nguyễn Văn An", phone="0912000011")
    chair.shares_contact()
    stranger = world.person(300, "Người Lạ")

    # A chair and a stranger get a short refusal for every officer command there is.
    for name in OFFICER_COMMANDS:
        assert chair.says(f"/{name} CDCS-01").text == NOT_ALLOWED
        assert "chưa đăng ký" in stranger.says(f"/{name} CDCS-01").text

    # Another district's units (and the province above) are answered like unknown ones.
    for code in ("CDCS-11", "LDLD-PT", "LDLD-LC"):
        assert "Không tìm thấy đơn vị" in tam_duong.says(f"/moi {code}").text
        given = tam_duong.gives_task(f"/giaoviec {code} 10/12/2026 Báo cáo quý IV")
        assert "Không tìm thấy đơn vị" in given.text
    with db.session() as session:
        assert session.scalars(select(InviteCode)).all() == []
        assert session.scalars(select(Assignment)).all() == []
    assert "Không có mã mời" in tam_duong.says("/thuhoi KHONGCOMA2").text

    # An invite code of one district cannot be revoked from the other.
    code = invite_code(tam_duong.says("/moi CDCS-02").text)
    assert "Không có mã mời" in phong_tho.says(f"/thuhoi {code}").text
    assert "Đã thu hồi mã mời" in tam_duong.says(f"/thuhoi {code.lower()}").text
    assert "đã bị thu hồi" in stranger.says(f"/start {code}").text

    # Each officer's summary shows their own branch only.
    assert "cho 1 đơn vị" in phong_tho.gives_task("/giaoviec 10/12/2026 Việc Phong Thổ").text
    assert "cho 3 đơn vị" in tam_duong.gives_task("/giaoviec 10/12/2026 Việc Tam Đường").text
    mine = tam_duong.says("/tonghop").text
    assert "Việc Tam Đường" in mine
    assert "Việc Phong Thổ" not in mine
    assert "Mường So" not in mine
    theirs = phong_tho.says("/tonghop").text
    assert "Việc Phong Thổ" in theirs
    assert "Việc Tam Đường" not in theirs
