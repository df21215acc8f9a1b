"""The pages of a scanned PDF (no text layer) as images for OCR.

A scanner or a phone app writes one image per page; pypdf hands it out as it is stored, so
no PDF renderer (poppler, Ghostscript) is needed. Each page's image is decoded only when OCR
reaches that page, and only after its size, read from the PDF's own dictionary, is within
`scan_image.MAX_PIXELS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schedules.directive.errors import DocumentError
from schedules.directive.scan_image import check_dimensions, prepare

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdf import PdfReader

    from schedules.directive.ocr import PageLoader

PAGE_IMAGE_BROKEN = "Trang scan này không đọc được ảnh."


def page_loaders(reader: PdfReader) -> list[PageLoader]:
    """One loader per page, in order; a loader gives the page's largest image, ready for OCR."""
    return [_loader(page) for page in reader.pages]


def _loader(page: Any) -> PageLoader:
    def load() -> Image:
        return _page_image(page)

    return load


def _page_image(page: Any) -> Image:
    from PIL import Image as PILImage

    best: tuple[int, str] | None = None
    for name, width, height in _images(page):
        check_dimensions(width, height, whole=True)  # pypdf decodes a page's image whole
        if best is None or width * height > best[0]:
            best = (width * height, name)
    if best is None:  # a page without an image: blank for OCR
        return PILImage.new("L", (1700, 2400), 255)
    try:
        image = page.images[best[1]].image
    except Exception as error:
        # pypdf and Pillow raise many types for a damaged or unsupported image stream
        # (JBIG2 without its decoder, truncated data …); for OCR the page is unreadable.
        raise DocumentError(PAGE_IMAGE_BROKEN) from error
    return prepare(image)


def _images(page: Any) -> list[tuple[str, int, int]]:
    """(name, width, height) of the images drawn directly on the page."""
    try:
        objects = page["/Resources"]["/XObject"].get_object()
    except (KeyError, TypeError, AttributeError):
        return []
    found = []
    for name in objects:
        item = objects[name].get_object()
        if item.get("/Subtype") == "/Image":
            found.append((str(name), int(item.get("/Width", 0)), int(item.get("/Height", 0))))
    return found
