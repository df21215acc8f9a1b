"""Read a chair's one-line progress reply: status, percent, indicator number, reason, task.

Chairs answer reminders on phones, with or without diacritics, often wrapped in politeness
(`Dạ em xin báo cáo … ạ`). `read_reply` folds the line (see `vietnamese_text`) and runs a
few small rule tables over it, in this order, each match masking what it consumed:

1. task references (`mục 3`, `#2`, `CV 490 mục 3`, `490/LĐLĐ`);
2. the short codes the reminder advertises (`1`, `2 60`, `3 lý do`), when the line starts
   with one;
3. status phrases (`_STATUS_RULES`, most specific first, so `chưa xong` is consumed before
   `xong` could be read as done);
4. percentages; 5. politeness (`_FILLERS`); 6. the reason after (or before) a blocked
   marker; 7. indicator numbers (`kết nạp 12`, `12 đoàn viên`); 8. what is left is a note.

The reading names the rules that decided it (`ReplyReading.rule`), so whoever supports
the chairs can see why a line was read so. A line that cannot be read confidently gets
`status=unknown` and a polite Vietnamese `error` that says what was not understood and
gives the accepted forms: nothing is guessed.

Decisions where the issue is silent:
- A line with only an indicator number (`kết nạp 12`, `đã kết nạp 12 đoàn viên`) reads as
  in progress: the unit reports a figure, so the work has started, and only the chair
  can say it is finished (`kết nạp 12, xong`). Whether the target is met is the summary's
  business, which compares the figure with the officer's target.
- `chưa xong` / `chưa hoàn thành` read as in progress (started, not finished), while
  `chưa làm` / `chưa triển khai` read as not started. A bare `chưa` is questioned.
- `3` alone is blocked without a reason (note None): the conversation may ask for one.
- Percent 100 is done and 0 is not started, whatever word came with it; a decimal percent
  is rounded half up (`62,5%` → 63). `hoàn thành 60%` means 60% done (in progress), but
  `xong, 60%` contradicts itself and is questioned.
- A bare number that is not a code (`60`, `12`) is questioned: percent or count?
- A sentence about the future (`sẽ xong`, `dự kiến xong 20/11`) is not a report of done;
  alone it is questioned, beside a status it is kept as the note. `xong chưa?` is a
  question, not a report.
- Money counts: `5 triệu`, `1,5tr`, `500k`, `1.200.000 đồng` are whole numbers of đồng.
- On a refusal, `task_item` and `document_number` are still filled when the line named
  them, so the conversation can ask about the right task; nothing else is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, IntEnum, StrEnum
from fractions import Fraction
from typing import NoReturn

from handlers.vietnamese_text import FoldedText, fold

MAX_REPLY_CHARS = 1000


class ReplyStatus(StrEnum):
    """A unit's state for one task, as the chair reports it."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """The Vietnamese words shown to chairs and officers for this status."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ReplyStatus.DONE: "Đã xong",
    ReplyStatus.IN_PROGRESS: "Đang làm",
    ReplyStatus.BLOCKED: "Vướng mắc",
    ReplyStatus.NOT_STARTED: "Chưa làm",
    ReplyStatus.UNKNOWN: "Chưa rõ",
}


@dataclass(frozen=True, slots=True)
class ReplyReading:
    """What one line says. `status` is unknown exactly when `error` is set."""

    status: ReplyStatus
    percent: int | None = None
    number: int | None = None
    note: str | None = None
    task_item: int | None = None
    document_number: str | None = None
    error: str | None = None
    rule: str = ""

    @property
    def is_confident(self) -> bool:
        """True when the reading may be stored as the unit's status."""
        return self.error is None and self.status is not ReplyStatus.UNKNOWN


# --------------------------------------------------------------------------- messages

