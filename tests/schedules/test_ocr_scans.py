"""Scanned PDFs and photos read through Tesseract: the five seeds as scans, a phone photo, an
upside-down page, and what is refused (not a letter, noise, too small, too slow, no
Tesseract). OCR takes seconds a page: the seeds are rendered and read once per session."""

from __future__ import annotations

import io

import pytest
from PIL.Image import Image

from schedules.directive import DocumentError, read_text
from schedules.directive.extract import extract_document
from schedules.directive.ocr import (
    NOTHING_LEGIBLE,
    TESSERACT_MISSING,
    TOO_SLOW,
    available,
    read_pages,
)
from schedules.directive.scan_image import load_image
from tests.scans import (
    Scan,
    image_bytes,
    missed_fields,
    needs_tesseract,
    phone_photo,
    render_pages,
    scanned_pdf,
    seed_scan_reading,
)
from tests.schedules.directive_files import seed_expectations, seed_text

EXPECTED = seed_expectations()
SEED_534 = "000_e5f7c2b34886dca7.txt"
SEED_490 = "004_3fbaa7aed5e606d2.txt"
REQUIRED_SHARE = 0.90


def first_page(name: str, scan: Scan | None = None) -> Image:
    return render_pages(seed_text(name), scan or Scan())[0]


def refusal(data: bytes) -> str:
    with pytest.raises(DocumentError) as caught:
        extract_document(data, None)
    return caught.value.message


@needs_tesseract
def test_the_five_seeds_scanned_give_at_least_90_percent_of_the_fields() -> None:
    total, missed = 0, []
    for entry in EXPECTED:
        name = entry["file"]
        scanned = seed_scan_reading(name)
        missing = missed_fields(read_text(seed_text(name)), scanned)
        total += 13
        missed += [f"{name[:3]}.{field}" for field in missing]
        cited = {r["date"] for r in entry["referenced_documents"]}
        assert not {d.date.isoformat() for d in scanned.deadlines if d.date} & cited
    share = (total - len(missed)) / total
    print(f"OCR of the five seeds: {share:.1%} of the text's fields; missed: {missed}")
    assert share >= REQUIRED_SHARE, missed


@needs_tesseract
def test_a_phone_photo_of_a_letter_is_read_and_marked_as_a_scan() -> None:
    photo = phone_photo(first_page(SEED_490, Scan(seed=5, angle=0.0)))
    extracted = extract_document(photo, None)
    assert extracted.scanned
    assert extracted.scan_note() == "đọc từ ảnh/bản scan — xin kiểm tra kỹ"
    reading = read_text(extracted.text)
    assert reading.number == "490/LĐLĐ"
    assert [task.item for task in reading.tasks][:2] == [1, 2]


@needs_tesseract
def test_an_upside_down_scan_is_turned_and_read() -> None:
    page = first_page(SEED_534)
    top = page.crop((0, 0, page.width, page.height // 2))  # the header: half the OCR time
    extracted = extract_document(image_bytes(top.rotate(180)), "scan.png")
    assert "534/LĐLĐ" in extracted.text
    assert "Kính gửi" in extracted.text


@needs_tesseract
def test_a_photo_of_something_that_is_not_a_letter_is_refused() -> None:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1600, 1200), (120, 170, 220))  # sky, hills, a sun
    draw = ImageDraw.Draw(picture)
    draw.ellipse((1200, 100, 1400, 300), fill=(250, 220, 90))
    for left in range(-200, 1600, 380):
        draw.polygon([(left, 1200), (left + 300, 600), (left + 600, 1200)], fill=(60, 130, 70))
    assert refusal(image_bytes(picture, "JPEG")) == NOTHING_LEGIBLE


@needs_tesseract
def test_an_image_of_noise_is_refused() -> None:
    import numpy as np
    from PIL import Image as PILImage

    noise = np.random.default_rng(3).integers(0, 256, (1800, 1300), dtype=np.uint8)
    assert refusal(image_bytes(PILImage.fromarray(noise))) == NOTHING_LEGIBLE


@needs_tesseract
def test_an_image_too_small_to_read_is_refused_with_its_size() -> None:
    page = first_page(SEED_534).resize((420, 594))
    assert "quá nhỏ (420×594" in refusal(image_bytes(page))


@needs_tesseract
def test_a_40_page_scan_is_read_to_its_first_pages_and_the_officer_told() -> None:
    from PIL import Image as PILImage

    letter = render_pages(seed_text(SEED_534))[:1]
    blank = PILImage.new("L", letter[0].size, 255)
    pdf = scanned_pdf([*letter, *[blank] * (40 - len(letter))])
    extracted = extract_document(pdf, "dai.pdf")
    assert (extracted.pages_read, extracted.pages_total) == (10, 40)
    assert "bot mới đọc 10 trang đầu trong 40 trang" in (extracted.scan_note() or "")
    assert read_text(extracted.text).number == "534/LĐLĐ"


@needs_tesseract
def test_no_page_is_begun_after_the_time_budget() -> None:
    tops = [page.crop((0, 0, page.width, 900)) for page in render_pages(seed_text(SEED_490))]
    loaders = [lambda page=page: load_image(image_bytes(page)) for page in tops]
    assert len(loaders) >= 2
    scan = read_pages(loaders, budget=0.0)  # the first page is always read
    assert (scan.pages_read, scan.pages_total) == (1, len(loaders))


@needs_tesseract
def test_a_page_that_takes_too_long_is_stopped() -> None:
    page = first_page(SEED_490)
    with pytest.raises(DocumentError) as caught:
        read_pages([lambda: load_image(image_bytes(page))], page_seconds=0.01)
    assert caught.value.message == TOO_SLOW


def test_without_tesseract_a_scan_is_answered_with_what_to_send(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/khong-co/tesseract")
    available.cache_clear()
    try:
        pdf = scanned_pdf([first_page(SEED_534, Scan(noise=0.0))])
        assert refusal(pdf) == TESSERACT_MISSING
        assert "Tesseract" in TESSERACT_MISSING and ".docx" in TESSERACT_MISSING
    finally:
        available.cache_clear()


def test_a_broken_image_is_refused() -> None:
    message = refusal(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert "ảnh" in message


def test_an_image_over_the_pixel_bound_is_refused_before_it_is_decoded() -> None:
    from PIL import Image as PILImage

    huge = io.BytesIO()
    PILImage.new("1", (12_000, 9_000)).save(huge, "PNG")  # 108 MP, a few KB compressed
    with pytest.raises(DocumentError) as caught:
        load_image(huge.getvalue())
    assert "quá lớn" in caught.value.message


@needs_tesseract
def test_a_photo_compressed_by_telegram_to_1280_px_is_still_read() -> None:
    """A photo sent as a photo (not as a file) arrives at most 1,280 px on its long side."""
    from PIL import Image as PILImage

    photo = PILImage.open(io.BytesIO(phone_photo(first_page(SEED_490))))
    photo.thumbnail((1280, 1280))
    reading = read_text(extract_document(image_bytes(photo, "JPEG"), None).text)
    assert (reading.number, reading.issue_date and reading.issue_date.iso()) == (
        "490/LĐLĐ",
        "2020-07-20",
    )
