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
    # A newcomer for a unit whose roster names a chair: the officer is asked who is right.
    assert "Danh sách đang ghi chủ tịch CĐCS Công ty Chè Tam Đường là Vàng A Chư" in text
    assert "[Giữ Vàng A Chư]" in text and "[Hoàng Văn Mới là chủ tịch mới]" in text
    assert (
        "Nguyễn Văn An (chủ tịch CĐCS): cảm ơn ạ\n"
        "🤖 → Nguyễn Văn An (chủ tịch CĐCS):\n   Dạ, cảm ơn anh/chị!" in text
    )
    assert "Hạn 10/12/2206 quá xa; anh/chị vui lòng nhập hạn trong vòng 10 năm" in text
    # A retold notice: the bot says what it did not find, and the officer fills it.
    assert "Không thấy số văn bản — gõ «số 68/CĐCS» để bổ sung." in text
    assert "   📄 CV 68/CĐCS" in text
    # A pasted OCR text: «1O5», «3O/1/2O27» read as the number and the deadline.
    assert "📄 TB 105/TB-LĐLĐ, ngày 12/12/2026" in text and "— hạn 30/01/2027" in text
    # Tasks that change: extended for the Zalo chair's unit, a second task cancelled.
    assert "Hạn mới của đơn vị anh/chị: 17/12/2026." in text
    assert "❌ Đã hủy việc — Việc số 2" in text
    if available():  # the officer's phone photo of a letter, read by OCR (bot/demo_scans.py)
        assert "📄 CV 215/LĐLĐ, ngày 14/12/2026" in text
        assert "⚠️ Lưu ý: đọc từ ảnh/bản scan — xin kiểm tra kỹ." in text
    else:
        assert "Bỏ qua cảnh ảnh chụp văn bản" in text
    # Down the tree and back up (bot/demo_pass_down.py).
    assert "✅ Đã giao xuống Việc số 3 cho 3 đơn vị, hạn 15/12/2026." in text
    assert "⬇️ LĐLĐ huyện Tam Đường: 2/3 đơn vị trực thuộc xong — báo cáo lên:" in text
    # The administrator steers the district's task, naming it (bot/demo_admin_pass.py).
    assert "(quản trị hệ thống): /giaoxuong LDLD-TU 2" in text
    assert "Xem tiến độ: /giaoxuong LDLD-TU." in text