_HINT = (
    "Anh/chị vui lòng trả lời một dòng ngắn, ví dụ: «xong» (hoặc 1), «đang làm 60%» "
    "(hoặc 2 60), «vướng: thiếu kinh phí» (hoặc 3 lý do), «chưa làm», «kết nạp 12»."
)
_ERR_EMPTY = "Tin nhắn không có nội dung. " + _HINT
_ERR_TOO_LONG = (
    "Tin nhắn dài quá ({length} ký tự, tối đa 1.000). Anh/chị vui lòng gửi một dòng ngắn, "
    "ví dụ: «xong», «đang làm 60%» hoặc «vướng: thiếu kinh phí»."
)
_ERR_NO_TEXT = "Tin nhắn chỉ có biểu tượng, chưa có chữ nên chưa đọc được. " + _HINT
_ERR_PERCENT_RANGE = (
    "Tỷ lệ «{raw}» không hợp lệ: tỷ lệ phải từ 0 đến 100%. "
    "Anh/chị vui lòng gửi lại, ví dụ «đang làm 60%» hoặc «2 60»."
)
_ERR_MANY_PERCENTS = (
    "Dòng này có nhiều tỷ lệ khác nhau ({values}). "
    "Anh/chị vui lòng báo một tỷ lệ, ví dụ «đang làm 60%»."
)
_ERR_MANY_TASKS = (
    "Dòng này nhắc nhiều mục ({values}). Anh/chị vui lòng báo mỗi mục một dòng, ví dụ «mục 3 xong»."
)
_ERR_MANY_DOCUMENTS = (
    "Dòng này nhắc nhiều văn bản ({values}). Anh/chị vui lòng báo mỗi văn bản một dòng, "
    "ví dụ «CV 490 mục 3 xong»."
)
_ERR_MANY_NUMBERS = (
    "Dòng này có nhiều số liệu khác nhau ({values}). Anh/chị vui lòng báo một số liệu "
    "mỗi dòng, ví dụ «kết nạp 12»."
)
_ERR_BAD_NUMBER = (
    "Số liệu «{raw}» chưa phải số nguyên. Anh/chị vui lòng ghi số nguyên, ví dụ «kết nạp 12»."
)
_ERR_CONTRADICTION = "Dòng này vừa báo «{first}» vừa báo «{second}», nên chưa ghi nhận. " + _HINT
_ERR_QUESTION = (
    "Có vẻ anh/chị đang hỏi chứ chưa báo cáo. Nếu đã xong, anh/chị trả lời «xong» "
    "(hoặc 1); nếu đang làm, «đang làm 60%» (hoặc 2 60)."
)
_ERR_PLAN = (
    "Dòng này nói việc sẽ làm, chưa rõ hiện nay đã xong chưa. Anh/chị vui lòng báo tình "
    "hình hiện tại, ví dụ «đang làm 60%» hoặc «chưa làm»."
)
_ERR_BARE_NOT_YET = (
    "Anh/chị báo «chưa»: việc đã bắt đầu chưa? Anh/chị trả lời «chưa làm» nếu chưa bắt "
    "đầu, hoặc «đang làm 60%» nếu đang làm."
)
_ERR_AMBIGUOUS_NUMBER = (
    "Chưa rõ «{raw}» là tỷ lệ hay số lượng. Anh/chị vui lòng ghi rõ, ví dụ "
    "«đang làm {raw}%» hoặc «kết nạp {raw}»."
)
_ERR_AMBIGUOUS_COUNT = "Chưa rõ «{raw}» là số gì. Anh/chị vui lòng ghi rõ, ví dụ «kết nạp {raw}»."
_ERR_UNREADABLE = "Chưa hiểu «{quote}». " + _HINT

# ------------------------------------------------------------------------- vocabulary
# All patterns work on the folded text: lower-case ASCII, no diacritics (đ → d). In the
# phrases below a space stands for any run of whitespace (see `_phrase`).

_XONG = "(?:xong|xog|xonh|xomg|xongg|xnog|done)"
_HT = "(?:hoan thanh|hoan thah|hoan thnah|hoan than|hoanthanh|hoan tat)"
_DONE = f"(?:{_XONG}|{_HT})"
_CHUA = "(?:chua|chx)"
_KHONG = "(?:khong|ko|k|hok|hong|kg|khg|kh)"
_DUOC = "(?:duoc|dc|dk|duco)"
_DANG = "(?:dang|dag|dg|dnag|dangg)"
_ROI = "(?:roi|r|rui|roai)"
# Work verbs; `_IND_VERB` are the ones that introduce an indicator number.
_VERB = (
    "(?:lam|lm|thuc hien|trien khai|tien hanh|to chuc|hoan thien|xu ly|chuan bi|tong hop"
    "|xay dung|soan thao|soan|tuyen truyen|rieng|lam tiep)"
)
_DID_VERB = "(?:thuc hien|trien khai|tien hanh|to chuc|lam|lm)"
_IND_VERB = "(?:ket nap|kn|van dong|phat trien|thu duoc|thu dc|thanh lap)"
_PERCENT_BODY = r"(?:(?P<sign>-)(?=\d))?(?P<value>\d{1,6}(?:[.,]\d+)?)\s*(?:%|phan tram|phantram)"
_PEOPLE_UNITS = (
    "doan vien moi|doan vien|dvien|dv|ndv|nguoi|ng|lao dong|cong nhan|cnvcld|cnld|cdcs"
    "|cong doan co so|don vi|suat|phan qua|lop|buoi|cuoc|hoi nghi|dong|vnd"
)
_MULTIPLIERS = {
    "trieu": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
    "k": 10**3,
    "ty": 10**9,
    "ti": 10**9,
}
_MULT = "(?:trieu|tr|nghin|ngan|k|ty|ti)"
_NUMBER_BODY = r"(?P<num>\d{1,3}(?:\.\d{3})+(?![\d.,])|\d{1,12}(?:[.,]\d+)?)"
_TIME_UNITS = "ngay|tuan|thang|nam|hom|gio|h|phut|quy"


