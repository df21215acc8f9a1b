"""The weekly summary's chart: one stacked bar per task (or per child unit), as a PNG.

Officers open it on a phone, so it is laid out for a narrow screen: 1,080 px wide, each bar
under its own full-width label line (name on the left, units done and the completion rate on
the right), the count of units written inside each coloured segment, and the height growing
with the bars. Past `MAX_BARS` bars the rest are left out and named as «và N mục khác».

The bars are 100 % stacked (a task over 12 units and one over 300 read alike at a glance);
the numbers in the segments are units, not percentages. Colours are the officers' usual
ones: green done on time, orange done late, blue in progress, red overdue, grey no report;
«vướng mắc» (purple) gets a segment and a legend entry only when some bar has it.

matplotlib is imported inside `render_chart` (its first import takes about a second): the
bot and the command line load this module without paying for it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from schedules.status import STATUS_ORDER, Status

WIDTH_PX = 1080
DPI = 100  # 1 pt = 1.39 px: the fonts below are sized for a 1080 px wide phone screen
MAX_BARS = 25
ROW_PX = 120  # a label line and its bar
HEADER_PX = 150  # title and subtitle
LEGEND_ROW_PX = 42
FOOTER_PX = 70
SIDE_PX = 30
MAX_LABEL_CHARS = 44
MIN_SEGMENT_PX = 44  # narrower segments carry no number (it would not fit)

COLOURS: Mapping[Status, str] = {
    Status.DONE_ON_TIME: "#2e7d32",  # green
    Status.DONE_LATE: "#ef6c00",  # orange
    Status.IN_PROGRESS: "#1565c0",  # blue
    Status.BLOCKED: "#6a1b9a",  # purple
    Status.OVERDUE: "#c62828",  # red
    Status.NO_REPORT: "#8d8d8d",  # grey
}
DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar: a task's short label (`CV 490/LĐLĐ, mục 3`) or a child unit's name, and how
    many units stand in each status (statuses left out count as 0)."""

    label: str
    counts: Mapping[Status, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return sum(self.counts.get(status, 0) for status in DONE)


@dataclass(frozen=True, slots=True)
class SummaryChart:
    """What the chart shows; bars are drawn top to bottom in the order given (worst first is
    the caller's choice)."""

    title: str
    subtitle: str  # the branch and the date, say
    bars: Sequence[ChartBar]


def chart_size(bar_count: int) -> tuple[int, int]:
    """(width, height) in pixels of the chart for this many bars."""
    shown = min(bar_count, MAX_BARS)
    return WIDTH_PX, _height(shown, legend_rows=3, footer=True)


def _height(rows: int, *, legend_rows: int, footer: bool) -> int:
    return HEADER_PX + legend_rows * LEGEND_ROW_PX + max(rows, 1) * ROW_PX + FOOTER_PX * footer


def render_chart(chart: SummaryChart) -> bytes:
    """The chart as PNG bytes, exactly `chart_size(len(chart.bars))` pixels."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    bars = list(chart.bars[:MAX_BARS])
    hidden = len(chart.bars) - len(bars)
    width, height = chart_size(len(chart.bars))
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")

    def y(px_from_top: float) -> float:
        return 1 - px_from_top / height

    figure.text(SIDE_PX / width, y(20), _cut(chart.title, 48), fontsize=25, weight="bold", va="top")
    figure.text(
        SIDE_PX / width, y(78), _cut(chart.subtitle, 70), fontsize=19, color="#444444", va="top"
    )
    statuses = _shown_statuses(bars)
    figure.legend(
        handles=[Patch(color=COLOURS[status], label=status.label) for status in statuses],
        loc="upper left",
        bbox_to_anchor=(SIDE_PX / width - 0.01, y(HEADER_PX - 16)),
        ncol=2,
        frameon=False,
        fontsize=17,
        handlelength=1.2,
        columnspacing=1.2,
    )
    rows_px = max(len(bars), 1) * ROW_PX
    bottom_px = FOOTER_PX
    axes = figure.add_axes(
        (SIDE_PX / width, bottom_px / height, 1 - 2 * SIDE_PX / width, rows_px / height)
    )
    axes.set_xlim(0, 100)
    axes.set_ylim(max(len(bars), 1), 0)
    axes.axis("off")
    px_per_unit = (width - 2 * SIDE_PX) / 100
    for row, bar in enumerate(bars):
        _draw_bar(axes, row, bar, statuses, px_per_unit)
    if not bars:
        axes.text(0, 0.5, "Chưa có việc nào để thống kê.", fontsize=20, va="center")
    if hidden:
        figure.text(
            SIDE_PX / width,
            24 / height,
            f"… và {hidden} mục khác (xem tệp Excel)",
            fontsize=18,
            color="#444444",
            va="center",
        )
    buffer = io.BytesIO()
    # Telegram re-encodes a photo for the people who see it: fast compression is enough here.
    figure.savefig(
        buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1}
    )
    return buffer.getvalue()


def _shown_statuses(bars: Sequence[ChartBar]) -> list[Status]:
    blocked = any(bar.counts.get(Status.BLOCKED, 0) for bar in bars)
    return [status for status in STATUS_ORDER if status is not Status.BLOCKED or blocked]


def _draw_bar(
    axes: Any, row: int, bar: ChartBar, statuses: Sequence[Status], px_per_unit: float
) -> None:
    total = bar.total
    axes.text(0, row + 0.24, _cut(bar.label, MAX_LABEL_CHARS), fontsize=20, va="center")
    rate = f"{round(100 * bar.done / total)}%" if total else "—"
    axes.text(
        100,
        row + 0.24,
        f"xong {bar.done}/{total} · {rate}",
        fontsize=19,
        va="center",
        ha="right",
        weight="bold",
        color="#222222",
    )
    centre, thickness = row + 0.66, 0.44
    if not total:
        axes.barh(centre, 100, height=thickness, color="#eeeeee", edgecolor="#bbbbbb")
        return
    left = 0.0
    for status in statuses:
        count = bar.counts.get(status, 0)
        if count <= 0:
            continue
        share = 100 * count / total
        axes.barh(
            centre,
            share,
            left=left,
            height=thickness,
            color=COLOURS[status],
            edgecolor="white",
            linewidth=1.5,
        )
        if share * px_per_unit >= MIN_SEGMENT_PX:
            axes.text(
                left + share / 2,
                centre,
                str(count),
                fontsize=18,
                weight="bold",
                color="white",
                ha="center",
                va="center",
            )
        left += share


@cache
def drawable_characters() -> frozenset[int]:
    """The code points matplotlib's bundled DejaVu Sans can draw (Vietnamese included)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return frozenset(FT2Font(path).get_charmap())


def _cut(text: str, limit: int) -> str:
    """The text on one line, within `limit` characters, without what the font cannot draw
    (an emoji in a unit's name would be an empty box and a warning)."""
    drawable = drawable_characters()
    text = " ".join("".join(c for c in text if ord(c) in drawable or c.isspace()).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
