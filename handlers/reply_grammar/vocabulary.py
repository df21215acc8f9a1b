"""The words of the grammar: how chairs write done, not yet, being, a unit, politeness."""

from __future__ import annotations

import re

# All patterns work on the folded text: lower-case ASCII, no diacritics (đ → d). In the
# phrases below a space stands for any run of whitespace (see `phrase`).

XONG = "(?:xong|xog|xonh|xomg|xongg|xonng|xogn|xnog|done)"
# `hoàn thàng`, `hoàng thành` (a phone's autocorrect), letters swapped or dropped.
HT = (
    "(?:hoan thanh|hoan thang|hoang thanh|hoan thah|hoan thnah|hoan than|hoan tanh|hoan thamh"
    "|hoan thanhh|hoanthanh|hoan tat)"
)
DONE = f"(?:{XONG}|{HT})"
CHUA = "(?:chua|chx)"
KHONG = "(?:khong|ko|k|hok|hong|kg|khg|kh)"
DUOC = "(?:duoc|dc|dk|duco)"
DANG = "(?:dang|dag|dg|dnag|dangg)"
ROI = "(?:roi|r|rui|roai)"
# Work verbs; `IND_VERB` are the ones that introduce an indicator number.
VERB = (
    "(?:lam|lm|thuc hien|trien khai|tien hanh|to chuc|hoan thien|xu ly|chuan bi|tong hop"
    "|xay dung|soan thao|soan|tuyen truyen|rieng|lam tiep)"
)
DID_VERB = "(?:thuc hien|trien khai|tien hanh|to chuc|lam|lm)"
IND_VERB = "(?:ket nap|kn|van dong|phat trien|thu duoc|thu dc|thanh lap)"
PERCENT_BODY = r"(?:(?P<sign>-)(?=\d))?(?P<value>\d{1,6}(?:[.,]\d+)?)\s*(?:%|phan tram|phantram)"
PEOPLE_UNITS = (
    "doan vien moi|doan vien|dvien|dv|ndv|nguoi|ng|lao dong|cong nhan|cnvcld|cnld|cdcs"
    "|cong doan co so|don vi|suat|phan qua|lop|buoi|cuoc|hoi nghi|dong|vnd"
)
MULTIPLIERS = {
    "trieu": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
    "k": 10**3,
    "ty": 10**9,
    "ti": 10**9,
}
MULT = "(?:trieu|tr|nghin|ngan|k|ty|ti)"
# What a fraction is a share of: `8/10 chỉ tiêu`, `8/10 kế hoạch`.
TARGET_WORDS = "chi tieu|ct|ke hoach|muc tieu|yeu cau|so giao"
# What a document received is: `đã nhận văn bản`, `đã nhận được công văn`.
RECEIVED_OBJECTS = (
    "van ban|vb|cong van|cv|ke hoach|nhiem vu|chi thi|huong dan|tai lieu|chi dao|y kien chi dao"
)
# Particles that may follow a figure at the end of a clause (`đang làm 60 ạ`).
TAIL_PARTICLES = r"(?:\s+(?:a|ah|ak|nhe|nha|roi|r|rui|thoi|roi a|r a|a nhe|nhe a))*"
CLAUSE_END = rf"(?={TAIL_PARTICLES}\s*(?:$|[,.;!?)\x00]|[^\x00-\x7f]))"
NUMBER_BODY = r"(?P<num>\d{1,3}(?:\.\d{3})+(?![\d.,])|\d{1,12}(?:[.,]\d+)?)"
TIME_UNITS = "ngay|tuan|thang|nam|hom|gio|h|phut|quy"


def phrase(*alternatives: str) -> re.Pattern[str]:
    """Compile whole-word alternatives; a space inside a phrase matches any whitespace run.

    The mask character (NUL) is not whitespace, so a phrase never spans consumed text.
    """
    body = "|".join(alternative.replace(" ", r"\s+") for alternative in alternatives)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])", re.ASCII)


# Politeness and particles: dropped from notes, and a line made only of them says nothing.
FILLERS = phrase(
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
    "em|e|anh|minh|ad|admin|sep|bot|ban oi|ban nhe|ban a",
    "hien tai|hien nay|den nay|tinh den nay|den thoi diem nay|den thoi diem hien tai"
    "|hom nay|luc nay|hien",
)
# Lines made only of these (and politeness) are a courtesy: answered politely, nothing stored.
ACK_WORDS = phrase(
    "ok|oke|okay|okie|oki|vang|da|uh|uhm|um|cam on|camon|thanks|thank you|thank|tks|thks"
    "|thanh kiu|nhat tri|dong y|ro|ro roi|da ro"
)
# A note made only of these says nothing (`mới`, `bạn`): it is not stored. Matched on the
# chair's own words, lower-cased, so that `bận` (busy) or `bản` (a copy) are kept; only
# `ban` and `moi` typed without marks are taken for `bạn` and `mới`.
JUNK_NOTE = re.compile(
    r"(?:(?:mới|moi|bạn|ban|vừa|vua|luôn|luon|ơi|oi|nhé|nhe|nha|rồi|roi|r|thôi|thoi|đều|deu"
    r"|hết|het|à|ạ|a|ah|ak|ha|nhỉ|nhi|ok|dạ|da|vâng|vang|em|anh|chị|chi|mình|minh|đâu|dau|đủ|đầy)"
    r"(?:\s+|$))+"
)
# Words that join a reason to its marker: trimmed from the edges of a note.
LEAD_CONNECTOR = re.compile(
    r"(?:la do|la vi|boi vi|tai vi|vi la|do la|ve viec|ve|vi|do|la|boi|tai|nhung|ma|va"
    r"|thi|theo)(?![a-z0-9])",
    re.ASCII,
)
TRAIL_CONNECTOR = re.compile(
    r"(?<![a-z0-9])(?:cho nen|vi vay|do do|nen la|nen|nhung|ma|va|thi|vi|do)$", re.ASCII
)
CLAUSE_BREAK = re.compile(r"[,;.!?\n]|(?<![a-z0-9])(?:nhung|con)(?![a-z0-9])", re.ASCII)