def _phrase(*alternatives: str) -> re.Pattern[str]:
    """Compile whole-word alternatives; a space inside a phrase matches any whitespace run.

    The mask character (NUL) is not whitespace, so a phrase never spans consumed text.
    """
    body = "|".join(alternative.replace(" ", r"\s+") for alternative in alternatives)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])", re.ASCII)


# ------------------------------------------------------------------------------ rules


class _Signal(Enum):
    """Effects of a status rule other than a plain status."""

    FROM_PERCENT = "from-percent"  # status follows the percent the rule captured
    QUESTION = "question"  # `xong chưa?`: the chair asks, does not report
    PLAN = "plan"  # `sẽ xong`: a promise, not a report
    NO_OBSTACLE = "no-obstacle"  # `không vướng gì`: says nothing about progress


@dataclass(frozen=True, slots=True)
class _StatusRule:
    """One readable line of the grammar: a name, a phrase pattern, and what it means."""

    name: str
    pattern: re.Pattern[str]
    effect: ReplyStatus | _Signal
    reason: str = ""  # "after" or "before": where this marker's reason text sits
    percent: int | None = None  # a fixed percent, for `một nửa`


_STATUS_RULES: tuple[_StatusRule, ...] = (
    _StatusRule(
        "question",
        _phrase(
            f"(?:da )?{_DONE} {_CHUA}"
            r"(?=(?:\s+(?:a|ah|anh|chi|a/c|nhi|vay|the|the a|nhe))*[\s\x00?.!]*$)"
        ),
        _Signal.QUESTION,
    ),
    _StatusRule(
        "no-obstacle",
        _phrase(f"{_KHONG} (?:co )?(?:gi )?(?:vuong(?: mac)?|kho khan|tro ngai|van de)(?: gi)?"),
        _Signal.NO_OBSTACLE,
    ),
    _StatusRule(
        "blocked-because",
        _phrase(
            f"(?:van |con )?(?:{_KHONG}|{_CHUA}) (?:the )?(?:{_VERB} )?(?:{_VERB}|{_DONE})"
            f"(?: {_DONE})?(?: {_DUOC})?(?: (?:la )?(?:vi|do|boi vi|boi|tai vi|tai|vi la)"
            r"(?![a-z0-9])|\s*:)"
        ),
        ReplyStatus.BLOCKED,
        reason="after",
    ),
    _StatusRule(
        "blocked-reason-before",
        _phrase(
            f"(?:nen|vi vay|do do|cho nen|nen la) (?:van |con )?(?:{_CHUA}|{_KHONG}) (?:the )?"
            f"(?:{_VERB}|{_DONE})(?: {_DONE})?(?: {_DUOC})?"
        ),
        ReplyStatus.BLOCKED,
        reason="before",
    ),
    _StatusRule(
        "cannot",
        _phrase(
            f"{_KHONG} the (?:{_VERB}|{_DONE})(?: {_DONE})?(?: {_DUOC})?",
            f"{_CHUA} the (?:{_VERB}|{_DONE})(?: {_DONE})?(?: {_DUOC})?",
            f"{_KHONG} (?:{_VERB} )?(?:{_VERB}|{_DONE})(?: {_DONE})? {_DUOC}",
            f"{_KHONG} (?:{_VERB} )?{_DONE}",
        ),
        ReplyStatus.BLOCKED,
        reason="after",
    ),
    _StatusRule(
        "blocked",
        _phrase(
            "(?:(?:dang|dag|con|bi|gap|co|hien|van|hien dang) )*"
            "(?:vuong mac|vuong mat|vuong|vuog|vuonh|vuomg|kho khan|tro ngai|van de)"
        ),
        ReplyStatus.BLOCKED,
        reason="after",
    ),
    _StatusRule(
        "not-yet-done",
        _phrase(
            f"(?:{_VERB} )?(?:van |con )?{_CHUA} (?:{_VERB} )?{_DONE}(?: (?:het|hoan toan|xong))?"
        ),
        ReplyStatus.IN_PROGRESS,
    ),
    _StatusRule(
        "not-started",
        _phrase(
            f"(?:van |con )?{_CHUA} (?:(?:kip|duoc|co dieu kien) )?{_VERB}(?: (?:{_DUOC}|gi))*",
            f"(?:van |con )?{_CHUA} bat dau(?: {_VERB})?(?: (?:{_DUOC}|gi))*",
            f"(?:van |con )?{_CHUA} {_IND_VERB}(?: {_DUOC})?(?: (?:ai|gi))?",
        ),
        ReplyStatus.NOT_STARTED,
    ),
    _StatusRule(
        "almost-done",
        _phrase(f"(?:gan nhu|gan|sap sua|sap|cung sap)(?: {_VERB})? (?:{_DONE}|100\\s*%)"),
        ReplyStatus.IN_PROGRESS,
    ),
    _StatusRule(
        "work-percent",
        _phrase(
            f"(?:{_DANG} )?(?:(?:da|moi|chi|cung) )*"
            f"(?:{_DONE}|(?:{_VERB}|{_IND_VERB})(?: {_DUOC})?|{_DUOC}|dat)"
            f"(?: (?:khoang|tam|hon|tren|gan|chung|{_DUOC}|toi|den|len|muc))* {_PERCENT_BODY}"
        ),
        _Signal.FROM_PERCENT,
    ),
    _StatusRule(
        "half",
        _phrase(
            f"(?:(?:{_DANG} )?(?:da )?(?:{_DONE}|{_VERB} {_DUOC}|{_DUOC}|dat) )?"
            "(?:(?:hon|khoang|tam|duoc) )?(?:mot|1) nua(?: (?:roi|r|chang|cong viec|khoi luong))?"
        ),
        ReplyStatus.IN_PROGRESS,
        percent=50,
    ),
    _StatusRule(
        "partial",
        _phrase(
            f"(?:{_DANG} )?(?:da )?(?:{_DONE}|{_VERB} {_DUOC}|{_DUOC}) "
            "(?:mot|1|vai|mot so) (?:phan|it|viec|noi dung)"
        ),
        ReplyStatus.IN_PROGRESS,
    ),
    _StatusRule(
        "plan",
        _phrase(
            "(?:se|du kien|khi nao|bao gio|tuan sau|thang sau|tuan toi|thang toi|ngay mai"
            "|cuoi tuan|cuoi thang|sap toi|hy vong|hi vong|co gang|phan dau|chac chan se|chac"
            "|con lai)"
            rf"(?:\s+[a-z0-9/]+){{0,3}}? {_DONE}",
            rf"(?:\d+|vai|may|mot|hai|ba) (?:{_TIME_UNITS}) nua(?: (?:thi|la|se))? {_DONE}",
        ),
        _Signal.PLAN,
    ),
    _StatusRule(
        "in-progress",
        _phrase(
            f"(?:(?:van|hien|van con|con) )?{_DANG}"
            "(?: (?:tiep tuc|trong qua trinh|gap rut|khan truong))?"
            f" (?:{_VERB}|cho|lam dang do)",
            f"{_DANG}(?= {_IND_VERB}(?![a-z0-9]))",
            f"tiep tuc {_VERB}",
            f"{_DANG} trong qua trinh",
            "dang do",
        ),
        ReplyStatus.IN_PROGRESS,
    ),
    _StatusRule(
        "did",
        _phrase(
            f"da {_DID_VERB}(?: {_DONE})?(?: {_ROI})?",
            f"da (?:gui|nop) bao cao(?: {_ROI})?",
            f"(?:{_DID_VERB}|gui|nop|bao cao) {_ROI}",
        ),
        ReplyStatus.DONE,
    ),
    _StatusRule(
        "done",
        _phrase(
            f"(?:(?:da|ok|oke|okay|vang) )?(?:{_VERB} )?{_DONE}"
            f"(?: (?:het|ca|tat ca|hoan toan|xong|{_HT}|{_ROI}))*",
            f"(?:da ht|ht {_ROI}|da song|song {_ROI})",
        ),
        ReplyStatus.DONE,
    ),
)

