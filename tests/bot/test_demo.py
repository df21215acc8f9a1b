"""`nhacviec demo` plays its story to the end: a Zalo chair among the Telegram ones
registers by code and answers the reminder's numbered list by number."""

from __future__ import annotations

import pytest

from bot.demo import play
from schedules.directive.ocr import available

pytestmark = pytest.mark.e2e


async def test_the_demo_shows_a_zalo_chair() -> None:
    lines: list[str] = []
    await play(lines.append)  # raises when the bot does not behave as the story expects
    text = "\n".join(lines)
    assert "(Zalo): MA " in text
    assert "   1. ✅ Đã xong\n   2. ⏳ Đang làm\n   3. ⚠️ Vướng mắc" in text
    assert "(Zalo): 2\n" in text and "Đang làm 60%" in text
    assert "Hạn 10/12/2206 quá xa; anh/chị vui lòng nhập hạn trong vòng 10 năm" in text
    if available():  # the officer's phone photo of a letter, read by OCR (bot/demo_scans.py)
        assert "📄 CV 215/LĐLĐ, ngày 14/12/2026" in text
        assert "⚠️ Lưu ý: đọc từ ảnh/bản scan — xin kiểm tra kỹ." in text
    else:
        assert "Bỏ qua cảnh ảnh chụp văn bản" in text
