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
    # A retold notice: the bot says what it did not find, and the officer fills it.
    assert "Không thấy số văn bản — gõ «số 68/CĐCS» để bổ sung." in text
    assert "   📄 CV 68/CĐCS" in text