_TASK_ITEM = _phrase(
    r"(?:muc|viec|cong viec|nhiem vu|nv|noi dung)(?: so)?\s*[:.]?\s*(?P<item>\d{1,3})"
    r"(?![0-9%]|[.,][0-9])",
    r"#\s*(?P<item2>\d{1,3})(?![0-9%]|[.,][0-9])",
)
_DOCUMENT = _phrase(
    r"(?:cv|cong van|van ban|vb|ke hoach|chi thi|thong bao|huong dan|quyet dinh|nghi quyet)"
    r"(?: so)?\s*[:.]?\s*(?P<doc>\d{1,6})(?:\s*/\s*[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*)?",
    r"(?:so\s*:?\s*)?(?P<doc2>\d{1,6})/[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*",
)
_PERCENT = _phrase(
    r"(?:(?:tien do|ti le|ty le|khoang|tam|duoc|dc|hon|tren)(?:\s+(?:dat|la))?\s*:?\s*)?"
    + _PERCENT_BODY
)
_INDICATOR = _phrase(
    "(?:so (?:luong |doan vien |dv |nguoi )?)?"
    f"(?P<verb>{_IND_VERB}|dat|tong so|tong cong|tong|thu)"
    "(?: (?:duoc|dc|them|moi|tong cong|tong so|tong|la|toi|den|len|tat ca))*"
    rf"\s*[:=]?\s*{_NUMBER_BODY}(?:\s*(?P<mult>{_MULT}))?(?:\s*(?P<unit>{_PEOPLE_UNITS}))?"
)
# A number with a unit or a multiplier but no verb (`12 đoàn viên`, `5 triệu`).
_COUNT = _phrase(rf"{_NUMBER_BODY}(?:\s*(?P<mult>{_MULT}))?(?:\s*(?P<unit>{_PEOPLE_UNITS}))?")
_BARE_NUMBER = re.compile(r"(?<![a-z0-9.,/\-])-?\d+(?:[.,]\d+)?(?![a-z0-9%/]|[.,]\d)", re.ASCII)
_BARE_NOT_YET = _phrase(_CHUA)

