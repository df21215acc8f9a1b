"""Invite codes end to end (used, expired, revoked, unknown: each refused, nothing bound, the
branch's officers alerted after repeated failures) and the scope of every officer command."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from handlers.router import OFFICER_COMMANDS
from handlers.texts import NOT_ALLOWED
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, ChannelAccount, InviteCode
from tests.factories import Person, invite_code, write_roster

pytestmark = pytest.mark.e2e


@pytest.fixture
def roster(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0


def bound_person(db: Database, user_id: int) -> int | None:
    with db.session() as session:
        account = session.scalars(
            select(ChannelAccount).where(ChannelAccount.external_user_id == str(user_id))
        ).one()
        return account.person_id


async def test_used_expired_revoked_and_unknown_codes(
    roster: None,
    bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
    db: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    await officer.share_phone()
    old = invite_code((await officer.say("/moi CDCS-03")).text)
    clock.set(clock.now() + timedelta(days=31))  # the 30-day code has expired
    used = invite_code((await officer.say("/moi CDCS-03")).text)
    revoked = invite_code((await officer.say("/moi CDCS-03")).text)

    chair = Person(sandbox, 203, "Vàng A Chư")
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường" in (await chair.say(f"/start {used}")).text
    stranger = Person(sandbox, 300, "Người Lạ")
    assert "đã được dùng" in (await stranger.say(f"/start {used}")).text
    capsys.readouterr()
    assert main(["invite", "--revoke", revoked]) == 0
    assert "đã bị thu hồi" in (await stranger.say(f"/start {revoked}")).text
    assert "đã hết hạn" in (await stranger.say(f"/start {old}")).text
    assert "không đúng" in (await stranger.say("/start KHONGCOMA2")).text
    assert bound_person(db, 300) is None
    assert "chưa đăng ký" in (await stranger.say("/toi")).text
    with db.session() as session:
        states = {
            invite.code: (invite.used_at is not None, invite.revoked_at is not None)
            for invite in session.scalars(select(InviteCode))
        }
    assert states == {old: (False, False), used: (True, False), revoked: (False, True)}

    # Three refused codes of CDCS-03 within a day: the officer hears of it, once.
    before = len(officer.inbox())
    assert (await bot.dispatch_now()).sent == 1
    alert = officer.inbox()[before]
    assert "CĐCS Công ty Chè Tam Đường (mã CDCS-03) có 3 lần" in alert.text
    assert "/moi CDCS-03" in alert.text


async def test_every_officer_command_keeps_to_the_officers_branch(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    tam_duong = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    phong_tho = Person(sandbox, 101, "Hà Văn Tâm", phone="0912000004")
    for officer in (tam_duong, phong_tho):
        await officer.share_phone()
    chair = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")
    await chair.share_phone()
    stranger = Person(sandbox, 300, "Người Lạ")

    # A chair and a stranger get a short refusal for every officer command there is.
    for name in OFFICER_COMMANDS:
        assert (await chair.say(f"/{name} CDCS-01")).text == NOT_ALLOWED
        assert "chưa đăng ký" in (await stranger.say(f"/{name} CDCS-01")).text

    # Another district's units (and the province above) are answered like unknown ones.
    for code in ("CDCS-11", "LDLD-PT", "LDLD-LC"):
        assert "Không tìm thấy đơn vị" in (await tam_duong.say(f"/moi {code}")).text
        given = await tam_duong.say(f"/giaoviec {code} 10/12/2026 Báo cáo quý IV")
        assert "Không tìm thấy đơn vị" in given.text
    with db.session() as session:
        assert session.scalars(select(InviteCode)).all() == []
        assert session.scalars(select(Assignment)).all() == []
    assert "Không có mã mời" in (await tam_duong.say("/thuhoi KHONGCOMA2")).text

    # An invite code of one district cannot be revoked from the other.
    code = invite_code((await tam_duong.say("/moi CDCS-02")).text)
    assert "Không có mã mời" in (await phong_tho.say(f"/thuhoi {code}")).text
    assert "Đã thu hồi mã mời" in (await tam_duong.say(f"/thuhoi {code.lower()}")).text
    assert "đã bị thu hồi" in (await stranger.say(f"/start {code}")).text

    # Each officer's summary shows their own branch only.
    assert "cho 1 đơn vị" in (await phong_tho.say("/giaoviec 10/12/2026 Việc Phong Thổ")).text
    assert "cho 3 đơn vị" in (await tam_duong.say("/giaoviec 10/12/2026 Việc Tam Đường")).text
    mine = (await tam_duong.say("/tonghop")).text
    assert "Việc Tam Đường" in mine
    assert "Việc Phong Thổ" not in mine
    assert "Mường So" not in mine
    theirs = (await phong_tho.say("/tonghop")).text
    assert "Việc Phong Thổ" in theirs
    assert "Việc Tam Đường" not in theirs
