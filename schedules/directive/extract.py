"""From a file's bytes to its text: plain text in UTF-8 or UTF-16, Word, PDF, or a scan.

The kind is told by the bytes themselves (a PDF renamed .txt is still a PDF); the file
name is only a hint for errors. Every failure is a `DocumentError` whose Vietnamese
message says what is wrong and what to send instead. A PDF without a text layer and a
photo (JPEG, PNG, TIFF, WebP …) are read by OCR (`ocr.py`), and `Extracted` says so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from schedules.directive.errors import DocumentError
from schedules.directive.ocr import ScanText

MAX_FILE_BYTES = 20 * 1024 * 1024
# The stated bounds on reading one document (docs/scans.md): the process's peak memory grows
# by at most MEMORY_BOUND_MB (pixels and Word XML are bounded before decoding), and a
# document holds a handler at most SECONDS_BOUND (OCR: no page begun after 40 s, each page
# killed after 20 s; Word: its XML bounded to what reads in seconds).
MEMORY_BOUND_MB = 200
SECONDS_BOUND = 60

EMPTY = "Tệp trống, không có nội dung. Hãy gửi lại tệp văn bản (.docx, .pdf hoặc .txt)."
NOT_TEXT = (
    "Không đọc được tệp này: đây không phải văn bản (có thể là tệp nhị phân, tệp nén "
    "hoặc bảng mã cũ). Hãy gửi tệp .docx, .pdf có lớp chữ, hoặc .txt lưu với bảng mã UTF-8."
)
LEGACY_WORD = (
    "Tệp Word định dạng cũ (.doc) chưa đọc được. "
    "Hãy mở bằng Word và lưu thành .docx (hoặc .pdf) rồi gửi lại."
)
WORD_LOCKED = (
    "Tệp Word này có mật khẩu nên không đọc được. Hãy gỡ mật khẩu rồi gửi lại, "
    "hoặc dán nội dung văn bản."
)
BROKEN_ZIP = (
    "Tệp nén này không phải tệp Word (.docx). Hãy gửi riêng tệp văn bản .docx, .pdf hoặc .txt."
)

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
_IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
# A PDF may carry junk before its header; readers accept it within the first kilobyte.
_PDF_HEADER_WINDOW = 1024
# In UTF-16 Vietnamese most characters (ASCII, Latin-1 vowels) have a zero high byte.
_UTF16_ZERO_SHARE = 0.5
# Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROLS = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
# Share of control characters above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.01


def oversize_error(size: int) -> DocumentError:
    """The error for a file over the limit, with both sizes in MB."""
    return DocumentError(
        f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB), giới hạn là "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB. Hãy gửi bản rút gọn, bản .docx, "
        "hoặc dán phần nội dung chính."
    )


def check_size(size: int) -> None:
    """Refuse a file over `MAX_FILE_BYTES` before reading it."""
    if size > MAX_FILE_BYTES:
        raise oversize_error(size)


@dataclass(frozen=True, slots=True)
class Extracted:
    """A document's text and how it was had: `scanned` when read by OCR, of which the
    first `pages_read` of `pages_total` pages (a scan is read to a bound)."""

    text: str
    scanned: bool = False
    pages_read: int = 0
    pages_total: int = 0

    def scan_note(self) -> str | None:
        """What the officer is told about an OCR reading; None for a text layer."""
        if not self.scanned:
            return None
        note = "đọc từ ảnh/bản scan — xin kiểm tra kỹ"
        if self.pages_read < self.pages_total:
            note += f"; bot mới đọc {self.pages_read} trang đầu trong {self.pages_total} trang"
        return note


def extract_text(data: bytes, filename: str | None = None) -> str:
    """The text of a .txt, .docx or .pdf file or a scan, told apart by their first bytes."""
    return extract_document(data, filename).text


def extract_document(data: bytes, filename: str | None = None) -> Extracted:
    """The text of a file, and whether OCR read it (a scanned PDF, a photo)."""
    check_size(len(data))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DocumentError(EMPTY)
    name = (filename or "").lower()
    if _PDF_MAGIC in data[:_PDF_HEADER_WINDOW]:
        from schedules.directive.pdftext import pdf_text

        return _extracted(pdf_text(data))
    if data.startswith(_ZIP_MAGIC):
        from schedules.directive.docxtext import docx_text, is_docx

        if not is_docx(data):
            raise DocumentError(BROKEN_ZIP)
        return Extracted(docx_text(data))
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(WORD_LOCKED if _ENCRYPTED_OOXML in data else LEGACY_WORD)
    if data.startswith(_IMAGE_MAGICS) or data[8:12] == b"WEBP":
        return _extracted(read_image(data))
    if name.endswith((".pdf", ".docx", ".doc")):
        raise DocumentError(NOT_TEXT)
    return Extracted(decode_text(data))


def read_image(data: bytes) -> ScanText:
    """A photo or a scanned image read by OCR; a multi-page TIFF page by page."""
    from schedules.directive.ocr import read_pages
    from schedules.directive.scan_image import image_pages

    return read_pages(image_pages(data))


def _extracted(result: str | ScanText) -> Extracted:
    if isinstance(result, str):
        return Extracted(result)
    return Extracted(result.text, True, result.pages_read, result.pages_total)


def decode_text(data: bytes) -> str:
    """Plain text in UTF-8 (with or without BOM) or UTF-16 (with BOM, or plainly so)."""
    encoding = _encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise DocumentError(NOT_TEXT) from error
    if _looks_binary(text):
        raise DocumentError(NOT_TEXT)
    return text


def _encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a BOM: mostly ASCII, so every other byte is zero.
    even, odd = data[0::2], data[1::2]
    if len(data) % 2 == 0 and len(data) >= 2:
        if odd.count(0) > len(odd) * _UTF16_ZERO_SHARE and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) > len(even) * _UTF16_ZERO_SHARE and odd.count(0) == 0:
            return "utf-16-be"
    return "utf-8"


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    return "\x00" in text or len(_CONTROLS.findall(text)) > len(text) * _MAX_CONTROL_SHARE
