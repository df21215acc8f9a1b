"""Reading a two-page directive: the median time per read of its text and of its Word file,
against the issue's target of 50 ms (an officer waits for the reading in chat); and through
OCR (where Tesseract is installed): a scanned page and a phone photo (target 3 s a page), and
the share of the five seeds' fields their scans give against their texts (target 90%)."""

from __future__ import annotations

import io
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.results import Result, at_least, at_most
from schedules.directive import read_document, read_text

# Công văn 183/LĐLĐ: about 5,400 characters, two printed pages, with footnotes, a blank
# day in its date, cited documents and relative deadlines: every path of the reader.
TWO_PAGES = Path(__file__).resolve().parents[1] / "tests/data/seeds/002_1822fabbf9468a64.txt"
ITERATIONS = 200
WARM_UP = 5  # the first read loads the holiday tables and compiles the patterns
TARGET_MS = 50.0
# Công văn 490/LĐLĐ's first page (header, addressees, items 1-2), for OCR.
ONE_PAGE = "004_3fbaa7aed5e606d2.txt"
OCR_RUNS = 3
OCR_TARGET_S = 3.0


def _docx(text: str) -> bytes:
    """The same directive as a Word file, one paragraph per line."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def median_ms(
    read: Callable[[], object], iterations: int = ITERATIONS, warm_up: int = WARM_UP
) -> float:
    """The median wall time of one call, in milliseconds, after a short warm-up."""
    for _ in range(warm_up):
        read()
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def ocr_seconds(read: Callable[[], object]) -> tuple[float, float]:
    """The median wall time of a read, and its mean CPU time with Tesseract's (a child
    process): on a shared machine the wall time waits for the cores, the CPU time does not."""
    started = _cpu()
    wall = median_ms(read, OCR_RUNS, 0) / 1000
    return wall, (_cpu() - started) / OCR_RUNS


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ocr_results() -> list[Result]:
    """A scanned page and a photo of seed 490's first page, read three times each, and the
    seeds' scans against their texts (tests/scans.py renders them)."""
    from schedules.directive.ocr import available
    from tests.scans import (
        FIELDS,
        missed_fields,
        phone_photo,
        render_pages,
        scanned_pdf,
        seed_scan_reading,
    )
    from tests.schedules.directive_files import seed_expectations, seed_text

    if not available():
        print("OCR: Tesseract with its vie model is not installed here; no OCR figures")
        return []
    page = render_pages(seed_text(ONE_PAGE))[0]
    scan, photo = scanned_pdf([page]), phone_photo(page)
    names = [entry["file"] for entry in seed_expectations()]
    missed = sum(
        len(missed_fields(read_text(seed_text(name)), seed_scan_reading(name))) for name in names
    )
    share = 100 * (1 - missed / (len(FIELDS) * len(names)))
    results = []
    for name, read in (
        ("parse scanned page (OCR)", lambda: read_document(scan, "scan.pdf")),
        ("parse phone photo (OCR)", lambda: read_document(photo, None)),
    ):
        wall, cpu = ocr_seconds(read)
        results.append(at_most(name, wall, "s", OCR_TARGET_S))
        results.append(at_most(f"{name}, CPU of bot and Tesseract", cpu, "s", OCR_TARGET_S))
    return [
        *results,
        at_least("OCR of the 5 seeds: fields as read from text", share, "%", 90.0),
    ]


def run() -> list[Result]:
    text = TWO_PAGES.read_text("utf-8")
    word = _docx(text)
    return [
        at_most("parse text (2 pages)", median_ms(lambda: read_text(text)), "ms", TARGET_MS),
        at_most(
            "parse docx (2 pages)",
            median_ms(lambda: read_document(word, "cv.docx")),
            "ms",
            TARGET_MS,
        ),
        *ocr_results(),
    ]
