"""The text of a Word .docx with python-docx: paragraphs and tables in document order.

Official headers (number, place and date) usually sit in a two-column table, and the
signer block often too, so tables are read cell by cell where they stand.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from schedules.directive.errors import DocumentError
from schedules.directive.extract import MAX_FILE_BYTES

DOCX_BROKEN = "Tệp Word (.docx) bị hỏng, không mở được. Hãy lưu lại bằng Word hoặc gửi bản .pdf."
DOCX_TOO_BIG = "Tệp Word giải nén ra quá lớn, không đọc được. Hãy gửi bản rút gọn hoặc bản .pdf."
# A .docx is a zip, and python-docx parses its XML whole: about 10 times the XML in memory
# and 1 s per MB (a 617 KB file of 165 MB XML held a handler 2 minutes and 1.8 GB). The XML
# of a 150-page directive is 2-5 MB; refuse more than MAX_XML, or more than MAX_INFLATED in
# all (pictures), before anything is expanded. The sizes are the zip's own declarations,
# which `zipfile` holds the data to: a part that inflates past its declared size is an error,
# not a bomb (docs/scans.md).
MAX_XML = 8 * 1024 * 1024
MAX_INFLATED = 3 * MAX_FILE_BYTES


def is_docx(data: bytes) -> bool:
    """A zip holding a Word main document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def docx_text(data: bytes) -> str:
    """One line per paragraph (and per line break inside one), tables cell by cell."""
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
            if xml > MAX_XML or sum(i.file_size for i in infos) > MAX_INFLATED:
                raise DocumentError(DOCX_TOO_BIG)
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _read_blocks(document, lines)
    except DocumentError:
        raise
    except Exception as error:
        # python-docx and lxml raise many types on a damaged package (KeyError, lxml's
        # XMLSyntaxError, PackageNotFoundError …); for an upload they all mean "broken".
        raise DocumentError(DOCX_BROKEN) from error
    return "\n".join(lines)


def _read_blocks(container: Any, lines: list[str]) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            _read_table(block, lines)
        else:
            lines.append(str(block.text))


def _read_table(table: Any, lines: list[str]) -> None:
    # A merged cell is returned once per grid column (and row) it spans: read it once.
    # The elements are kept, not their id(): lxml may reuse the id of a dropped proxy.
    seen: list[Any] = []
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is element for element in seen):
                continue
            seen.append(cell._tc)
            _read_blocks(cell, lines)
            lines.append("")
