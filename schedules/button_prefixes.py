"""The prefixes of button data, in one place: data is `PREFIX:rest`, and the router sends a
press to the handler of its prefix. Schedules build some buttons (the answer buttons of a
reminder) and handlers build the rest, so the prefixes live here, below both."""

from __future__ import annotations

from enum import StrEnum, unique


@unique
class ButtonPrefix(StrEnum):
    """One prefix per kind of button; a prefix never contains `:`."""

    ANSWER = "a"  # a reminder's answer buttons: `a:{assignment_id}:{action}[:{detail}]`
    WHICH_TASK = "q"  # "which task?" after a chair's reply: `q:{assignment_id}`
    REGISTRATION_DECISION = "r"  # an officer approves or rejects: `r:{a|r}:{request_id}`
    INTAKE = "i"  # a directive draft: `i:{ok|no|all}:{directive_id}`
    BROADCAST = "bc"  # an officer's notice: `bc:{action}:{broadcast_id}[:{index}]`
    BROADCAST_ACK = "n"  # a chair acknowledges a notice: `n:{broadcast_id}`
