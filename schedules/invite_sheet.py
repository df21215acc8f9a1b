"""The invite sheet: one card per unit with its QR code, deep link and invite code, to print
and cut at a meeting (PDF, A4, six cards a page) or to send as a picture (PNG)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schedules.folding import strip_marks

# Fonts with Vietnamese letters, tried in order; without one the text is printed without
# diacritics rather than as boxes.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/noto/NotoSans-Bold.ttf",
    ),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)
SUFFIXES = (".pdf", ".png")

COLUMNS, ROWS = 2, 3  # cards per A4 page
CARD_W, CARD_H = 95.0, 92.0  # millimetres
MARGIN_X, MARGIN_Y = 10.0, 10.5
QR_MM = 46.0


@dataclass(frozen=True, slots=True)
class Card:
    """One unit's invite, as printed."""

    unit_code: str
    unit_name: str
    code: str
    link: str
    expires: str  # dd/mm/yyyy


def write_sheet(path: Path, cards: Sequence[Card], *, font: Path | None = None) -> None:
    """Write the cards to `path` (.pdf or .png). Raises ValueError for another suffix."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        _write_pdf(path, cards, _fonts(font))
    elif suffix == ".png":
        _write_png(path, cards, _fonts(font))
    else:
        raise ValueError(f"unsupported sheet type {suffix!r}: use .pdf or .png")


def _fonts(font: Path | None) -> tuple[str, str] | None:
    if font is not None:
        return str(font), str(font)
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


def _qr_image(link: str) -> Any:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    maker = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    maker.add_data(link)
    maker.make(fit=True)
    return maker.make_image(fill_color="black", back_color="white").get_image()


def _lines(card: Card) -> tuple[str, list[str]]:
    """The card's title and its lines under the QR code."""
    return card.unit_name, [
        f"Mã đơn vị: {card.unit_code}",
        f"Mã mời: {card.code}   (hết hạn {card.expires})",
        "Quét mã QR bằng điện thoại, hoặc mở Telegram và gửi cho bot:",
        f"/start {card.code}",
    ]


def _write_pdf(path: Path, cards: Sequence[Card], fonts: tuple[str, str] | None) -> None:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Mã mời đăng ký bot Nhắc việc")
    text: Callable[[str], str] = strip_marks
    family = "helvetica"
    if fonts is not None:
        pdf.add_font("body", "", fonts[0])
        pdf.add_font("body", "B", fonts[1])
        family, text = "body", str
    per_page = COLUMNS * ROWS
    for index, card in enumerate(cards):
        if index % per_page == 0:
            pdf.add_page()
        column, row = index % COLUMNS, (index % per_page) // COLUMNS
        x, y = MARGIN_X + column * CARD_W, MARGIN_Y + row * CARD_H
        pdf.set_draw_color(160, 160, 160)
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        pdf.rect(x, y, CARD_W, CARD_H)
        pdf.set_dash_pattern()
        title, lines = _lines(card)
        pdf.set_font(family, "B", 10.5)
        pdf.set_xy(x + 4, y + 3)
        pdf.multi_cell(CARD_W - 8, 4.6, text(title), align="C", max_line_height=4.6)
        qr_y = y + 13.5
        pdf.image(_qr_image(card.link), x=x + (CARD_W - QR_MM) / 2, y=qr_y, w=QR_MM, h=QR_MM)
        pdf.link(x + (CARD_W - QR_MM) / 2, qr_y, QR_MM, QR_MM, card.link)
        pdf.set_xy(x + 4, qr_y + QR_MM + 1)
        pdf.set_font(family, "", 8.5)
        for line in lines[:2]:
            pdf.cell(CARD_W - 8, 4.4, text(line), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(family, "", 7.5)
        pdf.cell(CARD_W - 8, 4.0, text(lines[2]), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(family, "B", 9)
        pdf.cell(CARD_W - 8, 4.6, text(lines[3]), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(family, "", 7.5)
        pdf.set_text_color(20, 60, 160)
        pdf.cell(CARD_W - 8, 4.0, card.link, align="C", link=card.link)
        pdf.set_text_color(0, 0, 0)
    pdf.output(str(path))


def _write_png(path: Path, cards: Sequence[Card], fonts: tuple[str, str] | None) -> None:
    """All cards on one picture, two a row (for a small branch or a chat message)."""
    from PIL import Image, ImageDraw, ImageFont

    card_w, card_h, qr_px = 620, 640, 400

    def font(bold: bool, size: int) -> Any:
        if fonts is not None:
            return ImageFont.truetype(fonts[1] if bold else fonts[0], size)
        return ImageFont.load_default(size)

    text: Callable[[str], str] = str if fonts is not None else strip_marks
    columns = min(COLUMNS, max(len(cards), 1))
    rows = max((len(cards) + columns - 1) // columns, 1)
    sheet = Image.new("RGB", (columns * card_w, rows * card_h), "white")
    draw = ImageDraw.Draw(sheet)
    for index, card in enumerate(cards):
        x, y = (index % columns) * card_w, (index // columns) * card_h
        draw.rectangle((x + 4, y + 4, x + card_w - 5, y + card_h - 5), outline=(160, 160, 160))
        title, lines = _lines(card)
        title_font = font(True, 24)
        title_lines = _wrap(draw, text(title), title_font, card_w - 40)[:2]
        for number, line in enumerate(title_lines):
            draw.text(
                (x + card_w / 2, y + 22 + number * 30),
                line,
                font=title_font,
                anchor="ma",
                fill="black",
            )
        qr = _qr_image(card.link).resize((qr_px, qr_px), Image.Resampling.NEAREST)
        sheet.paste(qr, (x + (card_w - qr_px) // 2, y + 84))
        top = y + 84 + qr_px + 8
        for line, size, bold in zip(
            lines, (20, 20, 16, 22), (False, False, False, True), strict=True
        ):
            draw.text(
                (x + card_w / 2, top), text(line), font=font(bold, size), anchor="ma", fill="black"
            )
            top += size + 10
    sheet.save(path, format="PNG")


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]
