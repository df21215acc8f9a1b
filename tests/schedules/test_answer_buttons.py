"""Answer buttons: their data fits Telegram's 64 bytes and reads back; junk reads as None."""

from __future__ import annotations

import pytest

from schedules.answer_buttons import (
    ANSWER_PREFIX,
    AnswerAction,
    AnswerPress,
    answer_choices,
    answer_data,
    read_answer_data,
)


def test_a_reminder_has_three_buttons_whose_data_reads_back() -> None:
    (row,) = answer_choices(987_654_321)
    assert [button["label"] for button in row] == ["✅ Đã xong", "⏳ Đang làm", "⚠️ Vướng mắc"]
    for button, action in zip(row, AnswerAction, strict=True):
        prefix, _, rest = button["data"].partition(":")
        assert prefix == ANSWER_PREFIX
        assert len(button["data"].encode()) <= 64
        assert read_answer_data(rest) == AnswerPress(987_654_321, action)


def test_a_detail_travels_with_the_press() -> None:
    rest = answer_data(12, AnswerAction.WORKING, "50").partition(":")[2]
    assert read_answer_data(rest) == AnswerPress(12, AnswerAction.WORKING, "50")


@pytest.mark.parametrize("rest", ["", "12", "x:d", "12:z", "12:d:1:2", "1234567890123:d", "-1:d"])
def test_malformed_data_is_refused(rest: str) -> None:
    assert read_answer_data(rest) is None
