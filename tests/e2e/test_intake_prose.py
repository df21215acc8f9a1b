"""A notice whose header is in its prose, pasted over HTTP against the sandbox on Telegram
and on Zalo: the bot reads its date and subject from the opening sentence, says the number
is missing and how to fill it; the officer types it, chooses the units and confirms.
(Filling every field, and bad values, are tested in process: tests/handlers/test_intake_fields.py.)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from storage.engine import Database
from storage.models import Directive, Task
from tests.e2e.platforms import Platform, load_roster, officer_on

pytestmark = pytest.mark.e2e

# The header in prose (no «Số:» line, no number at all), and no «Kính gửi».
NOTICE = (
    "Thông báo ngày 18/11/2026 của Ban Thường vụ Liên đoàn Lao động huyện Tam Đường về việc "
    "chăm lo Tết cho đoàn viên.\n\n"
    "Ban Thường vụ Liên đoàn Lao động huyện đề nghị các công đoàn cơ sở thực hiện:\n\n"
    "1. Lập danh sách đoàn viên có hoàn cảnh khó khăn, gửi về Liên đoàn Lao động huyện "
    "trước ngày 15/12/2026.\n\n"
    "2. Báo cáo kết quả thăm hỏi, tặng quà trong tháng 3/2027.\n"
)


async def test_an_officer_fills_the_number_a_prose_header_lacks(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    platform: Platform,
    db: Database,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    draft = (await officer.say(NOTICE)).text or ""
    assert "Không thấy số văn bản — gõ «số 68/CĐCS» để bổ sung." in draft
    assert "V/v: chăm lo Tết cho đoàn viên" in draft
    assert "Không thấy ngày ban hành" not in draft  # read from the opening sentence

    filled = await officer.say("số 25/TB-LĐLĐ")
    assert (filled.text or "").startswith("📄 TB 25/TB-LĐLĐ, ngày 18/11/2026")
    assert "Không thấy số văn bản" not in (filled.text or "")
    units = await officer.say("đơn vị tất cả")
    done = await officer.choose(units, "✅ Xác nhận")
    assert (done.text or "").startswith("✅ Đã giao TB 25/TB-LĐLĐ: 2 nhiệm vụ cho 3 đơn vị")
    with db.session() as session:
        directive = session.scalars(select(Directive)).one()
        assert (directive.number, directive.issue_date, directive.is_draft) == (
            "25/TB-LĐLĐ",
            date(2026, 11, 18),
            False,
        )
        tasks = session.scalars(select(Task).order_by(Task.item)).all()
        assert [t.deadline_rule for t in tasks] == [None, "within_month"]
