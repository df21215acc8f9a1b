"""The patterns of the grammar, built from `vocabulary`: the status rules, most specific
first, and the patterns for tasks, percents, numbers and the reminder's short codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from handlers.reply_grammar.reading import ReplyStatus
from handlers.reply_grammar.vocabulary import (
    CHUA,
    CLAUSE_END,
    DANG,
    DID_VERB,
    DONE,
    DUOC,
    HT,
    IND_VERB,
    KHONG,
    MULT,
    NUMBER_BODY,
    PEOPLE_UNITS,
    PERCENT_BODY,
    RECEIVED_OBJECTS,
    ROI,
    TAIL_PARTICLES,
    TARGET_WORDS,
    TIME_UNITS,
    VERB,
    XONG,
    phrase,
)

# A bare figure read as a percent (`đang làm 60`): the groups `parse_percent` reads.
NUMBER_PERCENT = (
    r"(?:(?P<sign>-)(?=\d))?(?P<value>\d{1,6}(?:[.,]\d+)?)(?![.,]?\d)(?!\s*(?:%|phan tram|/))"
)


# Not right after a negation (`chưa nhận được văn bản`); `\x20`, since `phrase` widens spaces.
NOT_NEGATED = r"(?<!chua\x20)(?<!chx\x20)(?<!khong\x20)(?<!ko\x20)(?<!k\x20)"


class Signal(Enum):
    """Effects of a status rule other than a plain status."""

    FROM_PERCENT = "from-percent"  # status follows the percent the rule captured
    QUESTION = "question"  # `xong chưa?`: the chair asks, does not report
    PLAN = "plan"  # `sẽ xong`: a promise, not a report
    NO_OBSTACLE = "no-obstacle"  # `không vướng gì`: says nothing about progress
    RECEIVED = "received"  # `đã nhận văn bản`: acknowledged; alone, not started
    ACK = "ack"  # `đã nhận`, `nhận rồi`: acknowledged, says nothing about the task
    AMBIGUOUS = "ambiguous"  # `hoàn thành 60`: 60% or 60 done? asked, never guessed


@dataclass(frozen=True, slots=True)
class StatusRule:
    """One readable line of the grammar: a name, a phrase pattern, and what it means."""

    name: str
    pattern: re.Pattern[str]
    effect: ReplyStatus | Signal
    reason: str = ""  # "after" or "before": where this marker's reason text sits
    percent: int | None = None  # a fixed percent, for `một nửa`


STATUS_RULES: tuple[StatusRule, ...] = (
    StatusRule(
        "question",
        phrase(
            f"(?:(?:da )?{DONE}|(?:da )?(?:tiep )?nhan(?: {DUOC})?(?: [a-z0-9/]+){{0,3}}?) {CHUA}"
            r"(?=(?:\s+(?:a|ah|anh|chi|a/c|nhi|vay|the|the a|nhe))*[\s\x00?.!]*$)"
        ),
        Signal.QUESTION,
    ),
    StatusRule(
        "no-obstacle",
        phrase(f"{KHONG} (?:co )?(?:gi )?(?:vuong(?: mac)?|kho khan|tro ngai|van de)(?: gi)?"),
        Signal.NO_OBSTACLE,
    ),
    StatusRule(
        "blocked-because",
        phrase(
            f"(?:van |con )?(?:{KHONG}|{CHUA}) (?:the |kip )?(?:{VERB} )?(?:{VERB}|{DONE})"
            f"(?: {DONE})?(?: {DUOC})?(?: (?:la )?(?:vi|do|boi vi|boi|tai vi|tai|vi la)"
            r"(?![a-z0-9])|\s*:)"
        ),
        ReplyStatus.BLOCKED,
        reason="after",
    ),
    StatusRule(
        "blocked-reason-before",
        phrase(
            f"(?:nen|vi vay|do do|cho nen|nen la) (?:van |con )?(?:{CHUA}|{KHONG}) (?:the )?"
            f"(?:{VERB}|{DONE})(?: {DONE})?(?: {DUOC})?"
        ),
        ReplyStatus.BLOCKED,
        reason="before",
    ),
    StatusRule(
        "cannot",
        phrase(
            f"{KHONG} the (?:{VERB}|{DONE})(?: {DONE})?(?: {DUOC})?",
            f"{CHUA} the (?:{VERB}|{DONE})(?: {DONE})?(?: {DUOC})?",
            f"{KHONG} (?:{VERB} )?(?:{VERB}|{DONE})(?: {DONE})? {DUOC}",
        ),
        ReplyStatus.BLOCKED,
        reason="after",
    ),
    StatusRule(
        "blocked",
        phrase(
            "(?:(?:dang|dag|con|bi|gap|co|hien|van|hien dang) )*"
            "(?:vuong mac|vuong mat|vuong|vuog|vuonh|vuomg|kho khan|tro ngai|van de)"
        ),
        ReplyStatus.BLOCKED,
        reason="after",
    ),
    StatusRule(
        "not-yet-done",
        phrase(
            f"(?:{VERB} )?(?:van |con )?{CHUA} (?:kip )?(?:{VERB} )?{DONE}"
            "(?: (?:het|hoan toan|xong|kip))?",
            # `ko xong`, `không kịp xong`: not done, and no obstacle named (issue 15)
            f"(?:{VERB} )?(?:van |con )?{KHONG} (?:kip )?(?:{VERB} )?{DONE}"
            "(?: (?:het|hoan toan|xong|kip))?",
        ),
        ReplyStatus.IN_PROGRESS,
    ),
    StatusRule(
        "not-started",
        phrase(
            f"(?:van |con )?{CHUA} (?:(?:kip|duoc|co dieu kien) )?{VERB}(?: (?:{DUOC}|gi))*",
            f"(?:van |con )?{CHUA} bat dau(?: {VERB})?(?: (?:{DUOC}|gi))*",
            f"(?:van |con )?{CHUA} {IND_VERB}(?: {DUOC})?(?: (?:ai|gi))?",
        ),
        ReplyStatus.NOT_STARTED,
    ),
    StatusRule(
        "almost-done",
        phrase(f"(?:gan nhu|gan|sap sua|sap|cung sap)(?: {VERB})? (?:{DONE}|100\\s*%)"),
        ReplyStatus.IN_PROGRESS,
    ),
    StatusRule(
        # `đang làm 60`, `tiến độ 80`: a bare figure after these words is a percent, when
        # nothing follows it in its clause (`đang làm 60 bộ hồ sơ` is not).
        "work-number",
        phrase(
            f"(?:(?:(?:van|hien|van con|con) )?{DANG} (?:lam|lm|thuc hien|trien khai|tien hanh"
            f"|lam tiep)(?: (?:{DUOC}|khoang|tam|dat|toi|den|len|muc|hon|gan|chung))*"
            "|(?:tien do|ti le|ty le)(?: (?:dat|la|khoang|tam|muc))*)"
            f" {NUMBER_PERCENT}{CLAUSE_END}"
        ),
        Signal.FROM_PERCENT,
    ),
    StatusRule(
        "done-number",
        phrase(f"(?:da )?(?:{VERB} )?{DONE} {NUMBER_PERCENT}{CLAUSE_END}"),
        Signal.AMBIGUOUS,
    ),
    StatusRule(
        "work-percent",
        phrase(
            f"(?:{DANG} )?(?:(?:da|moi|chi|cung) )*"
            f"(?:{DONE}|(?:{VERB}|{IND_VERB})(?: {DUOC})?|{DUOC}|dat)"
            f"(?: (?:khoang|tam|hon|tren|gan|chung|{DUOC}|toi|den|len|muc))* {PERCENT_BODY}"
        ),
        Signal.FROM_PERCENT,
    ),
    StatusRule(
        "half",
        phrase(
            f"(?:(?:{DANG} )?(?:da )?(?:{DONE}|{VERB} {DUOC}|{DUOC}|dat) )?"
            "(?:(?:hon|khoang|tam|duoc) )?(?:mot|1) nua(?: (?:roi|r|chang|cong viec|khoi luong))?"
        ),
        ReplyStatus.IN_PROGRESS,
        percent=50,
    ),
    StatusRule(
        "partial",
        phrase(
            f"(?:{DANG} )?(?:da )?(?:{DONE}|{VERB} {DUOC}|{DUOC}) "
            "(?:mot|1|vai|mot so) (?:phan|it|viec|noi dung)"
        ),
        ReplyStatus.IN_PROGRESS,
    ),
    StatusRule(
        "received",
        phrase(
            f"{NOT_NEGATED}(?:(?:da|moi|vua) )?(?:tiep )?nhan"
            f"(?: {DUOC})? (?:{RECEIVED_OBJECTS})(?: {ROI})?"
        ),
        Signal.RECEIVED,
    ),
    StatusRule(
        "received-bare",
        phrase(
            f"{NOT_NEGATED}(?:da|moi|vua) (?:tiep )?nhan(?: {DUOC})?(?: {ROI})?",
            f"(?:tiep )?nhan(?: {DUOC})? {ROI}",
            f"{NOT_NEGATED}(?:da ro|ro roi|ro r)",
        ),
        Signal.ACK,
    ),
    StatusRule(
        "plan",
        phrase(
            "(?:se|du kien|khi nao|bao gio|tuan sau|thang sau|tuan toi|thang toi|ngay mai"
            "|cuoi tuan|cuoi thang|sap toi|hy vong|hi vong|co gang|phan dau|chac chan se|chac"
            "|con lai)"
            rf"(?:\s+[a-z0-9/]+){{0,3}}? {DONE}",
            rf"(?:\d+|vai|may|mot|hai|ba) (?:{TIME_UNITS}) nua(?: (?:thi|la|se))? {DONE}",
            f"(?:se|du kien) (?:{VERB}|{IND_VERB})(?: ngay)?",
        ),
        Signal.PLAN,
    ),
    StatusRule(
        "in-progress",
        phrase(
            f"(?:(?:van|hien|van con|con) )?{DANG}"
            "(?: (?:tiep tuc|trong qua trinh|gap rut|khan truong))?"
            f" (?:{VERB}|lam dang do)",
            # `đang chờ hướng dẫn`: the waiting is the chair's note, kept whole
            f"(?:(?:van|hien|van con|con) )?{DANG}(?= (?:cho|doi)(?![a-z0-9]))",
            f"{DANG}(?= {IND_VERB}(?![a-z0-9]))",
            f"tiep tuc {VERB}",
            f"{DANG} trong qua trinh",
            "dang do",
        ),
        ReplyStatus.IN_PROGRESS,
    ),
    StatusRule(
        "did",
        phrase(
            f"da {DID_VERB}(?: {DONE})?(?: {ROI})?",
            f"da (?:gui|nop) bao cao(?: {ROI})?",
            f"(?:{DID_VERB}|gui|nop|bao cao) {ROI}",
            f"(?:da )?(?:nop|gui) (?:{XONG}|{ROI})",
            # `đã nộp`, `đã gửi`, `đã nộp đủ kinh phí`: what was sent stays in the note
            f"da (?:nop|gui|dong|chuyen)(?: {ROI})?"
            rf"(?={TAIL_PARTICLES}\s*(?:$|[,.;!?\x00]|[^\x00-\x7f]|(?:du|day du|het|len"
            r"|kinh phi|ho so|danh sach|bien ban|tai lieu|doan phi|file|ban mem|qua|mail"
            r"|email|zalo|tien|cho|ve|sang)(?![a-z0-9])))",
        ),
        ReplyStatus.DONE,
    ),
    StatusRule(
        "done",
        phrase(
            f"(?:(?:da|ok|oke|okay|vang) )?(?:{VERB} )?{DONE}"
            f"(?: (?:het|ca|tat ca|hoan toan|xong|{HT}|{ROI}))*",
            f"(?:da ht|ht {ROI}|da song|song {ROI})",
        ),
        ReplyStatus.DONE,
    ),
)

TASK_ITEM = phrase(
    r"(?:muc|viec|cong viec|nhiem vu|nv|noi dung)(?: so)?\s*[:.]?\s*(?P<item>\d{1,3})"
    r"(?![0-9%]|[.,][0-9])",
    r"#\s*(?P<item2>\d{1,3})(?![0-9%]|[.,][0-9])",
)
# `mục 2, 3`, `mục 2 và 3`: several items after one word (`handlers.reply_grammar.several`).
TASK_LIST = phrase(
    r"(?:muc|viec|cong viec|nhiem vu|nv|noi dung)(?: so)?\s*[:.]?\s*(?P<first>\d{1,3})"
    r"(?P<more>(?:\s*(?:,|;|&|\+|va)\s*\d{1,3}(?![0-9%]|[.,][0-9]))+)(?![0-9%])"
)
DOCUMENT = phrase(
    r"(?:cv|cong van|van ban|vb|ke hoach|chi thi|thong bao|huong dan|quyet dinh|nghi quyet)"
    r"(?: so)?\s*[:.]?\s*(?P<doc>\d{1,6})(?:\s*/\s*[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*)?",
    r"(?:so\s*:?\s*)?(?P<doc2>\d{1,6})/[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*",
)
PERCENT = phrase(
    r"(?:(?:tien do|ti le|ty le|khoang|tam|duoc|dc|hon|tren)(?:\s+(?:dat|la))?\s*:?\s*)?"
    + PERCENT_BODY
)
INDICATOR = phrase(
    "(?:so (?:luong |doan vien |dv |nguoi )?)?"
    f"(?P<verb>{IND_VERB}|dat|tong so|tong cong|tong|thu)"
    "(?: (?:duoc|dc|them|moi|tong cong|tong so|tong|la|toi|den|len|tat ca))*"
    rf"\s*[:=]?\s*{NUMBER_BODY}(?:\s*(?P<mult>{MULT}))?(?:\s*(?P<unit>{PEOPLE_UNITS}))?"
)
# A number with a unit or a multiplier but no verb (`12 đoàn viên`, `5 triệu`).
COUNT = phrase(rf"{NUMBER_BODY}(?:\s*(?P<mult>{MULT}))?(?:\s*(?P<unit>{PEOPLE_UNITS}))?")
# `8/10 chỉ tiêu`, `đạt 8/10`, `kết nạp 8/10 đoàn viên`: a figure of a target. Without a
# verb, a unit or a target word `8/10` is as likely a date, and is not read.
FRACTION = phrase(
    rf"(?P<verb>(?:{IND_VERB}|dat|{DUOC}|{HT}|ht|lam {DUOC}|tien do)(?: {DUOC})?\s*[:=]?\s*)?"
    r"(?P<num>\d{1,9})\s*/\s*(?P<den>\d{1,9})(?![0-9/])"
    rf"(?:\s*(?P<unit>{PEOPLE_UNITS}))?(?:\s*(?P<target>{TARGET_WORDS}))?"
)
BARE_NUMBER = re.compile(r"(?<![a-z0-9.,/\-])-?\d+(?:[.,]\d+)?(?![a-z0-9%/]|[.,]\d)", re.ASCII)
BARE_NOT_YET = phrase(CHUA)

# The short codes of the reminder text, when the line starts with one.
CODE = re.compile(
    rf"(?P<code>[123])(?![0-9]|[.,/][0-9]|\s*%|\s*(?:phan tram|nua|phan|{PEOPLE_UNITS}"
    rf"|{TIME_UNITS}|{MULT})(?![a-z0-9]))",
    re.ASCII,
)
CODE_PERCENT = re.compile(
    r"[\s\x00]*(?:[:=]|-(?!\d)|(?<=[0-9])-)?\s*(?:(?P<sign>-)(?=\d))?(?P<value>\d{1,6}(?:[.,]\d+)?)"
    rf"\s*(?:%|phan tram)?(?![0-9a-z]|\s*(?:{PEOPLE_UNITS}|{TIME_UNITS})(?![a-z0-9]))",
    re.ASCII,
)
