# mypy: disable-error-code="import-untyped"
"""Reading a roster file: a .xlsx (first sheet) or .csv, whatever its dialect, into lines of
cell texts, each with the line number the administrator sees (the header is line 1).

A file that cannot be read gives one problem at line 0, worded to say how to re-save it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from pathlib import Path

from schedules.roster_sheet.check import check_lines
from schedules.roster_sheet.columns import HEADER_SEARCH_ROWS, match_header
from schedules.roster_sheet.problems import file_problem
from storage.roster import RosterSheet

_CSV_DELIMITERS = (",", ";", "\t")
_ZERO_FORMAT = re.compile(r"0+")


def read_roster(path: Path) -> RosterSheet:
    """Read and check a .xlsx (first sheet) or .csv roster; RosterFileError lists every fault.

    The sheet returned is safe to apply in one pass (codes unique, every parent defined, no
    cycle, phones in E.164, units parent-first). A file with errors yields no rows at all: a
    half-applied roster is worse than none.
    """
    return check_lines(file_lines(path))


def file_lines(path: Path) -> list[tuple[int, list[str]]]:
    """The file as (line number, raw cell texts), whatever its format."""
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
        data = path.read_bytes()
    except FileNotFoundError:
        raise file_problem(f'Không tìm thấy tệp "{path.name}".') from None
    except OSError:
        raise file_problem(
            f'Không mở được tệp "{path.name}" (không có quyền đọc hoặc lỗi ổ đĩa).'
        ) from None
    if not data.strip():
        raise file_problem(
            f'Tệp "{path.name}" trống: không có dòng tiêu đề và không có đơn vị nào.'
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_problem(
            f'Tệp "{path.name}" thực chất là tệp Excel 97-2003 (.xls) hoặc tệp Office cũ. '
            "Hãy mở bằng Excel và chọn Lưu thành → Sổ làm việc Excel (.xlsx)."
        )
    if suffix == ".xlsx":
        return _xlsx_lines(path, data)
    if data.startswith(b"PK\x03\x04"):
        raise file_problem(
            f'Tệp "{path.name}" có đuôi .csv nhưng nội dung là tệp Excel. '
            "Hãy đổi đuôi tệp thành .xlsx rồi nhập lại."
        )
    return _csv_lines(path, data)


def _csv_lines(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_problem(
            f'Tệp "{path.name}" được lưu dạng Unicode UTF-16, không phải CSV UTF-8. '
            "Trong Excel, chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise file_problem(
            f'Tệp "{path.name}" không phải mã UTF-8 (ký tự lạ ở dòng {bad_line}), '
            "có thể đã lưu bằng bảng mã cũ (TCVN3, VNI, Windows-1258). "
            "Trong Excel, chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)."
        ) from None
    if "\x00" in text:
        raise file_problem(f'Tệp "{path.name}" không phải tệp văn bản CSV.')
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    first_line = 1
    delimiter: str | None = None
    head, _, rest = text.partition("\n")
    sep = re.fullmatch(r'"?sep=(.)"?,*;*\s*', head, re.IGNORECASE)
    if sep:  # Excel's own hint line: "sep=;"
        delimiter, text, first_line = sep.group(1), rest, 2
    if delimiter is None:
        delimiter = _guess_delimiter(text)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + first_line
            try:
                record = next(reader)
            except StopIteration:
                break
            lines.append((start, record))
    except csv.Error:
        raise file_problem(
            f'Tệp "{path.name}" không đọc được như CSV '
            f"(lỗi ở dòng {reader.line_num + first_line - 1})."
        ) from None
    return lines


def _guess_delimiter(text: str) -> str:
    """The delimiter that makes the most header names recognisable; Vietnamese Excel uses ';'."""
    sample = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    best, best_score = ",", (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        known = max((len(match_header(r)[0]) for r in records), default=0)
        widest = max((len(r) for r in records), default=0)
        if (known, widest) > best_score:
            best, best_score = delimiter, (known, widest)
    return best


def _xlsx_lines(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    # openpyxl is imported here so that importing this module stays cheap.
    import openpyxl

    broken = (
        f'Tệp "{path.name}" bị hỏng hoặc không phải tệp Excel .xlsx. '
        "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
    )
    if not data.startswith(b"PK"):
        raise file_problem(broken)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # BadZipFile, KeyError, openpyxl's and the XML parser's own errors
        raise file_problem(broken) from None
    try:
        if not workbook.worksheets:
            raise file_problem(f'Tệp "{path.name}" không có trang tính nào.')
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # a wrong stored size must not cut columns or rows off
        lines: list[tuple[int, list[str]]] = []
        try:
            for number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
                lines.append((number, [_cell_text(c.value, c.number_format) for c in row]))
        except Exception:
            raise file_problem(broken) from None
        return lines
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