# The short codes of the reminder text, when the line starts with one.
_CODE = re.compile(
    rf"(?P<code>[123])(?![0-9]|[.,/][0-9]|\s*%|\s*(?:phan tram|nua|phan|{_PEOPLE_UNITS}"
    rf"|{_TIME_UNITS}|{_MULT})(?![a-z0-9]))",
    re.ASCII,
)
_CODE_PERCENT = re.compile(
    r"[\s\x00]*(?:[:=]|-(?!\d)|(?<=[0-9])-)?\s*(?:(?P<sign>-)(?=\d))?(?P<value>\d{1,6}(?:[.,]\d+)?)"
    rf"\s*(?:%|phan tram)?(?![0-9a-z]|\s*(?:{_PEOPLE_UNITS}|{_TIME_UNITS})(?![a-z0-9]))",
    re.ASCII,
)

# Politeness and particles: dropped from notes, and a line made only of them says nothing.
_FILLERS = _phrase(
    "kinh gui (?:anh/chi|anh chi|a/c|anh|chi|dong chi|lanh dao|ban)",
    "kinh thua (?:anh/chi|anh chi|a/c|anh|chi|dong chi)",
    "thua (?:anh/chi|anh chi|a/c|anh|chi|dong chi|lanh dao)",
    "(?:em |toi |chung em |ben em )?xin (?:duoc )?(?:bao cao|bao|gui|phep)"
    "(?: (?:anh/chi|anh chi|a/c|anh|chi|lanh dao|dong chi))?",
    "(?:em )?bao cao(?: (?:anh/chi|anh chi|a/c|anh|chi|lanh dao|dong chi))?",
    "(?:em |e )?(?:xin )?cam on(?: (?:anh/chi|anh chi|a/c|anh|chi|nhieu|a|c|lanh dao))*",
    "camon|thanks|thank you|thank|tks|thks|thanh kiu",
    "(?:cdcs|cong doan co so|cong doan|don vi|phia) (?:ben |cua )?(?:em|chung em|minh)",
    "ben (?:em|minh|chung em)|chung em|chung toi",
    "(?:anh|chi|a/c|anh chi|anh/chi|ad|admin) (?:oi|a)",
    "anh/chi|anh chi|a/c|dong chi|d/c",
    "da vang|vang a|vang|da|uh|uhm|um|ok|oke|okay|okie|oki",
    "a|ah|ak|a a|nhe|nha|nhe a|a nhe|nhi|a ha|ha|roi a|r a|roi|r|rui|thoi|thoi a",
    "em|e|anh|minh|ad|admin|sep",
    "hien tai|hien nay|den nay|tinh den nay|den thoi diem nay|den thoi diem hien tai"
    "|hom nay|luc nay|hien",
)
_LEADING_SKIP = re.compile(r"[^a-z0-9]+", re.ASCII)
# Words that join a reason to its marker: trimmed from the edges of a note.
_LEAD_CONNECTOR = re.compile(
    r"(?:la do|la vi|boi vi|tai vi|vi la|do la|ve viec|ve|vi|do|la|boi|tai|nhung|ma|va"
    r"|thi|theo)(?![a-z0-9])",
    re.ASCII,
)
_TRAIL_CONNECTOR = re.compile(
    r"(?<![a-z0-9])(?:cho nen|vi vay|do do|nen la|nen|nhung|ma|va|thi|vi|do)$", re.ASCII
)
_CLAUSE_BREAK = re.compile(r"[,;.!?\n]|(?<![a-z0-9])(?:nhung|con)(?![a-z0-9])", re.ASCII)
_KEEP_AT_END = frozenset("%)?\"'»")
_KEEP_AT_START = frozenset("(\"'«#")

# ---------------------------------------------------------------------------- engine


class _Kind(IntEnum):
    """What consumed a position of the folded text."""

    FREE = 0
    MEANING = 1  # a status, percent, number or task reference
    FILLER = 2  # politeness
    NEUTRAL = 3  # recognised (a plan, a question) but kept in the note
    REASON = 4  # the reason text of a blocked marker


class _Refusal(Exception):
    """Raised inside the reader to stop at the first thing that makes the line unreadable."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass
class _Scan:
    """The working state of one reading: the folded text, masked as rules consume it."""

    folded: FoldedText
    work: str
    kinds: list[_Kind]
    rules: list[str] = field(default_factory=list)
    statuses: list[tuple[int, ReplyStatus]] = field(default_factory=list)  # (position, …)
    signals: set[_Signal] = field(default_factory=set)
    percents: list[tuple[int, str]] = field(default_factory=list)
    numbers: list[tuple[int, str]] = field(default_factory=list)
    task_items: list[int] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    reasons: list[tuple[int, int]] = field(default_factory=list)
    reason_markers: list[tuple[str, int, int]] = field(default_factory=list)
    code_reason: tuple[int, int] | None = None

    def mask(self, start: int, end: int, kind: _Kind) -> None:
        """Mark `[start, end)` as consumed so later rules do not read it again."""
        if start >= end:
            return
        self.work = self.work[:start] + "\x00" * (end - start) + self.work[end:]
        for i in range(start, end):
            current = self.kinds[i]
            if current is _Kind.FREE or kind is _Kind.MEANING:
                self.kinds[i] = kind

    def note_rule(self, name: str) -> None:
        """Remember which rule contributed, once, in order."""
        if name not in self.rules:
            self.rules.append(name)

    def quote(self, start: int, end: int) -> str:
        """The chair's own text for a folded span."""
        return self.folded.original_span(start, end)


