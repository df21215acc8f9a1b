"""Reading the text of scanned pages and photos with Tesseract and its Vietnamese model.

pytesseract (not tesserocr) calls the `tesseract` program: it needs no compiler or headers
(tesserocr builds against libtesseract), its `timeout` kills a page that takes too long, so
no scan holds a handler past a stated bound, and Tesseract's memory is its own process's,
not the handler's. The price, starting the program once per page (~0.1 s), is small beside
the page itself (~1.5 s).

Tesseract is optional: without it (or its `vie` model) a scan is answered with
`TESSERACT_MISSING`, which says what to send instead. Bounds (docs/scans.md): at most
`MAX_PAGES` pages, `PAGE_SECONDS` per page, and no new page begun after `DOCUMENT_SECONDS`.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schedules.directive.errors import DocumentError
from schedules.directive.ocr_text import clean_ocr_text

if TYPE_CHECKING:
    from PIL.Image import Image

LANGUAGE = "vie"
# A scanned directive has 1-6 pages; a long one is read to this many, and the officer told.
MAX_PAGES = 10
# One page takes 1-3 s on a 2-core machine; a page still running after this is killed.
PAGE_SECONDS = 20.0
# No page is begun after this many seconds on a document: a handler is held at most this
# plus one page (docs/scans.md).
DOCUMENT_SECONDS = 40.0
# Words Tesseract is at least this sure of (0-100) count as read.
SURE = 60.0
# A page of a letter gives at least this many sure words, and most of its words are sure;
# an upside-down page, a photo of a street or noise give few.
MIN_SURE_WORDS = 12
MIN_SURE_SHARE = 0.6
# LSTM engine, automatic layout. An official letter asks no questions: Tesseract's `?` in one
# is a misread digit (`tháng ? năm 2020` for `tháng 7`), so `?` is never proposed.
READ_CONFIG = "--oem 1 --psm 3 -c tessedit_char_blacklist=?"
# Tesseract's OpenMP threads fight over 2 cores: one thread per page is 3-4 times faster.
_THREADS = "1"

TESSERACT_MISSING = (
    "Máy chủ này chưa cài bộ đọc chữ trong ảnh (Tesseract), nên bot chưa đọc được bản scan "
    "hay ảnh chụp. Hãy gửi bản .docx, .pdf xuất từ Word, hoặc dán nội dung văn bản."
)
NOTHING_LEGIBLE = (
    "Bot không thấy chữ đọc được trong ảnh/bản scan này (có thể không phải văn bản, ảnh mờ, "
    "tối hoặc chụp nghiêng). Hãy chụp lại thẳng trang giấy, đủ sáng, rõ nét; "
    "hoặc gửi bản .docx, .pdf xuất từ Word."
)
TOO_SLOW = (
    "Bot đọc trang ảnh/bản scan này quá lâu nên đã dừng. Hãy chụp lại rõ hơn, "
    "hoặc gửi bản .docx, .pdf xuất từ Word."
)

PageLoader = Callable[[], "Image"]


@dataclass(frozen=True, slots=True)
class ScanText:
    """The text read from scanned pages: the first `pages_read` of `pages_total`."""

    text: str
    pages_read: int
    pages_total: int


@functools.cache
def available() -> bool:
    """Tesseract is installed, with its Vietnamese model."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return False
    try:
        return LANGUAGE in pytesseract.get_languages()
    except (OSError, pytesseract.TesseractError, pytesseract.TesseractNotFoundError):
        return False


def read_pages(
    pages: Sequence[PageLoader],
    *,
    budget: float = DOCUMENT_SECONDS,
    page_seconds: float = PAGE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> ScanText:
    """The text of the pages in order (each loaded only when its turn comes), within bounds.

    Pages without legible text are skipped; none legible at all is a `DocumentError`."""
    from schedules.directive.scan_image import clean, without_print

    if not available():
        raise DocumentError(TESSERACT_MISSING)
    os.environ.setdefault("OMP_THREAD_LIMIT", _THREADS)
    started = clock()
    texts: list[str] = []
    read = 0
    for index, load in enumerate(pages[:MAX_PAGES]):
        if index > 0 and clock() - started > budget:
            break
        try:
            image = clean(load())
        except DocumentError:
            if index == 0:
                raise  # the first page too small, too large or broken: say so
            read += 1
            continue  # a later page unreadable: the others still count
        try:
            text = None if without_print(image) else read_page(image, page_seconds)
        except TimeoutError as error:
            if index == 0:
                raise DocumentError(TOO_SLOW) from error
            break
        read += 1
        if text:
            texts.append(text)
    if not texts:
        raise DocumentError(NOTHING_LEGIBLE)
    return ScanText(clean_ocr_text("\n\n".join(texts)), read, len(pages))


def read_page(image: Image, seconds: float = PAGE_SECONDS) -> str | None:
    """The text of one clean page, turned upright first when Tesseract finds it sideways or
    upside down; None when it holds no legible text."""
    words = _words(image, seconds)
    if _legible(words):
        return _text(words)
    if len(words) < MIN_SURE_WORDS:  # a blank page or a picture: nothing to turn upright
        return None
    turn = _rotation(image, seconds)
    if turn:
        # OSD says how far the page is turned clockwise; PIL rotates counter-clockwise.
        words = _words(image.rotate(-turn, expand=True, fillcolor=255), seconds)
        if _legible(words):
            return _text(words)
    return None


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    confidence: float
    line: tuple[int, int, int, int]  # page, block, paragraph, line


def _words(image: Image, seconds: float) -> list[_Word]:
    import pytesseract

    try:
        data = _run(
            lambda: pytesseract.image_to_data(
                image,
                lang=LANGUAGE,
                config=READ_CONFIG,
                output_type=pytesseract.Output.DICT,
                timeout=seconds,
            )
        )
    except pytesseract.TesseractError:  # Tesseract refused the page: nothing legible on it
        return []
    words = []
    for index, text in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        if confidence < 0 or not str(text).strip():
            continue
        key = tuple(int(data[k][index]) for k in ("page_num", "block_num", "par_num", "line_num"))
        words.append(_Word(str(text), confidence, (key[0], key[1], key[2], key[3])))
    return words


def _legible(words: list[_Word]) -> bool:
    sure = [w for w in words if w.confidence >= SURE and any(c.isalnum() for c in w.text)]
    return len(sure) >= MIN_SURE_WORDS and len(sure) >= MIN_SURE_SHARE * len(words)


def _text(words: list[_Word]) -> str:
    """Words joined into lines, and a blank line between Tesseract's paragraphs."""
    lines: list[str] = []
    previous: tuple[int, int, int, int] | None = None
    for word in words:
        if previous is not None and word.line == previous:
            lines[-1] += " " + word.text
            continue
        if previous is not None and word.line[:3] != previous[:3]:
            lines.append("")
        lines.append(word.text)
        previous = word.line
    return "\n".join(lines)


def _rotation(image: Image, seconds: float) -> int:
    """Degrees the page is turned clockwise (0, 90, 180, 270), by Tesseract's OSD; 0 when it
    cannot tell (too few letters)."""
    import pytesseract

    try:
        osd = _run(
            lambda: pytesseract.image_to_osd(
                image, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=seconds
            )
        )
    except pytesseract.TesseractError:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _run(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One Tesseract run; its timeout (pytesseract raises a bare RuntimeError) as
    `TimeoutError`."""
    try:
        return call()
    except RuntimeError as error:
        if "timeout" in str(error).lower():
            raise TimeoutError(str(error)) from error
        raise
