"""Demo scene: an officer pastes a notice retold without its header; the bot reads what it
can, says what it did not find and how to fill it, and the officer fills the number."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scene is handed its actor; importing bot.demo here would be circular
    from bot.demo import Actor

# A notice as a news page retells it: no «Số:», no date line, no «Kính gửi».
RETOLD_NOTICE = (
    "LĐLĐ huyện Tam Đường chăm lo Tết cho đoàn viên\n"
    "Thực hiện Kế hoạch số 112/KH-LĐLĐ ngày 01/12/2026 của Liên đoàn Lao động tỉnh, Ban "
    "Thường vụ Liên đoàn Lao động huyện đề nghị các công đoàn cơ sở lập danh sách đoàn viên "
    "có hoàn cảnh khó khăn, gửi về Liên đoàn Lao động huyện trước Tết Nguyên đán. Đồng thời "
    "đề nghị các đơn vị báo cáo kết quả thăm hỏi, tặng quà trong tháng 3/2027.\n"
)


async def reading_scene(officer: Actor, out: Callable[[str], None]) -> None:
    """Paste, see «Không thấy số văn bản — gõ …», fill it, then cancel (the story goes on)."""
    out("\n— Văn bản thuật lại, không có phần đầu chuẩn: bot đọc được gì, thiếu gì —")
    draft = await officer.say(RETOLD_NOTICE)
    if "Không thấy số văn bản — gõ «số 68/CĐCS» để bổ sung." not in draft:
        raise RuntimeError("the draft does not say the number is missing")
    filled = await officer.say("số 68/CĐCS")
    if not filled.startswith("📄 CV 68/CĐCS") or "Không thấy số văn bản" in filled:
        raise RuntimeError("the number typed did not fill the draft")
    await officer.say("hủy")


# A notice copied out of an OCR program: «1O5», «l2», «3O/7/2O27» where digits belong.
PASTED_OCR_NOTICE = (
    "LIÊN ĐOÀN LAO ĐỘNG HUYỆN TAM ĐƯỜNG\n"
    "Số: 1O5/TB-LĐLĐ\n"
    "Tam Đường, ngày l2 tháng 12 năm 2026\n"
    "THÔNG BÁO\n"
    "Kết quả kiểm tra tài chính công đoàn năm 2026\n"
    "1. Các công đoàn cơ sở báo cáo kết quả khắc phục trước ngày 3O/1/2O27.\n"
)


async def pasted_ocr_scene(officer: Actor, out: Callable[[str], None]) -> None:
    """A pasted OCR text keeps its digit slips; the bot reads the number, date and deadline."""
    out("\n— Văn bản dán từ phần mềm nhận dạng chữ, lẫn chữ O/l trong số: bot vẫn đọc đúng —")
    draft = await officer.say(PASTED_OCR_NOTICE)
    if "105/TB-LĐLĐ" not in draft or "30/01/2027" not in draft:
        raise RuntimeError("the pasted OCR text lost its number or its deadline")
    await officer.say("hủy")