def read_reply(text: str) -> ReplyReading:
    """Read one reply line; never raises, and refuses (status unknown, error set) when unsure."""
    stripped = text.strip()
    if not stripped:
        return _refused("empty", _ERR_EMPTY)
    if len(stripped) > MAX_REPLY_CHARS:
        return _refused(
            "too-long", _ERR_TOO_LONG.format(length=f"{len(stripped):,}".replace(",", "."))
        )
    folded = fold(stripped)
    if not any(c.isalnum() for c in folded.text):
        return _refused("no-text", _ERR_NO_TEXT)
    scan = _Scan(folded=folded, work=folded.text, kinds=[_Kind.FREE] * len(folded.text))
    try:
        return _read(scan)
    except _Refusal as refusal:
        return _refused(
            refusal.rule,
            refusal.message,
            task_item=scan.task_items[0] if len(set(scan.task_items)) == 1 else None,
            document_number=scan.documents[0] if len(set(scan.documents)) == 1 else None,
        )


def _refused(
    rule: str, message: str, task_item: int | None = None, document_number: str | None = None
) -> ReplyReading:
    return ReplyReading(
        status=ReplyStatus.UNKNOWN,
        error=message,
        rule=rule,
        task_item=task_item,
        document_number=document_number,
    )


def _read(scan: _Scan) -> ReplyReading:
    """Run the passes in order; see the module docstring."""
    _find_tasks(scan)
    code = _find_code(scan)
    if code != "3":
        _find_statuses(scan)
        _find_percents(scan)
    _mark_fillers(scan)
    if code == "3":
        note = _note_from_spans(scan, [scan.code_reason] if scan.code_reason else [])
    else:
        _find_reasons(scan)
        _find_numbers(scan)
        note = _note_from_spans(scan, scan.reasons) if scan.reasons else None
        if note is None:
            note = _note_from_spans(scan, _leftover_runs(scan))
    status, percent = _resolve(scan)
    number = _resolve_number(scan)
    return ReplyReading(
        status=status,
        percent=percent,
        number=number,
        note=note,
        task_item=scan.task_items[0] if scan.task_items else None,
        document_number=scan.documents[0] if scan.documents else None,
        rule="+".join(scan.rules),
    )


def _find_tasks(scan: _Scan) -> None:
    """`CV 490 mục 3`, `#2`, `490/LĐLĐ`: which task the line is about."""
    for match in list(_DOCUMENT.finditer(scan.work)):
        scan.documents.append((match["doc"] or match["doc2"]).lstrip("0") or "0")
        scan.note_rule("document")
        scan.mask(match.start(), match.end(), _Kind.MEANING)
    for match in list(_TASK_ITEM.finditer(scan.work)):
        scan.task_items.append(int(match["item"] or match["item2"]))
        scan.note_rule("task-item")
        scan.mask(match.start(), match.end(), _Kind.MEANING)
    _refuse_if_many("many-tasks", _ERR_MANY_TASKS, [f"mục {i}" for i in scan.task_items])
    _refuse_if_many("many-documents", _ERR_MANY_DOCUMENTS, scan.documents)


def _refuse_if_many(rule: str, message: str, values: list[str]) -> None:
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        raise _Refusal(rule, message.format(values=", ".join(distinct)))


def _skip_fillers(work: str, pos: int) -> int:
    """The first position after punctuation and politeness at `pos`."""
    while True:
        match = _LEADING_SKIP.match(work, pos) or _FILLERS.match(work, pos)
        if match is None or match.end() == pos:
            return pos
        pos = match.end()


def _find_code(scan: _Scan) -> str | None:
    """`1` done, `2 60` in progress 60%, `3 lý do` blocked: the codes the reminder offers."""
    start = _skip_fillers(scan.work, 0)
    match = _CODE.match(scan.work, start)
    if match is None:
        return None
    code = match["code"]
    end = match.end()
    scan.note_rule(f"code-{code}")
    if code == "1":
        scan.statuses.append((start, ReplyStatus.DONE))
    elif code == "2":
        scan.statuses.append((start, ReplyStatus.IN_PROGRESS))
        percent = _CODE_PERCENT.match(scan.work, end)
        if percent is not None:
            scan.percents.append(_parse_percent(scan, percent))
            end = percent.end()
    else:
        scan.statuses.append((start, ReplyStatus.BLOCKED))
        scan.code_reason = (end, len(scan.work))
    scan.mask(match.start(), end, _Kind.MEANING)
    return code


