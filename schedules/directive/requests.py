"""Tasks of a notice without numbered items: the sentences that ask someone to act.

A short thông báo or a forwarded letter often says, in one paragraph, "Ban Thường vụ đề
nghị các CĐCS gửi danh sách … trước ngày 20/12/2025." Without numbers the item segmenter
finds no task; each such request becomes one, numbered 1..n, so the officer can give it.
"""

from __future__ import annotations

import re

from schedules.directive.items import Segments
from schedules.directive.model import Task
from schedules.directive.text import ends_sentence

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)|\n")
_REQUEST = re.compile(
    r"(?<![\w])(?:đề\s+nghị|yêu\s+cầu|giao\s+cho|đôn\s+đốc|chỉ\s+đạo|kính\s+mong|"
    r"đề\s+xuất\s+các|các\s+đơn\s+vị\s+(?:gửi|nộp|báo\s+cáo|hoàn\s+thành|tổ\s+chức|triển\s+khai))"
    r"(?![\w])",
    re.IGNORECASE,
)
# Sentences that sum up or thank: never a task of their own.
_NOT_A_REQUEST = re.compile(r"^(?:Trên\s+đây|Trân\s+trọng|N[ơo]i\s+nh[ậa]n)(?![\w])", re.IGNORECASE)
# A sentence opening with what it cites asks something only after the citation.
_CITING = re.compile(r"^(?:Căn\s+cứ|Thực\s+hiện|Theo|Triển\s+khai)(?![\w])", re.IGNORECASE)
# A paragraph this short without closing punctuation is a title or a headline.
_TITLE_WORDS = 12
_MAX_TASKS = 12


def with_requests(segments: Segments) -> Segments:
    """The segments as they are when items were found, else the requests as tasks."""
    if segments.tasks or not segments.closing:
        return segments
    sentences = _SENTENCE_END.split(segments.closing)
    asked = [s for s in sentences if _asks(s)]
    if not asked:
        return segments
    asked = asked[:_MAX_TASKS]
    rest = [s for s in sentences if s not in asked]
    tasks = tuple(
        Task(item=n, text=text.strip().rstrip(";").strip(), label=str(n))
        for n, text in enumerate(asked, 1)
    )
    return Segments(segments.preamble, tasks, " ".join(rest))


def _asks(sentence: str) -> bool:
    text = sentence.strip()
    if _NOT_A_REQUEST.match(text):
        return False
    if not ends_sentence(text) and len(text.split()) <= _TITLE_WORDS:
        return False
    start = 0
    if _CITING.match(text):
        comma = text.find(",")
        if comma < 0:
            return False
        start = comma + 1
    return bool(_REQUEST.search(text, start))
