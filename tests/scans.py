"""Scans and phone photos made from a text, for the OCR tests and `python -m bench parse`.

A page is the text set in DejaVu Serif at about 11 pt on A4 at 200 dpi, then turned a little,
blurred and speckled as a scanner or a phone camera leaves it, all from a seed, so a run
renders the same pixels every time. Pages wrap into an image-only PDF (what a scanner
writes) or become a JPEG photo (paper on a desk, light falling off to one side).
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from PIL.Image import Image

    from schedules.directive import Reading

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
PAGE = (1654, 2339)  # A4 at 200 dpi
MARGIN = 150
FONT_PX = 30  # 11 pt at 200 dpi
LEADING = 1.4


@dataclass(frozen=True, slots=True)
class Scan:
    """How a page is spoiled: turned `angle` degrees, blurred, with grain of `noise` (0-255)."""

    seed: int = 1
    angle: float = 1.5
    blur: float = 0.8
    noise: float = 14.0


def render_pages(text: str, scan: Scan = Scan()) -> list[Image]:
    """The text set on A4 pages, one printed line per text line (long lines wrapped)."""
    from PIL import ImageFont

    font = ImageFont.truetype(FONT, FONT_PX)
    width = PAGE[0] - 2 * MARGIN
    lines = [piece for raw in text.split("\n") for piece in _wrap(raw, font, width)]
    step = round(FONT_PX * LEADING)
    per_page = (PAGE[1] - 2 * MARGIN) // step
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    return [
        _spoil(_set(chunk, font, step), Scan(scan.seed + n, scan.angle, scan.blur, scan.noise))
        for n, chunk in enumerate(chunks)
    ]


def scanned_pdf(pages: list[Image]) -> bytes:
    """An image-only PDF, one page per image, as a scanner writes it (no text layer)."""
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=200)
    return buffer.getvalue()


def phone_photo(page: Image, *, seed: int = 7, quality: int = 85) -> bytes:
    """The page photographed on a desk: a dark border, light falling off across the sheet,
    turned a little more than a scan, saved as a phone's JPEG."""
    import numpy as np
    from PIL import Image as PILImage

    rng = np.random.default_rng(seed)
    height, width = page.height, page.width
    desk = PILImage.new("L", (width + 240, height + 240), 70)
    desk.paste(page, (120, 120))
    photo = desk.rotate(float(rng.uniform(-3.5, 3.5)), fillcolor=70, expand=False)
    light = (
        np.linspace(1.0, 0.72, photo.width)[None, :] * np.linspace(0.95, 1.0, photo.height)[:, None]
    )
    shaded = np.clip(np.asarray(photo, dtype=np.float64) * light, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    PILImage.fromarray(shaded).convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def image_bytes(image: Image, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def _wrap(raw: str, font: Any, width: int) -> list[str]:
    words = raw.split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]


def _set(lines: list[str], font: Any, step: int) -> Image:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    page = PILImage.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + number * step), line, font=font, fill=20)
    return page


def _spoil(page: Image, scan: Scan) -> Image:
    import numpy as np
    from PIL import Image as PILImage
    from PIL import ImageFilter

    rng = np.random.default_rng(scan.seed)
    turned = page.rotate(scan.angle, resample=PILImage.Resampling.BICUBIC, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(scan.blur))
    grain = rng.normal(0, scan.noise, (page.height, page.width))
    pixels = np.clip(np.asarray(blurred, dtype=np.float64) + grain, 0, 255).astype(np.uint8)
    return PILImage.fromarray(pixels)


# ----- the seeds as scans, read once per session ---------------------------------------------


@functools.cache
def seed_scan(name: str) -> bytes:
    """Seed `name` as a scanned PDF (each seed turned by its own small angle)."""
    from tests.schedules.directive_files import seed_text

    number = int(name[:3])
    scan = Scan(seed=10 * number + 1, angle=(-1.8, 1.2, 2.4, -0.8, 1.6)[number % 5])
    return scanned_pdf(render_pages(seed_text(name), scan))


@functools.cache
def seed_scan_reading(name: str) -> Reading:
    from schedules.directive import read_document

    return read_document(seed_scan(name), "scan.pdf")


@functools.cache
def corpus_scan_reading(name: str) -> Reading | None:
    """Corpus document `name` scanned (one page, turned a little, grain) and read through OCR;
    None when the reader refuses it. Rendered and read once per session."""
    from schedules.directive import DocumentError, read_document
    from tests.schedules.corpus_fields import corpus_text

    number = int(name[:3])
    scan = Scan(seed=7 * number + 3, angle=(1.4, -1.1, 2.0, -1.7, 0.9)[number % 5])
    try:
        return read_document(scanned_pdf(render_pages(corpus_text(name), scan)), "scan.pdf")
    except DocumentError:
        return None


FIELDS = (
    "kind",
    "number",
    "issuer",
    "place",
    "issue_date",
    "subject",
    "recipients",
    "task_items",
    "absolute_deadlines",
    "relative_deadlines",
    "referenced_documents",
    "signer_title",
    "signer_name",
)


def fields_of(reading: Reading) -> dict[str, object]:
    """The fields expected.json lists, from a reading, in comparable form."""
    from schedules.directive import DeadlineKind

    def deadlines(kind: DeadlineKind) -> list[tuple[int | None, str, date | None]]:
        return [(d.task_item, d.text, d.date) for d in reading.deadlines if d.kind is kind]

    return {
        "kind": reading.kind,
        "number": reading.number,
        "issuer": reading.issuer,
        "place": reading.place,
        "issue_date": reading.issue_date.iso() if reading.issue_date else None,
        "subject": reading.subject,
        "recipients": list(reading.recipients),
        "task_items": [task.item for task in reading.tasks],
        "absolute_deadlines": deadlines(DeadlineKind.ABSOLUTE),
        "relative_deadlines": deadlines(DeadlineKind.RELATIVE),
        "referenced_documents": {(r.number, r.date) for r in reading.references},
        "signer_title": reading.signer.title,
        "signer_name": reading.signer.name,
    }


def missed_fields(text: Reading, scanned: Reading) -> list[str]:
    """The fields the text reading has that the scanned reading does not give the same."""
    ours, theirs = fields_of(text), fields_of(scanned)
    return [field for field in FIELDS if ours[field] != theirs[field]]


def tesseract_ready() -> bool:
    """Tesseract and its Vietnamese model are installed here."""
    from schedules.directive.ocr import available

    return available()


# OCR tests skip only where Tesseract is absent on a developer's machine; CI installs it
# (.ci/run), so there a missing Tesseract fails them instead of skipping them.
needs_tesseract = pytest.mark.skipif(
    not os.environ.get("CI") and not tesseract_ready(),
    reason="tesseract-ocr and tesseract-ocr-vie are not installed (README: Đọc bản scan)",
)