def _find_statuses(scan: _Scan) -> None:
    """Apply `_STATUS_RULES` in order; each match masks its words."""
    for rule in _STATUS_RULES:
        for match in list(rule.pattern.finditer(scan.work)):
            scan.note_rule(rule.name)
            kind = _Kind.MEANING
            if isinstance(rule.effect, ReplyStatus):
                scan.statuses.append((match.start(), rule.effect))
            elif rule.effect is _Signal.FROM_PERCENT:
                scan.percents.append(_parse_percent(scan, match))
            else:
                scan.signals.add(rule.effect)
                if rule.effect is not _Signal.NO_OBSTACLE:
                    kind = _Kind.NEUTRAL
            if rule.percent is not None:
                scan.percents.append((rule.percent, scan.quote(match.start(), match.end())))
            if rule.reason:
                scan.reason_markers.append((rule.reason, match.start(), match.end()))
            scan.mask(match.start(), match.end(), kind)


def _parse_percent(scan: _Scan, match: re.Match[str]) -> tuple[int, str]:
    """The percent of a match with `sign` and `value` groups; refuses outside 0..100."""
    raw = scan.quote(match.start("value") - (1 if match["sign"] else 0), match.end())
    value = Fraction(match["value"].replace(",", "."))
    if match["sign"] or value > 100:
        raise _Refusal("percent-range", _ERR_PERCENT_RANGE.format(raw=raw.strip()))
    return int(value + Fraction(1, 2)), raw


def _find_percents(scan: _Scan) -> None:
    """Percentages standing alone (`60%`, `khoảng 60 phần trăm`)."""
    for match in list(_PERCENT.finditer(scan.work)):
        scan.percents.append(_parse_percent(scan, match))
        scan.note_rule("percent")
        scan.mask(match.start(), match.end(), _Kind.MEANING)


def _mark_fillers(scan: _Scan) -> None:
    """Politeness: masked so it is never read as content, and trimmed from notes."""
    for match in list(_FILLERS.finditer(scan.work)):
        scan.mask(match.start(), match.end(), _Kind.FILLER)


def _find_reasons(scan: _Scan) -> None:
    """The reason beside a blocked marker: the rest of its clause, or the clause before."""
    for where, start, end in scan.reason_markers:
        if where == "before":
            begin = start
            while begin > 0 and scan.kinds[begin - 1] not in (_Kind.MEANING, _Kind.NEUTRAL):
                begin -= 1
            span = (begin, start)
        else:
            span = (end, _reason_end(scan, end))
        scan.reasons.append(span)
        scan.mask(*span, _Kind.REASON)


def _reason_end(scan: _Scan, start: int) -> int:
    """End of the reason: the first clause, and further clauses until one says something."""
    text = scan.folded.text
    end = start
    first = True
    pos = start
    while pos < len(text):
        brk = _CLAUSE_BREAK.search(text, pos)
        clause_end = brk.start() if brk else len(text)
        says_something = any(
            scan.kinds[i] in (_Kind.MEANING, _Kind.NEUTRAL) for i in range(pos, clause_end)
        )
        if not first and says_something:
            return end
        end = clause_end
        first = False
        if brk is None:
            return end
        pos = brk.end()
    return end


def _find_numbers(scan: _Scan) -> None:
    """Indicator numbers: after a verb (`kết nạp 12`), else before a unit (`12 đoàn viên`)."""
    for match in list(_INDICATOR.finditer(scan.work)):
        if match["verb"] == "thu" and not (match["unit"] or match["mult"]):
            continue  # `thu 2` is as likely `thứ 2` (Monday) as money collected
        scan.numbers.append(_parse_number(scan, match))
        scan.note_rule("indicator")
        scan.mask(match.start(), match.end(), _Kind.MEANING)
    if scan.numbers:
        return  # other figures on the line stay in the note
    for match in list(_COUNT.finditer(scan.work)):
        if not (match["unit"] or match["mult"]):
            continue
        scan.numbers.append(_parse_number(scan, match))
        scan.note_rule("count")
        scan.mask(match.start(), match.end(), _Kind.MEANING)


def _parse_number(scan: _Scan, match: re.Match[str]) -> tuple[int, str]:
    """A whole number; `1.200` is twelve hundred, `1,5 triệu` is 1,500,000."""
    raw_number = match["num"]
    multiplier_word = match["mult"]
    multiplier = _MULTIPLIERS[multiplier_word] if multiplier_word else 1
    raw = scan.quote(match.start("num"), match.end()).strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw_number):
        value = Fraction(int(raw_number.replace(".", "")))
    else:
        value = Fraction(raw_number.replace(",", "."))
    value *= multiplier
    if value.denominator != 1:
        raise _Refusal("bad-number", _ERR_BAD_NUMBER.format(raw=raw))
    return int(value), raw


