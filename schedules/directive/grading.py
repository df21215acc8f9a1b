"""A graded reading instead of a yes/no gate: what was found, and where, and whether the
text asks for any work at all.

Real documents reach officers as portal pages, extracts and retellings whose header is in
the prose or gone. The reader reads what it can and reports, per field, whether it came
from the printed header, from the prose, or is missing (the officer fills it in the draft).
Only a text with nothing task-like in it — a chat line, a recipe — is refused.
"""

from __future__ import annotations

import re

from schedules.directive.model import Deadline, FieldSource, Task
from schedules.folding import fold

NOTHING_TO_DO = (
    "Nội dung này không giống một văn bản chỉ đạo: bot không thấy việc nào cần giao "
    "(nhiệm vụ, đề nghị hay thời hạn). Hãy gửi công văn, kế hoạch hay thông báo (.docx, .pdf, "
    ".txt) hoặc dán toàn văn, kể cả phần đầu có số, ngày và các việc cần làm."
)

# How each sourced field is named to an officer.
FIELD_NAMES = {
    "kind": "loại văn bản",
    "number": "số văn bản",
    "issuer": "cơ quan ban hành",
    "place": "nơi ban hành",
    "issue_date": "ngày ban hành",
    "subject": "trích yếu",
    "recipients": "nơi nhận «Kính gửi»",
    "signer": "người ký",
}

# The vocabulary of union and administrative work, folded (typed with or without accents).
_WORK_WORDS = re.compile(
    r"(?<![a-z])(?:de nghi|yeu cau|trien khai|bao cao|to chuc|thuc hien|cong doan|doan vien"
    r"|don vi|chi dao|huong dan|nhiem vu|kinh gui|ke hoach|tuyen truyen|ldld|cdcs|cnvcld"
    r"|nguoi lao dong|thi dua|chi tieu)(?![a-z])"
)
# A text with tasks but no header at all must show at least this many of the words above.
_MIN_WORK_WORDS = 2


def task_like(
    text: str, tasks: tuple[Task, ...], deadlines: tuple[Deadline, ...], identity: int
) -> bool:
    """Whether the text asks for work: tasks or deadlines, and either a header fact
    (`identity` counts them) or the vocabulary of directives (a recipe has steps, not these)."""
    if not tasks and not deadlines:
        return False
    if identity > 0:
        return True
    words = {" ".join(match.split()) for match in _WORK_WORDS.findall(fold(text))}
    return len(words) >= _MIN_WORK_WORDS


def source(header: object, prose: object) -> FieldSource:
    """The source of one field given its value from the header and from the prose."""
    if header:
        return FieldSource.HEADER
    if prose:
        return FieldSource.PROSE
    return FieldSource.MISSING
