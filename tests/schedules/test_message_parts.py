"""Splitting a long text into numbered parts: every part fits, nothing is lost, lines and
words stay whole."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.message_parts import TEXT_LIMITS, size, split_text, text_limit

LABEL = re.compile(r"^\((\d+)/(\d+)\) ")


def unlabelled(parts: list[str]) -> list[str]:
    """The parts without their `(k/n) ` numbering, checking it counts 1..n."""
    if len(parts) == 1:
        return parts
    bodies = []
    for index, part in enumerate(parts, start=1):
        match = LABEL.match(part)
        assert match is not None, part[:20]
        assert (int(match[1]), int(match[2])) == (index, len(parts))
        bodies.append(part[match.end() :])
    return bodies


def test_a_short_text_is_left_untouched() -> None:
    text = "  Tổng hợp\n\n- CĐCS 1: xong  "
    assert split_text(text, 4096) == [text]
    assert split_text("x" * 4096, 4096) == ["x" * 4096]


def test_the_channels_limits() -> None:
    assert TEXT_LIMITS == {"telegram": 4096, "zalo": 2000}
    assert text_limit("zalo") == 2000
    assert text_limit("telegram") == 4096
    assert text_limit("unknown") == 2000


def test_unit_lines_are_never_cut() -> None:
    lines = [f"- Công đoàn cơ sở Trường Tiểu học số {n}: quá hạn 3 ngày" for n in range(300)]
    text = "Tổng hợp CV 490/LĐLĐ\n" + "\n".join(lines)
    parts = split_text(text, 4096)
    assert len(parts) > 3
    assert all(len(part) <= 4096 for part in parts)
    assert parts[0].startswith(f"(1/{len(parts)}) Tổng hợp CV 490/LĐLĐ\n")
    found = [line for body in unlabelled(parts) for line in body.split("\n")]
    assert found == ["Tổng hợp CV 490/LĐLĐ", *lines]


def test_a_long_paragraph_is_cut_after_a_sentence() -> None:
    sentences = [f"Câu số {n} nói về việc kết nạp đoàn viên." for n in range(40)]
    parts = split_text(" ".join(sentences), 500)
    assert len(parts) > 1
    for body in unlabelled(parts):
        assert body.endswith("đoàn viên.")
        assert len(body) <= 500


def test_a_sentence_longer_than_a_part_is_cut_between_words() -> None:
    words = [f"từ{n}" for n in range(400)]
    parts = split_text(" ".join(words), 300)
    bodies = unlabelled(parts)
    assert [word for body in bodies for word in body.split()] == words
    assert all(len(part) <= 300 for part in parts)


def test_only_a_run_longer_than_a_part_is_cut_inside() -> None:
    text = "đầu " + "a" * 250 + " cuối"
    parts = split_text(text, 100)
    assert all(len(part) <= 100 for part in parts)
    joined = "".join("".join(body.split()) for body in unlabelled(parts))
    assert joined == "đầu" + "a" * 250 + "cuối"
    assert unlabelled(parts)[0] == "đầu"


def test_ten_parts_or_more_are_numbered_within_the_limit() -> None:
    text = "\n".join(f"dòng {n} " + "x" * 40 for n in range(400))
    parts = split_text(text, 200)
    assert len(parts) >= 100
    assert all(len(part) <= 200 for part in parts)
    assert parts[-1].startswith(f"({len(parts)}/{len(parts)}) ")


def test_emoji_count_as_two_as_on_telegram() -> None:
    text = "📊" * 150
    parts = split_text(text, 100)
    assert size("📊") == 2
    assert all(size(part) <= 100 for part in parts)
    assert "".join(part.split(") ", 1)[1] for part in parts) == text
    assert split_text("📊" * 50, 100) == ["📊" * 50]


def test_a_limit_too_small_for_the_numbering_is_refused() -> None:
    with pytest.raises(ValueError, match="no room"):
        split_text("một hai ba bốn năm", 6)


WORD = st.text(
    alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ.!?…;,»0123456789📊✅"),
    min_size=1,
    max_size=30,
)
SPACE = st.sampled_from([" ", "  ", "\n", "\n\n", " \n", "\t"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORD, min_size=1, max_size=300))
    out = [words[0]]
    for word in words[1:]:
        out.append(draw(SPACE))
        out.append(word)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(text=texts(), limit=st.integers(min_value=40, max_value=600))
def test_parts_fit_and_keep_every_word_in_order(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(size(part) <= limit for part in parts)
    bodies = unlabelled(parts)
    assert [word for body in bodies for word in body.split()] == text.split()
    if len(parts) > 1:
        assert all(body.strip() == body and body for body in bodies)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.sampled_from("ab .\n📊"), min_size=1, max_size=2000),
    limit=st.integers(min_value=12, max_value=300),
)
def test_nothing_is_lost_even_in_runs_longer_than_a_part(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(size(part) <= limit for part in parts)
    bodies = unlabelled(parts)
    assert "".join("".join(body.split()) for body in bodies) == "".join(text.split())
    longest = max(size(word) for word in text.split()) if text.split() else 0
    if len(parts) > 1 and longest <= limit - len(f"({len(parts)}/{len(parts)}) "):
        assert [word for body in bodies for word in body.split()] == text.split()
