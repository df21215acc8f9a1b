"""The invite sheet: one card per unit with its QR code, deep link and invite code, to print
and cut at a meeting (PDF, A4, six cards a page) or to send as a picture (PNG). With Zalo
configured too, the card has two QR codes: Telegram's deep link and the Zalo bot's link
(Zalo has no deep link with a payload, so the card says `nhắn MA CODE`)."""

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
QR_TWO_MM = 40.0  # each of two side by side (Telegram's and Zalo's)


@dataclass(frozen=True, slots=True)
class Card:
    """One unit's invite, as printed: Telegram's deep link (carries the code), Zalo's bot link
    (Zalo has no deep link with a payload: the person types `MA CODE`), or both."""

    unit_code: str
    unit_name: str
    code: str
    link: str  # https://t.me/BOT?start=CODE, or "" without Telegram
    expires: str  # dd/mm/yyyy
    zalo_link: str = ""  # the Zalo bot's public link, or "" without Zalo


@dataclass(frozen=True, slots=True)
class Line:
    """A line under the QR codes: its size in points; a link is printed blue and clickable."""

    text: str
    size: float
    bold: bool = False
    link: str = ""


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


def _codes(card: Card) -> list[tuple[str, str]]:
    """The QR codes of a card, left to right, with their platform's name."""
    return [
        (name, link) for name, link in (("Telegram", card.link), ("Zalo", card.zalo_link)) if link
    ]


def _lines(card: Card) -> tuple[str, list[Line]]:
    """The card's title and its lines under the QR codes."""
    head = [
        Line(f"Mã đơn vị: {card.unit_code}", 8.5),
        Line(f"Mã mời: {card.code}   (hết hạn {card.expires})", 8.5),
    ]
    if card.link and card.zalo_link:
        return card.unit_name, [
            *head,
            Line(f"Telegram (mã bên trái): gửi /start {card.code}", 8.5, bold=True),
            Line(f"Zalo (mã bên phải): nhắn MA {card.code}", 8.5, bold=True),
            Line(card.link, 7, link=card.link),
            Line(card.zalo_link, 7, link=card.zalo_link),
        ]
    if card.zalo_link:
        return card.unit_name, [
            *head,
            Line("Quét mã QR bằng Zalo (hoặc mở đường dẫn), rồi nhắn cho bot:", 7.5),
            Line(f"MA {card.code}", 9, bold=True),
            Line(card.zalo_link, 7.5, link=card.zalo_link),
        ]
    return card.unit_name, [
        *head,
        Line("Quét mã QR bằng điện thoại, hoặc mở Telegram và gửi cho bot:", 7.5),
        Line(f"/start {card.code}", 9, bold=True),
        Line(card.link, 7.5, link=card.link),
    ]


def _qr_places(
    start: float, width: float, count: int, one: float, two: float, gap: float
) -> tuple[float, list[float]]:
    """The QR codes' size and left edges, centred in a card `width` wide from `start`."""
    size = one if count == 1 else two
    total = count * size + (count - 1) * gap
    left = start + (width - total) / 2
    return size, [left + n * (size + gap) for n in range(count)]


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
        codes = _codes(card)
        qr, lefts = _qr_places(x, CARD_W, len(codes), QR_MM, QR_TWO_MM, 6.0)
        for (name, link), left in zip(codes, lefts, strict=True):
            pdf.image(_qr_image(link), x=left, y=qr_y, w=qr, h=qr)
            pdf.link(left, qr_y, qr, qr, link)
            if len(codes) > 1:
                pdf.set_font(family, "B", 8)
                pdf.set_xy(left, qr_y + qr)
                pdf.cell(qr, 3.6, name, align="C")
        pdf.set_xy(x + 4, qr_y + qr + (4.6 if len(codes) > 1 else 1))
        for line in lines:
            pdf.set_font(family, "B" if line.bold else "", line.size)
            if line.link:
                pdf.set_text_color(20, 60, 160)
            pdf.cell(
                CARD_W - 8,
                line.size * 0.52,
                text(line.text),
                align="C",
                new_x="LEFT",
                new_y="NEXT",
                link=line.link,
            )
            pdf.set_text_color(0, 0, 0)
    pdf.output(str(path))


def _write_png(path: Path, cards: Sequence[Card], fonts: tuple[str, str] | None) -> None:
    """All cards on one picture, two a row (for a small branch or a chat message)."""
    from PIL import Image, ImageDraw, ImageFont

    card_w, card_h = 620, 640

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
        codes = _codes(card)
        size, lefts = _qr_places(x, card_w, len(codes), 400, 270, 30)
        qr_px = int(size)
        for (name, link), left in zip(codes, lefts, strict=True):
            qr = _qr_image(link).resize((qr_px, qr_px), Image.Resampling.NEAREST)
            sheet.paste(qr, (int(left), y + 84))
            if len(codes) > 1:
                draw.text(
                    (left + qr_px / 2, y + 84 + qr_px),
                    name,
                    font=font(True, 20),
                    anchor="ma",
                    fill="black",
                )
        top = y + 84 + qr_px + (34 if len(codes) > 1 else 8)
        for under in lines:
            if under.link:  # the QR code carries it
                continue
            size_px = round(under.size * 2.4)
            draw.text(
                (x + card_w / 2, top),
                text(under.text),
                font=font(under.bold, size_px),
                anchor="ma",
                fill="black",
            )
            top += size_px + 10
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
