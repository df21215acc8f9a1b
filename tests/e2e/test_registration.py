"""Registration over the sandbox, on Telegram and on Zalo: a stranger is told how to
register, a wrong or used invite code changes nothing, a chair registers with a code
(`/start CODE` on Telegram, `MA CODE` on Zalo, or the code alone on both), and an officer
approves a newcomer whose phone the roster does not have — the officer on either platform,
choosing between the newcomer and the chair the roster already names.
(Registration by the shared phone is Telegram's contact key: tests/e2e/test_thin_path.py.
Every turn of the conversation is tested in process: tests/handlers/.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from storage.engine import Database
from storage.models import ChannelAccount
from tests.e2e.platforms import Platform, load_roster, officer_on
from tests.factories import Person, invite_code

pytestmark = pytest.mark.e2e


def registered(db: Database) -> set[int]:
    """The people some account of the bot's is bound to."""
    with db.session() as session:
        bound = session.scalars(select(ChannelAccount.person_id)).all()
    return {person for person in bound if person is not None}


async def test_a_chair_registers_with_an_invite_code(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    platform: Platform,
    db: Database,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    an = platform.chat(201, "Nguyễn Văn An")
    binh = platform.chat(202, "Lê Thị Bình")

    welcome = (await an.say("xin chào")).text or ""
    assert "chưa đăng ký" in welcome
    if platform.zalo:  # no contact key on Zalo: the code is the only way in
        assert "MA ABCD234567" in welcome and "số điện thoại" not in welcome
    else:
        assert "/start MÃ_MỜI" in welcome and "chia sẻ số điện thoại" in welcome
    wrong = (await an.say("MA ZZZZ234567")).text or ""
    assert "Mã mời «ZZZZ234567» không đúng" in wrong
    unknown_yet = (await an.say("xong")).text or ""
    assert "chưa đăng ký" in unknown_yet
    assert len(registered(db)) == 1  # the officer only

    greeting = (await an.register(officer, "CDCS-01")).text or ""
    assert "Xin chào anh/chị Nguyễn Văn An!" in greeting
    assert "Chủ tịch CĐCS Trường THCS Bình Lư (mã CDCS-01)" in greeting
    assert "Chủ tịch CĐCS Trường THCS Bình Lư" in ((await an.say("/toi")).text or "")

    code = invite_code((await officer.say("/moi CDCS-02")).text or "")
    assert "Lê Thị Bình" in ((await binh.say(code.lower())).text or "")  # the code alone
    used = (await platform.chat(203, "Người khác").say(f"MA {code}")).text or ""
    assert f"Mã mời «{code}» đã được dùng" in used
    assert len(registered(db)) == 3


async def test_an_officer_approves_a_newcomer_the_roster_does_not_know(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    sandbox: SandboxServer,
    platform: Platform,
) -> None:
    """The officer is on `platform`; the newcomer is on Telegram, since only Telegram's
    contact key gives the bot a phone number to look up (on Zalo a newcomer needs a code)."""
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    # The province's officer, above the district: asked too, and told who decided.
    province = Person(sandbox, 302, "Trần Thị Hoa", phone="0912000001")
    assert "Cán bộ LĐLĐ tỉnh Lai Châu" in ((await province.share_phone()).text or "")
    newcomer = Person(sandbox, 301, "Hoàng Văn Mới", phone="0987654321")

    asked = (await newcomer.share_phone()).text or ""
    assert "chưa có trong danh sách" in asked and "họ và tên đầy đủ" in asked
    named = (await newcomer.say("hoàng văn mới")).text or ""
    assert named.startswith("Cảm ơn anh/chị Hoàng Văn Mới.") and "mã đơn vị" in named
    waiting = (await newcomer.say("truong thcs binh lu")).text or ""
    assert "Đã gửi yêu cầu đăng ký về đơn vị CĐCS Trường THCS Bình Lư" in waiting

    before, asked_province = len(officer.inbox()), len(province.inbox())
    await two_channel_bot.dispatch_now()
    request = await officer.next_message(before)
    assert "Hoàng Văn Mới" in ((await province.next_message(asked_province)).text or "")
    assert "Hoàng Văn Mới" in (request.text or "")
    assert "CĐCS Trường THCS Bình Lư (mã CDCS-01)" in (request.text or "")
    # The roster names Nguyễn Văn An for the unit: the officer is asked who is right.
    conflict = await officer.choose(request, "✅ Duyệt")
    assert "Danh sách đang ghi chủ tịch CĐCS Trường THCS Bình Lư là Nguyễn Văn An" in (
        conflict.text or ""
    )
    approved = (await officer.choose(conflict, "Hoàng Văn Mới là chủ tịch mới")).text or ""
    assert approved == (
        "Đã duyệt: Hoàng Văn Mới là chủ tịch CĐCS Trường THCS Bình Lư "
        "(thay Nguyễn Văn An trong danh sách)."
    )

    before, before_province = len(newcomer.inbox()), len(province.inbox())
    await two_channel_bot.dispatch_now()
    told = (await newcomer.next_message(before)).text or ""
    decided = (await province.next_message(before_province)).text or ""
    assert "đã được anh/chị Phạm Văn Đức xử lý" in decided
    assert decided.endswith(": duyệt, thay Nguyễn Văn An trong danh sách.")
    assert told.startswith("✅ Cán bộ công đoàn đã duyệt")
    assert "Chủ tịch CĐCS Trường THCS Bình Lư" in ((await newcomer.say("/toi")).text or "")
