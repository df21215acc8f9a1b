"""The reply grammar: realistic chair lines, the refusals, and random text that cannot break it."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handlers.reply_grammar import MAX_REPLY_CHARS, ReplyReading, ReplyStatus, read_reply
from handlers.vietnamese_text import fold, fold_plain, untelex
from schedules.numbers import INT64_MAX

DONE = ReplyStatus.DONE
IN_PROGRESS = ReplyStatus.IN_PROGRESS
BLOCKED = ReplyStatus.BLOCKED
NOT_STARTED = ReplyStatus.NOT_STARTED
UNKNOWN = ReplyStatus.UNKNOWN


def reading(
    status: ReplyStatus,
    percent: int | None = None,
    number: int | None = None,
    note: str | None = None,
    task: int | None = None,
    doc: str | None = None,
) -> ReplyReading:
    """The expected reading; `rule` is compared separately, where it matters."""
    return ReplyReading(
        status=status,
        percent=percent,
        number=number,
        note=note,
        task_item=task,
        document_number=doc,
    )


# (line a chair sends, full expected reading)
REALISTIC_LINES: list[tuple[str, ReplyReading]] = [
    # done, in every spelling a phone produces
    ("xong", reading(DONE)),
    ("Xong", reading(DONE)),
    ("XONG", reading(DONE)),
    ("xong rồi", reading(DONE)),
    ("xong roi a", reading(DONE)),
    ("Xong rồi ạ", reading(DONE)),
    ("Dạ xong rồi ạ", reading(DONE)),
    ("da xong a", reading(DONE)),
    ("đã xong", reading(DONE)),
    ("Đã hoàn thành", reading(DONE)),
    ("da hoan thanh", reading(DONE)),
    ("hoàn thành rồi anh ạ", reading(DONE)),
    ("ok xong rồi", reading(DONE)),
    ("Ok xong r", reading(DONE)),
    ("100%", reading(DONE, percent=100)),
    ("hoàn thành 100%", reading(DONE, percent=100)),
    ("Dạ em xin báo cáo: đơn vị em đã hoàn thành ạ", reading(DONE)),
    ("Kính gửi anh/chị, bên em đã xong ạ. Cảm ơn anh/chị", reading(DONE)),
    ("Chị ơi bên em xong rồi nhé", reading(DONE)),
    ("xong hết rồi ạ", reading(DONE)),
    ("xongg", reading(DONE)),
    ("xomg roi", reading(DONE)),
    ("xong rooif aj", reading(DONE)),  # Telex keys left in: "xong rồi ạ"
    ("ddax xong", reading(DONE)),  # "đã xong"
    ("done", reading(DONE)),
    ("✅ Đã xong", reading(DONE)),
    ("Đã triển khai xong đến các tổ công đoàn", reading(DONE, note="đến các tổ công đoàn")),
    ("đã nộp báo cáo rồi ạ", reading(DONE)),
    (
        "Xong rồi, em gửi bản cứng qua bưu điện rồi ạ",
        reading(DONE, note="gửi bản cứng qua bưu điện"),
    ),
    ("đã xong từ ngày 15/11", reading(DONE, note="từ ngày 15/11")),
    ("hoàn thành trước hạn", reading(DONE, note="trước hạn")),
    # in progress
    ("đang làm", reading(IN_PROGRESS)),
    ("dang lam", reading(IN_PROGRESS)),
    ("đang làm 60%", reading(IN_PROGRESS, percent=60)),
    ("dang lam 60%", reading(IN_PROGRESS, percent=60)),
    ("Đang làm 60 %", reading(IN_PROGRESS, percent=60)),
    ("⏳ Đang làm 60%", reading(IN_PROGRESS, percent=60)),
    ("đang thực hiện được 60%", reading(IN_PROGRESS, percent=60)),
    ("dduwowcj 60%", reading(IN_PROGRESS, percent=60)),  # Telex "được 60%"
    ("Đang triển khai", reading(IN_PROGRESS)),
    ("dag lam 50%", reading(IN_PROGRESS, percent=50)),
    ("60%", reading(IN_PROGRESS, percent=60)),
    ("khoảng 70%", reading(IN_PROGRESS, percent=70)),
    ("tiến độ 80%", reading(IN_PROGRESS, percent=80)),
    ("được một nửa", reading(IN_PROGRESS, percent=50)),
    ("làm được một nửa rồi", reading(IN_PROGRESS, percent=50)),
    ("hoàn thành 60%", reading(IN_PROGRESS, percent=60)),
    ("hoàn thành 62,5%", reading(IN_PROGRESS, percent=63)),
    ("Dạ mới được 20% thôi ạ", reading(IN_PROGRESS, percent=20)),
    ("dạ em đang làm ạ, được khoảng 70% rồi", reading(IN_PROGRESS, percent=70)),
    ("sắp xong rồi ạ", reading(IN_PROGRESS)),
    ("gần xong", reading(IN_PROGRESS)),
    ("chưa xong", reading(IN_PROGRESS)),
    ("chua xong a", reading(IN_PROGRESS)),
    ("chx xong", reading(IN_PROGRESS)),
    ("Chưa hoàn thành ạ", reading(IN_PROGRESS)),
    ("em làm chưa xong ạ", reading(IN_PROGRESS)),
    ("vẫn đang thực hiện", reading(IN_PROGRESS)),
    (
        "đang làm 60%, chờ LĐLĐ duyệt kinh phí",
        reading(IN_PROGRESS, percent=60, note="chờ LĐLĐ duyệt kinh phí"),
    ),
    ("đang làm 60%, tuần sau xong", reading(IN_PROGRESS, percent=60, note="tuần sau xong")),
    ("đã xong 1 phần", reading(IN_PROGRESS)),
    ("không có vướng mắc gì, đang làm 80%", reading(IN_PROGRESS, percent=80)),
    # blocked, with the reason in the chair's own words
    ("vướng: thiếu kinh phí", reading(BLOCKED, note="thiếu kinh phí")),
    ("vuong mac thieu kinh phi", reading(BLOCKED, note="thieu kinh phi")),
    ("Vướng mắc: thiếu kinh phí ạ", reading(BLOCKED, note="thiếu kinh phí")),
    ("⚠️ Vướng mắc: thiếu kinh phí", reading(BLOCKED, note="thiếu kinh phí")),
    ("khó khăn: chưa có hội trường", reading(BLOCKED, note="chưa có hội trường")),
    (
        "Dạ bên em đang vướng mắc ạ, do chưa có kinh phí",
        reading(BLOCKED, note="chưa có kinh phí"),
    ),
    ("chưa làm được vì thiếu người", reading(BLOCKED, note="thiếu người")),
    ("chua lam duoc vi thieu nguoi", reading(BLOCKED, note="thieu nguoi")),
    (
        "Mục 2: chưa làm do chưa nhận được văn bản",
        reading(BLOCKED, note="chưa nhận được văn bản", task=2),
    ),
    ("thiếu kinh phí nên chưa làm được", reading(BLOCKED, note="thiếu kinh phí")),
    ("không thể hoàn thành vì thiếu người", reading(BLOCKED, note="thiếu người")),
    ("ko lam dc", reading(BLOCKED)),
    ("gặp khó khăn về kinh phí, mới được 30%", reading(BLOCKED, percent=30, note="kinh phí")),
    ("mục 3 chưa xong, đang vướng kinh phí", reading(BLOCKED, note="kinh phí", task=3)),
    ("đang làm, vướng kinh phí", reading(BLOCKED, note="kinh phí")),
    ("vuwowngs macws: thieeus kinh phis", reading(BLOCKED, note="thieeus kinh phis")),
    ("vướng", reading(BLOCKED)),
    # not started
    ("chưa làm", reading(NOT_STARTED)),
    ("chua lam", reading(NOT_STARTED)),
    ("chưa triển khai", reading(NOT_STARTED)),
    ("Dạ bên em chưa triển khai được ạ", reading(NOT_STARTED)),
    ("chưa bắt đầu", reading(NOT_STARTED)),
    ("em chưa làm được gì ạ", reading(NOT_STARTED)),
    ("chưa kết nạp được ai", reading(NOT_STARTED)),
    ("0%", reading(NOT_STARTED, percent=0)),
    # indicator numbers: a figure alone means the work is under way
    ("kết nạp 12", reading(IN_PROGRESS, number=12)),
    ("ket nap 12", reading(IN_PROGRESS, number=12)),
    ("kn 12", reading(IN_PROGRESS, number=12)),
    ("đã kết nạp 12 đoàn viên", reading(IN_PROGRESS, number=12)),
    (
        "Dạ báo cáo anh, CĐCS bên em đã kết nạp được 15 đoàn viên mới ạ",
        reading(IN_PROGRESS, number=15),
    ),
    ("12 đoàn viên", reading(IN_PROGRESS, number=12)),
    ("kết nạp 12, xong", reading(DONE, number=12)),
    (
        "đã kết nạp 12 đoàn viên, đạt 80% chỉ tiêu",
        reading(IN_PROGRESS, percent=80, number=12, note="chỉ tiêu"),
    ),
    ("đã kết nạp 1.200 đoàn viên", reading(IN_PROGRESS, number=1200)),
    ("thu được 5 triệu đồng", reading(IN_PROGRESS, number=5_000_000)),
    ("thu duoc 500k", reading(IN_PROGRESS, number=500_000)),
    ("đã thu 1,5 triệu", reading(IN_PROGRESS, number=1_500_000)),
    # the short codes the reminder advertises
    ("1", reading(DONE)),
    ("1 ạ", reading(DONE)),
    ("dạ 1", reading(DONE)),
    ("1 em đã gửi bản cứng", reading(DONE, note="gửi bản cứng")),
    ("2", reading(IN_PROGRESS)),
    ("2 60", reading(IN_PROGRESS, percent=60)),
    ("dạ 2 60 ạ", reading(IN_PROGRESS, percent=60)),
    ("2 60%", reading(IN_PROGRESS, percent=60)),
    ("2-60", reading(IN_PROGRESS, percent=60)),
    ("2 100", reading(DONE, percent=100)),
    ("2 0", reading(NOT_STARTED, percent=0)),
    ("3", reading(BLOCKED)),
    ("3 thiếu kinh phí", reading(BLOCKED, note="thiếu kinh phí")),
    ("3: chưa có kinh phí ạ", reading(BLOCKED, note="chưa có kinh phí")),
    # the task the line names
    ("mục 3 xong", reading(DONE, task=3)),
    ("muc 3 xong", reading(DONE, task=3)),
    ("xong mục 3 rồi ạ", reading(DONE, task=3)),
    ("Dạ em xin báo cáo: mục 3 đã hoàn thành ạ", reading(DONE, task=3)),
    ("CV 490 mục 3 xong", reading(DONE, task=3, doc="490")),
    ("cv 490/LĐLĐ mục 3: đang làm 60%", reading(IN_PROGRESS, percent=60, task=3, doc="490")),
    ("Công văn số 534/LĐLĐ, mục 1: đã hoàn thành", reading(DONE, task=1, doc="534")),
    ("CV số 490/LĐLĐ xong", reading(DONE, doc="490")),
    ("#2 xong", reading(DONE, task=2)),
    ("# 2 dang lam 40%", reading(IN_PROGRESS, percent=40, task=2)),
    ("việc 2 đang làm", reading(IN_PROGRESS, task=2)),
    ("viec 2 dang lam", reading(IN_PROGRESS, task=2)),
    ("nhiệm vụ 2 chưa làm", reading(NOT_STARTED, task=2)),
    ("nhiem vu 4: vuong thieu kinh phi", reading(BLOCKED, note="thieu kinh phi", task=4)),
    ("mục 3: 1", reading(DONE, task=3)),
    ("mục 2: 3 thiếu người", reading(BLOCKED, note="thiếu người", task=2)),
]


@pytest.mark.parametrize(("line", "expected"), REALISTIC_LINES, ids=[t[0] for t in REALISTIC_LINES])
def test_realistic_line(line: str, expected: ReplyReading) -> None:
    got = read_reply(line)
    assert dataclasses.replace(got, rule="") == expected
    assert got.is_confident
    assert got.rule  # every reading says which rule decided


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
    ("ok", "unreadable", "«ok»"),
    ("dạ", "unreadable", "«dạ»"),
    ("cảm ơn anh", "unreadable", "«cảm ơn anh»"),
    ("abc xyz", "unreadable", "«abc xyz»"),
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
