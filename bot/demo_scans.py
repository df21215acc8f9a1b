"""The demo's scene for scans: the officer sends a phone photo of a paper letter, and the bot
answers with its reading, marked as read by OCR for the officer to check.

The photo is drawn here (a short letter of our own in DejaVu Serif, turned a little, light
falling off across the sheet, saved as a phone's JPEG). Where Tesseract or the font is
missing, the scene says so in one line and is skipped.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.demo import Actor, Print

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
# OCR takes a few seconds a page; this only bounds a failure.
ANSWER_SECONDS = 120.0
MARK = "đọc từ ảnh/bản scan — xin kiểm tra kỹ"

LETTER = """\
LIÊN ĐOÀN LAO ĐỘNG HUYỆN TAM ĐƯỜNG
Số: 215/LĐLĐ
V/v tổ chức Tháng Công nhân năm 2027
Tam Đường, ngày 14 tháng 12 năm 2026

Kính gửi: Các công đoàn cơ sở trực thuộc.

Ban Thường vụ LĐLĐ huyện đề nghị các công đoàn cơ sở thực hiện các nội dung sau:

1. Rà soát danh sách đoàn viên có hoàn cảnh khó khăn, gửi về LĐLĐ huyện trước
ngày 28/12/2026.

2. Xây dựng kế hoạch tổ chức Tháng Công nhân năm 2027 tại đơn vị, báo cáo kết quả
trước ngày 15/01/2027.

TM. BAN THƯỜNG VỤ
CHỦ TỊCH"""


async def scan_scene(officer: Actor, out: Print) -> None:
    """The officer photographs a letter and sends it; the draft comes back marked as OCR's,
    and the officer cancels it (the story's tasks stay as they were)."""
    if not scans_readable():
        out("\n(Bỏ qua cảnh ảnh chụp văn bản: máy này chưa cài tesseract-ocr-vie.)")
        return
    photo = letter_photo()
    out(f"\n👤 {officer.name}: [ảnh chụp công văn bằng điện thoại, {len(photo) // 1024} KB]")
    state = officer.server.state
    before = len(state.sent(officer.user_id))
    state.inject_photo(officer.user_id, photo)
    sent = await state.wait_for_sent(officer.user_id, before + 1, timeout=ANSWER_SECONDS)
    draft = sent[before]
    officer.show(draft)
    if MARK not in (draft.text or ""):
        raise RuntimeError("the reading of the photo is not marked as read from a scan")
    await officer.say("hủy")


def scans_readable() -> bool:
    """Tesseract with its Vietnamese model, and the font to draw the letter, are here."""
    from schedules.directive.ocr import available

    return available() and FONT.exists()


def letter_photo() -> bytes:
    """A phone photo of `LETTER`: a sheet on a desk, turned 1.5°, lit from one side."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 30)
    sheet = Image.new("L", (1654, 1500), 250)
    draw = ImageDraw.Draw(sheet)
    for number, line in enumerate(LETTER.splitlines()):
        draw.text((150, 120 + number * 42), line, font=font, fill=25)
    desk = Image.new("L", (sheet.width + 200, sheet.height + 200), 70)
    desk.paste(sheet, (100, 100))
    turned = desk.rotate(1.5, resample=Image.Resampling.BICUBIC, fillcolor=70)
    light = np.linspace(1.0, 0.75, turned.width)[None, :]
    pixels = np.clip(np.asarray(turned, dtype=np.float64) * light, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
