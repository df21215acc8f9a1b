"""The text layer of a PDF, with pypdf; a scan without one is read by OCR (`ocr.py`)."""

from __future__ import annotations

import io

from schedules.directive.errors import DocumentError
from schedules.directive.ocr import ScanText

PDF_LOCKED = (
    "Tệp PDF này có mật khẩu nên không đọc được. Hãy gỡ mật khẩu rồi gửi lại, hoặc gửi bản .docx."
)
PDF_BROKEN = "Tệp PDF bị hỏng, không mở được. Hãy xuất lại PDF hoặc gửi bản .docx."
# Fewer letters than this over the whole file means no real text layer (a stray page number).
_MIN_LETTERS = 20


def pdf_text(data: bytes) -> str | ScanText:
    """The text of every page in order, one line per printed line; a PDF without a text layer
    (a scan) is read by OCR, its first pages within the bounds of `ocr.py`."""
    from pypdf import PasswordType, PdfReader

    from schedules.directive.ocr import read_pages
    from schedules.directive.scan_pdf import page_loaders

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise DocumentError(PDF_LOCKED)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except DocumentError:
        raise
    except Exception as error:
        # pypdf signals a malformed file with many exception types (its own, ValueError,
        # KeyError, struct and zlib errors …); for an upload they all mean "broken".
        if "password" in str(error).lower() or "decrypt" in str(error).lower():
            raise DocumentError(PDF_LOCKED) from error
        raise DocumentError(PDF_BROKEN) from error
    if sum(char.isalpha() for char in text) < _MIN_LETTERS:
        return read_pages(page_loaders(reader))
    return text
