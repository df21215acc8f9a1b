"""An answer too long for its channel becomes numbered parts; the buttons and the contact
key go with the last part only, so they sit under the end of the text."""

from __future__ import annotations

from handlers.messages import Channel, Choice, Outgoing

BUTTONS = ((Choice("✅ Xác nhận", "intake:ok:1"), Choice("✖️ Hủy", "intake:no:1")),)
LONG = "\n".join(f"{n}. CĐCS Trường Tiểu học số {n}: chưa báo cáo" for n in range(1, 200))


def test_a_short_answer_is_one_message() -> None:
    answer = Outgoing("Đã ghi nhận.", choices=BUTTONS)
    assert answer.parts(Channel.TELEGRAM) == [answer]


def test_buttons_go_with_the_last_part() -> None:
    answer = Outgoing(LONG, choices=BUTTONS, chat_id="42")
    parts = answer.parts(Channel.TELEGRAM)
    assert len(parts) == 3
    assert [part.choices for part in parts] == [(), (), BUTTONS]
    assert {part.chat_id for part in parts} == {"42"}
    assert all(len(part.text) <= 4096 for part in parts)


def test_zalo_parts_are_shorter() -> None:
    parts = Outgoing(LONG, ask_contact=True).parts(Channel.ZALO)
    assert len(parts) == 5
    assert all(len(part.text) <= Channel.ZALO.text_limit == 2000 for part in parts)
    assert [part.ask_contact for part in parts] == [False] * 4 + [True]
    assert parts[-1].text.startswith("(5/5) ")
