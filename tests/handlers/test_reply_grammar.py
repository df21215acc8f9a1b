"""The reply grammar: realistic chair lines, the refusals, and random text that cannot break it."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handlers.reply_grammar import (
    MAX_REPLY_CHARS,
    ReplyReading,
    ReplyStatus,
    read_replies,
    read_reply,
)
from handlers.vietnamese_text import fold, fold_plain, untelex
from schedules.numbers import INT64_MAX
from tests.handlers.reply_table import REALISTIC_LINES, THANKS, Expected

DONE = ReplyStatus.DONE
IN_PROGRESS = ReplyStatus.IN_PROGRESS
BLOCKED = ReplyStatus.BLOCKED
NOT_STARTED = ReplyStatus.NOT_STARTED
UNKNOWN = ReplyStatus.UNKNOWN


@pytest.mark.parametrize(("line", "expected"), REALISTIC_LINES, ids=[t[0] for t in REALISTIC_LINES])
def test_realistic_line(line: str, expected: Expected) -> None:
    got = read_replies(line)
    if expected == THANKS:
        (thanks,) = got
        assert thanks.is_courtesy and not thanks.is_confident
        assert thanks.error is not None and "cảm ơn" in thanks.error
        assert (thanks.percent, thanks.number, thanks.note) == (None, None, None)
        return
    wanted = expected if isinstance(expected, list) else [expected]
    assert [dataclasses.replace(one, rule="") for one in got] == wanted
    assert all(one.is_confident and one.rule for one in got)  # every reading says its rule


def test_the_table_holds_every_form() -> None:
    """Issue 15 item 5: at least 250 lines, and each form of the issue among them."""
    lines = {line for line, _ in REALISTIC_LINES}
    assert len(REALISTIC_LINES) >= 250 and len(lines) == len(REALISTIC_LINES)
    for form in (
        "đã nộp", "đã gửi", "đã nộp đủ kinh phí", "hoàn thàng", "xonh", "ko xong",
        "chưa xong", "đang làm 60", "8/10 chỉ tiêu", "3", "đã nhận văn bản, sẽ triển khai",
        "cảm ơn", "ok", "dạ vâng", "mục 2 xong, mục 3 đang làm",
        "vướng: chờ hướng dẫn của cấp trên", "mới xong", "xong rồi bạn ơi",
    ):  # fmt: skip
        assert form in lines, form


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("chưa xong", "not-yet-done"),
        ("2 60", "code-2"),
        ("CV 490 mục 3 xong", "document+task-item+done"),
        ("thiếu kinh phí nên chưa làm được", "blocked-reason-before"),
        ("kết nạp 12", "indicator"),
    ],
)
def test_rule_explains_the_reading(line: str, rule: str) -> None:
    assert read_reply(line).rule == rule


# (line, the rule that refused it, words the message must contain)
REFUSALS: list[tuple[str, str, str]] = [
    ("150%", "percent-range", "150%"),
    ("-20%", "percent-range", "-20%"),
    ("hoàn thành 150%", "percent-range", "150%"),
    ("2 150", "percent-range", "150"),
    ("2 -20", "percent-range", "-20"),
    ("", "empty", "không có nội dung"),
    ("   \n\t ", "empty", "không có nội dung"),
    ("x" * (MAX_REPLY_CHARS + 1), "too-long", "dài quá"),
    ("đang làm 60% " * 800, "too-long", "một dòng ngắn"),
    ("👍", "no-text", "biểu tượng"),
    ("🙏🙏🙏", "no-text", "biểu tượng"),
    ("😀 ✅ !!!", "no-text", "biểu tượng"),
    ("xong nhưng chưa làm", "contradiction", "«Đã xong» vừa báo «Chưa bắt đầu»"),
    ("1 chưa làm", "contradiction", "«Đã xong»"),
    ("xong, 60%", "contradiction", "«60%»"),
    ("đang làm 40%, có chỗ 60%", "many-percents", "40%, 60%"),
    ("mục 2 xong, mục 3 đang làm", "many-tasks", "mục 2, mục 3"),
    ("mục 2, 3 đã xong", "many-tasks", "mục 2, mục 3"),  # one reading cannot hold a list
    ("CV 490 xong, CV 534 đang làm", "many-documents", "490, 534"),
    ("kết nạp 12 người, thu được 5 triệu", "many-numbers", "12"),
    ("kết nạp 12,5 đoàn viên", "bad-number", "12,5"),
    ("xong chưa?", "question", "đang hỏi"),
    ("đã hoàn thành chưa ạ", "question", "đang hỏi"),
    ("sẽ xong trước 20/11", "plan", "sẽ làm"),
    ("dự kiến xong 20/11", "plan", "sẽ làm"),
    ("2 ngày nữa xong", "plan", "sẽ làm"),
    ("khi nào xong em báo ạ", "plan", "sẽ làm"),
    ("chưa ạ", "bare-not-yet", "chưa làm"),
    ("60", "ambiguous-number", "«60»"),
    ("12", "ambiguous-number", "«12»"),
    ("1000", "ambiguous-number", "«kết nạp 1000»"),
    ("hoàn thành 60", "ambiguous-number", "«đang làm 60%»"),  # 60% or 60 done?
    ("Đã xong 12 ạ", "ambiguous-number", "«12»"),
    ("abc xyz", "unreadable", "«abc xyz»"),
    ("anh ơi", "unreadable", "«anh ơi»"),  # politeness without an acknowledgement
    ("8/10", "unreadable", "«8/10»"),  # a date as likely as a share of a target
    ("đạt 8/0 chỉ tiêu", "bad-fraction", "8/0"),
    ("đang làm 150", "percent-range", "150"),
    ("đã nhận văn bản nhưng chưa có kinh phí", "bare-not-yet", "chưa làm"),
    ("đã nhận được văn bản chưa ạ", "question", "đang hỏi"),
    ("chưa nhận được văn bản", "bare-not-yet", "chưa làm"),
    ("mục 3", "unreadable", "«mục 3»"),
    ("asdfghjkl qwerty zxcv " * 3, "unreadable", "…"),
]


@pytest.mark.parametrize(("line", "rule", "words"), REFUSALS, ids=[r[0][:30] for r in REFUSALS])
def test_refusal(line: str, rule: str, words: str) -> None:
    got = read_reply(line)
    assert got.status is UNKNOWN
    assert not got.is_confident
    assert got.rule == rule
    assert got.error is not None
    assert words in got.error
    # Polite, addressed to the chair, and shows an accepted form.
    assert "nh/chị" in got.error
    assert "«" in got.error
    assert (got.percent, got.number, got.note) == (None, None, None)


def test_a_refusal_keeps_the_task_it_named() -> None:
    got = read_reply("CV 490 mục 3: 150%")
    assert got.status is UNKNOWN
    assert (got.task_item, got.document_number) == (3, "490")


def test_the_length_limit_is_inclusive() -> None:
    line = "xong " + "a" * (MAX_REPLY_CHARS - 5)
    assert len(line) == MAX_REPLY_CHARS
    assert read_reply(line).status is DONE


@pytest.mark.parametrize(
    "line",
    [
        "chưa xong",
        "chưa hoàn thành",
        "chua xong",
        "chx xong",
        "chưa làm xong",
        "không xong",
        "ko xong dc",
        "chưa thể hoàn thành",
        "xong chưa?",
        "sẽ xong",
        "gần xong",
        "sắp hoàn thành",
        "không hoàn thành được vì mưa bão",
        "2 ngày nữa xong",
    ],
)
def test_a_negated_or_future_done_is_never_done(line: str) -> None:
    assert read_reply(line).status is not DONE


def test_decomposed_input_gives_a_composed_note() -> None:
    line = unicodedata.normalize("NFD", "vướng: thiếu kinh phí")
    got = read_reply(line)
    assert got.status is BLOCKED
    assert got.note == "thiếu kinh phí"


# ------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đã Xong Ạ", "da xong a"),
        ("VƯỚNG MẮC", "vuong mac"),
        ("xong rooif aj", "xong roi a"),
        ("dduwowcj", "duoc"),
        ("chuwa lamf", "chua lam"),
        ("keets napj", "ket nap"),
        ("nhw", "nhu"),
        ("CĐCS ok tks", "cdcs ok tks"),  # abbreviations are not Telex
        ("６０％", "60%"),  # full-width from some keyboards
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold_plain(text) == folded


def test_untelex_leaves_real_syllables_alone() -> None:
    assert untelex("xong") is None
    assert untelex("nguoi") is None
    assert untelex("cdcs") is None
    assert untelex("rooif") == [0, 1, 3]


def test_original_span_keeps_the_chairs_letters() -> None:
    folded = fold("Thiếu KINH phis")
    assert folded.text == "thieu kinh phi"
    assert folded.original_span(0, len(folded.text)) == "Thiếu KINH phis"
    assert folded.original_span(6, 10) == "KINH"


# ---------------------------------------------------------------------- properties

GRAMMAR_WORDS = [
    "xong", "đã", "dạ", "ạ", "chưa", "làm", "đang", "được", "rồi", "r", "hoàn thành", "ht",
    "60%", "-20%", "150%", "100%", "0%", "62,5%", "1", "2", "3", "12", "1.200", "1,5",
    "mục", "mục 3", "#2", "việc 2", "CV 490", "490/LĐLĐ", "nhiệm vụ", "vướng", "vướng:",
    "mắc", "khó khăn", "thiếu", "kinh phí", "vì", "do", "nên", "một nửa", "nửa", "kết nạp",
    "đoàn viên", "triệu", "500k", "không", "ko", "k", "dc", "thể", "sẽ", "dự kiến",
    "khi nào", "ngày", "nữa", "tuần sau", "gần", "sắp", "?", ",", ".", ":", "-", "😀", "✅",
    "rooif", "ddax", "vuwowngs", "w", "dd", "ok", "cảm ơn", "anh/chị", "bên em", "em xin báo cáo",
    "kính gửi", "\n", "  ", "\x00", "\u0301",
    "2147483648", "999999999999", "tỷ", "999.999.999.999", "١٢", "²", "１２",
    "8/10", "0/0", "chỉ tiêu", "đạt", "nhận", "văn bản", "đã nộp", "gửi", "vâng", "bạn", "mới",
    "chờ", "mục 2", "mục 3 xong", ";", "CV 534", "và",
]  # fmt: skip

grammar_lines = st.lists(st.sampled_from(GRAMMAR_WORDS), max_size=16).map(" ".join)


def check_invariants(got: ReplyReading) -> None:
    assert isinstance(got.status, ReplyStatus)
    assert got.percent is None or 0 <= got.percent <= 100
    assert (got.error is None) == (got.status is not UNKNOWN)
    assert got.is_confident == (got.error is None)
    assert got.error is None or got.error.strip()
    assert got.note is None or got.note.strip()
    assert got.number is None or 0 <= got.number <= INT64_MAX  # `replies.number`


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1100))
def test_random_text_never_raises(text: str) -> None:
    check_invariants(read_reply(text))


@settings(max_examples=500, deadline=None)
@given(grammar_lines)
def test_random_mixes_of_grammar_words_never_raise(text: str) -> None:
    check_invariants(read_reply(text))


@settings(max_examples=300, deadline=None)
@given(grammar_lines)
def test_a_line_about_several_tasks_never_raises(text: str) -> None:
    got = read_replies(text)
    assert got
    for one in got:
        check_invariants(one)
    if len(got) > 1:  # several readings only when each is confident and names its task
        assert all(one.is_confident for one in got)
        assert all(one.task_item is not None or one.document_number for one in got)


def strip_diacritics(text: str) -> str:
    """Written here on purpose, not `schedules.folding`: the test must not trust the folding
    it checks."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("đ", "d").replace("Đ", "D")


@settings(max_examples=300, deadline=None)
@given(grammar_lines)
def test_diacritics_and_case_do_not_change_the_reading(text: str) -> None:
    assume(strip_diacritics(text).strip())  # a lone mark is "no text" before, "empty" after
    plain = read_reply(strip_diacritics(text).upper())
    accented = read_reply(text)
    assert (plain.status, plain.percent, plain.number, plain.task_item) == (
        accented.status,
        accented.percent,
        accented.number,
        accented.task_item,
    )
    assert plain.rule == accented.rule


@settings(max_examples=300, deadline=None)
@given(grammar_lines)
def test_a_note_is_the_chairs_own_text(text: str) -> None:
    got = read_reply(text)
    if got.note is not None:
        for part in got.note.split("; "):
            assert part in unicodedata.normalize("NFC", text)
