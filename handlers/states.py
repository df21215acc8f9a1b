"""The steps a conversation can wait at, in one place. The values are stored in
`conversation_states.name`, so a value never changes once released."""

from __future__ import annotations

from enum import StrEnum, unique


@unique
class State(StrEnum):
    """What the account's next message answers; the router's `CONVERSATIONS` names the
    handler of each."""

    ANSWER_PERCENT = "answer_percent"  # how far along, after «Đang làm»
    ANSWER_REASON = "answer_reason"  # what blocks it, after «Vướng mắc»
    WHICH_TASK = "which_task"  # which of several tasks a reply was about
    REGISTRATION_NAME = "registration_name"  # a person not in the roster gives their full name
    REGISTRATION_UNIT = "registration_unit"  # a person not in the roster names their unit
    REGISTRATION_PENDING = "registration_pending"  # officers have not decided yet
    INTAKE = "intake"  # an officer checks the reading of a directive
    BROADCAST_TEXT = "broadcast_text"  # an officer writes a notice (after «Soạn thông báo mới»)
    BROADCAST_AUDIENCE = "broadcast_audience"  # an officer chooses who gets the notice
    BROADCAST_CONFIRM = "broadcast_confirm"  # an officer checks the preview and confirms
    GIVE_DOWN = "pass_down"  # an officer checks a pass-down's preview and confirms
    CHOICES = "choices"  # numbered choices listed on a channel without buttons (Zalo)
