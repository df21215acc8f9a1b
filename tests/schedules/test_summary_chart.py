"""The weekly summary's chart: a PNG of the announced size, Vietnamese drawn without a
missing glyph, and its segments in the officers' colours."""

from __future__ import annotations

import io
import logging
import unicodedata
import warnings

import pytest
from PIL import Image

from schedules.status import Status
from schedules.summary_chart import (
    COLOURS,
    MAX_BARS,
    WIDTH_PX,
    ChartBar,
    SummaryChart,
    chart_size,
    drawable_characters,
    render_chart,
)

COUNTS = {
    Status.DONE_ON_TIME: 8,
    Status.DONE_LATE: 2,
    Status.IN_PROGRESS: 3,
    Status.OVERDUE: 4,
    Status.NO_REPORT: 6,
}


def chart(bar_count: int, counts: dict[Status, int] | None = None) -> SummaryChart:
    bars = [
        ChartBar(f"CV 490/LĐLĐ, mục {n}: Kết nạp đoàn viên", counts or COUNTS)
        for n in range(1, bar_count + 1)
    ]
    return SummaryChart("Tổng hợp tuần 48/2026", "LĐLĐ huyện Hương Sơn · 30/11/2026", bars)


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


@pytest.mark.parametrize("bar_count", [0, 1, 5, MAX_BARS, MAX_BARS + 12])
def test_the_png_opens_at_the_announced_size(bar_count: int) -> None:
    image = opened(render_chart(chart(bar_count)))
    assert image.size == chart_size(bar_count)
    assert image.width == WIDTH_PX


def test_height_grows_with_the_bars_and_stops_at_the_cap() -> None:
    heights = [chart_size(n)[1] for n in (1, 2, 10, MAX_BARS, MAX_BARS + 1, 200)]
    assert heights[0] < heights[1] < heights[2] < heights[3]
    assert heights[3] == heights[4] == heights[5]
    width, tallest = chart_size(200)  # Telegram's photo: w + h <= 10,000, ratio <= 20
    assert width + tallest <= 10_000 and tallest <= 20 * width


def test_vietnamese_labels_render_without_a_missing_glyph(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bars = [
        ChartBar("Công đoàn cơ sở Trường THPT Nguyễn Trãi – Ứng Hòa", COUNTS),
        ChartBar("Quỹ «Mái ấm Công đoàn»: vận động ủng hộ", {Status.BLOCKED: 1}),
    ]
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        render_chart(SummaryChart("Tổng hợp tuần: Đắk Lắk, Hưng Yên", "Ngày 30/11/2026", bars))
    complaints = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [c for c in complaints if "glyph" in c.lower() or "font" in c.lower()]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_each_status_is_drawn_in_its_colour_and_absent_ones_are_not() -> None:
    image = opened(render_chart(chart(3, {Status.DONE_ON_TIME: 5, Status.OVERDUE: 5})))
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}
    for status in (Status.DONE_ON_TIME, Status.OVERDUE, Status.NO_REPORT):
        assert hex_rgb(COLOURS[status]) in colours  # grey is in the legend
    assert hex_rgb(COLOURS[Status.BLOCKED]) not in colours  # no bar is blocked: not shown


def test_a_blocked_unit_gets_its_own_segment() -> None:
    image = opened(render_chart(chart(1, {Status.BLOCKED: 1, Status.IN_PROGRESS: 1})))
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}
    assert hex_rgb(COLOURS[Status.BLOCKED]) in colours


def test_characters_the_font_lacks_are_left_out_not_drawn_as_boxes() -> None:
    bars = [ChartBar("🏭 CĐCS Công ty May 10 ✅", COUNTS)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(SummaryChart("📊 Tổng hợp tuần 48", "🗓 30/11/2026", bars))
    assert not [w for w in caught if "glyph" in str(w.message).lower()]
    assert opened(png).size == chart_size(1)


def test_every_vietnamese_letter_is_drawable() -> None:
    """Left-out characters would otherwise hide a missing Vietnamese letter."""
    vowels = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | {"đ"}
    letters |= {letter.upper() for letter in letters}
    assert all(len(letter) == 1 for letter in letters)  # all precomposed
    assert {ord(letter) for letter in letters} <= drawable_characters()
