"""`nhacviec demo` plays its story to the end: a Zalo chair among the Telegram ones
registers by code and answers the reminder's numbered list by number."""

from __future__ import annotations

import pytest

from bot.demo import play

pytestmark = pytest.mark.e2e


async def test_the_demo_shows_a_zalo_chair() -> None:
    lines: list[str] = []
    await play(lines.append)  # raises when the bot does not behave as the story expects
    text = "\n".join(lines)
    assert "(Zalo): MA " in text
    assert "   1. ✅ Đã xong\n   2. ⏳ Đang làm\n   3. ⚠️ Vướng mắc" in text
    assert "(Zalo): 2\n" in text and "Đang làm 60%" in text
    assert "Hạn 10/12/2206 quá xa; anh/chị vui lòng nhập hạn trong vòng 10 năm" in text
    # Down the tree and back up (bot/demo_pass_down.py).
    assert "✅ Đã giao xuống Việc số 2 cho 3 đơn vị, hạn 15/12/2026." in text
    assert "⬇️ LĐLĐ huyện Tam Đường: 2/3 đơn vị trực thuộc xong — báo cáo lên:" in text
