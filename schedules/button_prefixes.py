"""The prefixes of button data, in one place: data is `PREFIX:rest`, and the router sends a
press to the handler of its prefix. Schedules build some buttons (the answer buttons of a
reminder) and handlers build the rest, so the prefixes live here, below both."""

from __future__ import annotations

from enum import StrEnum, unique

from schedules.numbers import digit_runs_fit

# Telegram's limit on a button's data; ours stay well under it, on every channel.
MAX_DATA_BYTES = 64


@unique
class ButtonPrefix(StrEnum):
    """One prefix per kind of button; a prefix never contains `:`."""

    ANSWER = "a"  # a reminder's answer buttons: `a:{assignment_id}:{action}[:{detail}]`
    WHICH_TASK = "q"  # "which task?" after a chair's reply: `q:{assignment_id}`
    REGISTRATION_DECISION = "r"  # an officer decides: `r:{a|r|k|n}:{request_id}`
    INTAKE = "i"  # a directive draft: `i:{ok|no|all}:{directive_id}`
    BROADCAST = "bc"  # an officer's notice: `bc:{action}:{broadcast_id}[:{index}]`
    BROADCAST_ACK = "n"  # a chair acknowledges a notice: `n:{broadcast_id}`
    UNBIND = "u"  # /huy confirmed or declined: `u:{y|n}:{person_id}`
    GIVE_TASK = "gv"  # an officer confirms /giaoviec's preview: `gv:{ok|no}:{directive_id}`
    TASK_CHANGE = "tc"  # an officer confirms a task's change: `tc:{ok|no}:{change_id}`
    GIVE_DOWN = "pd"  # an officer passes a task down: `pd:{s|ok|no}:{assignment_id}`


def is_well_formed(data: str) -> bool:
    """Data a button of ours can carry: printable ASCII within 64 bytes, each number in it
    an id or index an INTEGER column holds. Button data comes from the platform and can be
    forged; anything else is answered as a stale button before a handler reads it, so no
    handler meets «²» or an id PostgreSQL cannot compare."""
    return (
        len(data) <= MAX_DATA_BYTES
        and data.isascii()
        and data.isprintable()
        and digit_runs_fit(data)
    )
