# mypy: disable-error-code="import-untyped"
"""Reading a roster file: a .xlsx (first sheet) or .csv, whatever its dialect, into lines of
cell texts, each with the line number the administrator sees (the header is line 1).

A file that cannot be read gives one problem for the file as a whole ("Tệp: …"), worded to
say how to re-save it. A file over `MAX_FILE_BYTES` (or a .xlsx whose parts unpack beyond
`MAX_XLSX_UNPACKED_BYTES`) is refused before it is read, and the lines are read as a stream
(never the whole text at once) and stop at `MAX_LINES`: reading has a memory bound.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from datetime import date, datetime, time
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from schedules.roster_sheet.check import check_lines
from schedules.roster_sheet.columns import (
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    MAX_LINES,
    MAX_XLSX_UNPACKED_BYTES,
    match_header,
)
from schedules.roster_sheet.problems import file_problem
from storage.roster import RosterSheet

_CSV_DELIMITERS = (",", ";", "\t")
_ZERO_FORMAT = re.compile(r"0+")

Lines = Generator[tuple[int, list[str]], None, None]


def read_roster(path: Path) -> RosterSheet:
    """Read and check a .xlsx (first sheet) or .csv roster; RosterFileError lists every fault.

    The sheet returned is safe to apply in one pass (codes unique, every parent defined, no
    cycle, phones in E.164, units parent-first). A file with errors yields no rows at all: a
    half-applied roster is worse than none.
    """
    lines = file_lines(path)
    try:
        return check_lines(lines)
    finally:
        lines.close()  # closes the file even when checking stopped half-way


def file_lines(path: Path) -> Lines:
    """The file as (line number, raw cell texts), whatever its format, read lazily.

    What can be told without reading the file (its type, its size, its first bytes) is
    checked here, before anything is read.
    """
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise file_problem(
            f'Tệp "{path.name}" là định dạng Excel 97-2003 (.xls), không đọc được. '
            "Hãy mở bằng Excel và chọn Lưu thành → Sổ làm việc Excel (.xlsx)."
        )
    if suffix not in (".xlsx", ".csv"):
        raise file_problem(
            f'Tệp "{path.name}" không đọc được: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).'
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise file_problem(
                f'Tệp "{path.name}" quá lớn ({size / 1024 / 1024:,.1f} MB): danh sách nhận tối '
                f"đa {MAX_FILE_BYTES // 1024 // 1024} MB và {MAX_LINES:,} dòng. Hãy kiểm tra lại "
                "tệp (có thể chọn nhầm tệp) hoặc chia danh sách theo từng nhánh."
            )
        with path.open("rb") as handle:
            start = handle.read(4096)
    except FileNotFoundError:
        raise file_problem(f'Không tìm thấy tệp "{path.name}".') from None
    except OSError:
        raise file_problem(
            f'Không mở được tệp "{path.name}" (không có quyền đọc hoặc lỗi ổ đĩa).'
        ) from None
    if not start.strip() and size <= len(start):
        raise file_problem(
            f'Tệp "{path.name}" trống: không có dòng tiêu đề và không có đơn vị nào.'
        )
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_problem(
            f'Tệp "{path.name}" thực chất là tệp Excel 97-2003 (.xls) hoặc tệp Office cũ. '
            "Hãy mở bằng Excel và chọn Lưu thành → Sổ làm việc Excel (.xlsx)."
        )
    if suffix == ".xlsx":
        return _xlsx_lines(path, start)
    if start.startswith(b"PK\x03\x04"):
        raise file_problem(
            f'Tệp "{path.name}" có đuôi .csv nhưng nội dung là tệp Excel. '
            "Hãy đổi đuôi tệp thành .xlsx rồi nhập lại."
        )
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_problem(
            f'Tệp "{path.name}" được lưu dạng Unicode UTF-16, không phải CSV UTF-8. '
            "Trong Excel, chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)."
        )
    return _csv_lines(path)


def _too_long(path: Path) -> Exception:
    return file_problem(
        f'Tệp "{path.name}" có hơn {MAX_LINES:,} dòng: danh sách nhận tối đa {MAX_LINES:,} '
        "dòng. Hãy kiểm tra lại tệp hoặc chia danh sách theo từng nhánh."
    )


def _csv_lines(path: Path) -> Lines:
    with path.open("rb") as handle:
        text = _text_lines(handle, path.name)
        sample = [line for _, line in zip(range(HEADER_SEARCH_ROWS + 1), text, strict=False)]
        first_line = 1
        delimiter: str | None = None
        sep = re.fullmatch(r'"?sep=(.)"?,*;*\s*', sample[0], re.IGNORECASE) if sample else None
        if sep:  # Excel's own hint line: "sep=;"
            delimiter, first_line = sep.group(1), 2
            sample = sample[1:]
        if delimiter is None:
            delimiter = _guess_delimiter(sample)

        reader = csv.reader(chain(sample, text), delimiter=delimiter)
        try:
            while True:
                start = reader.line_num + first_line
                try:
                    record = next(reader)
                except StopIteration:
                    break
                if start > MAX_LINES:
                    raise _too_long(path)
                yield start, record
        except csv.Error:
            raise file_problem(
                f'Tệp "{path.name}" không đọc được như CSV '
                f"(lỗi ở dòng {reader.line_num + first_line - 1})."
            ) from None


def _text_lines(handle: BinaryIO, name: str) -> Iterator[str]:
    """The file's lines as text, each ending in "\\n" (also after "\\r\\n" or a lone "\\r"),
    decoded one line at a time: a legacy encoding is caught at the line it starts."""
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise file_problem(
                f'Tệp "{name}" không phải mã UTF-8 (ký tự lạ ở dòng {number}), '
                "có thể đã lưu bằng bảng mã cũ (TCVN3, VNI, Windows-1258). "
                "Trong Excel, chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)."
            ) from None
        if "\x00" in text:
            raise file_problem(f'Tệp "{name}" không phải tệp văn bản CSV.')
        if "\r" in text:
            pieces = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            yield from (piece + "\n" for piece in pieces[:-1])
            if pieces[-1]:
                yield pieces[-1]
        else:
            yield text


def _guess_delimiter(sample: Iterable[str]) -> str:
    """The delimiter that makes the most header names recognisable; Vietnamese Excel uses ';'."""
    lines = list(sample)
    best, best_score = ",", (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        try:
            records = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        known = max((len(match_header(r)[0]) for r in records), default=0)
        widest = max((len(r) for r in records), default=0)
        if (known, widest) > best_score:
            best, best_score = delimiter, (known, widest)
    return best


def _xlsx_lines(path: Path, start: bytes) -> Lines:
    broken = (
        f'Tệp "{path.name}" bị hỏng hoặc không phải tệp Excel .xlsx. '
        "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
    )
    if not start.startswith(b"PK"):
        raise file_problem(broken)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise file_problem(broken) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise file_problem(
            f'Tệp "{path.name}" giải nén ra {unpacked / 1024 / 1024:,.0f} MB, quá giới hạn '
            f"{MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB của một danh sách. Hãy xoá các "
            "trang tính và hình ảnh không cần, hoặc lưu danh sách thành CSV UTF-8."
        )
    return _xlsx_rows(path, broken)


def _xlsx_rows(path: Path, broken: str) -> Lines:
    # openpyxl is imported here so that importing this module stays cheap.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # BadZipFile, KeyError, openpyxl's and the XML parser's own errors
        raise file_problem(broken) from None
    try:
        if not workbook.worksheets:
            raise file_problem(f'Tệp "{path.name}" không có trang tính nào.')
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # a wrong stored size must not cut columns or rows off
        rows = enumerate(sheet.iter_rows(min_row=1), start=1)
        while True:
            try:
                number, row = next(rows)
                cells = [_cell_text(c.value, c.number_format) for c in row]
            except StopIteration:
                break
            except Exception:
                raise file_problem(broken) from None
            if number > MAX_LINES:
                raise _too_long(path)
            yield number, cells
    finally:
        workbook.close()


def _cell_text(value: object, number_format: str | None) -> str:
    """A cell as the text the person typed: 123 stays "123", a "000" format keeps "001"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if number_format and _ZERO_FORMAT.fullmatch(number_format) and value >= 0:
            text = text.zfill(len(number_format))  # Excel's "keep leading zeros" number format
        return text
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