def _leftover_runs(scan: _Scan) -> list[tuple[int, int]]:
    """Stretches of text no rule explained, split where a meaningful match sits."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, kind in enumerate([*scan.kinds, _Kind.MEANING]):
        if kind is _Kind.MEANING or kind is _Kind.REASON:
            if start is not None:
                runs.append((start, i))
                start = None
        elif start is None:
            start = i
    return runs


def _note_from_spans(scan: _Scan, spans: Iterable[tuple[int, int]]) -> str | None:
    """The chair's words for the spans, politeness and connectors trimmed; None if empty."""
    parts: list[str] = []
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in merged:
        start, end = _trim(scan, start, end)
        if start < end:
            parts.append(scan.quote(start, end))
    return "; ".join(parts) if parts else None


def _trim(scan: _Scan, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past punctuation, politeness and joining words at both ends."""
    text = scan.folded.text

    def dropped(i: int) -> bool:
        return scan.kinds[i] in (_Kind.FILLER, _Kind.MEANING)

    while True:
        before = (start, end)
        while start < end and (
            dropped(start) or (not text[start].isalnum() and text[start] not in _KEEP_AT_START)
        ):
            start += 1
        while end > start and (
            dropped(end - 1) or (not text[end - 1].isalnum() and text[end - 1] not in _KEEP_AT_END)
        ):
            end -= 1
        lead = _LEAD_CONNECTOR.match(text, start, end)
        if lead is not None and lead.end() <= end:
            start = lead.end()
        trail = _TRAIL_CONNECTOR.search(text, start, end)
        if trail is not None and trail.start() > start:
            end = trail.start()
        if (start, end) == before:
            return start, end


def _resolve(scan: _Scan) -> tuple[ReplyStatus, int | None]:
    """One status and percent from everything found, or a refusal that says why not."""
    values = list(dict.fromkeys(value for value, _ in scan.percents))
    if len(values) > 1:
        raw = [raw.strip() for _, raw in scan.percents]
        raise _Refusal("many-percents", _ERR_MANY_PERCENTS.format(values=", ".join(raw)))
    percent = values[0] if values else None
    found = list(dict.fromkeys(status for _, status in sorted(scan.statuses)))
    if not found:
        if percent is not None:
            return _from_percent(percent), percent
        if scan.numbers:
            return ReplyStatus.IN_PROGRESS, None
        _refuse_unread(scan)
    if ReplyStatus.BLOCKED in found:
        if ReplyStatus.DONE in found:
            _contradiction(ReplyStatus.DONE.label, ReplyStatus.BLOCKED.label)
        if percent == 100:
            _contradiction(ReplyStatus.BLOCKED.label, "100%")
        return ReplyStatus.BLOCKED, percent
    if len(found) > 1:
        _contradiction(found[0].label, found[1].label)
    status = found[0]
    if percent is None:
        return status, None
    if status is ReplyStatus.IN_PROGRESS or _from_percent(percent) is status:
        return _from_percent(percent), percent
    return _contradiction(status.label, f"{percent}%")


def _from_percent(percent: int) -> ReplyStatus:
    """100 is done, 0 is not started, anything between is in progress."""
    if percent >= 100:
        return ReplyStatus.DONE
    if percent <= 0:
        return ReplyStatus.NOT_STARTED
    return ReplyStatus.IN_PROGRESS


def _contradiction(first: str, second: str) -> NoReturn:
    raise _Refusal("contradiction", _ERR_CONTRADICTION.format(first=first, second=second))


def _refuse_unread(scan: _Scan) -> NoReturn:
    """No status was found: say the most useful thing about why."""
    if _Signal.QUESTION in scan.signals:
        raise _Refusal("question", _ERR_QUESTION)
    if _Signal.PLAN in scan.signals:
        raise _Refusal("plan", _ERR_PLAN)
    if _BARE_NOT_YET.search(scan.work):
        raise _Refusal("bare-not-yet", _ERR_BARE_NOT_YET)
    number = _BARE_NUMBER.search(scan.work)
    if number is not None:
        raw = scan.quote(number.start(), number.end())
        value = Fraction(number.group().replace(",", "."))
        template = _ERR_AMBIGUOUS_NUMBER if 0 <= value <= 100 else _ERR_AMBIGUOUS_COUNT
        raise _Refusal("ambiguous-number", template.format(raw=raw))
    original = scan.folded.original
    quote = original if len(original) <= 40 else original[:39].rstrip() + "…"
    raise _Refusal("unreadable", _ERR_UNREADABLE.format(quote=quote))


def _resolve_number(scan: _Scan) -> int | None:
    """The indicator figure, when the line gives exactly one."""
    values = list(dict.fromkeys(value for value, _ in scan.numbers))
    if len(values) > 1:
        raw = [raw for _, raw in scan.numbers]
        raise _Refusal("many-numbers", _ERR_MANY_NUMBERS.format(values=", ".join(raw)))
    return values[0] if values else None
