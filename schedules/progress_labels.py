"""The one Vietnamese label for each state of a unit's work on a task, for chairs and officers.

The same word names what a chair's line was read as (`handlers.reply_grammar.ReplyStatus`,
in a refusal such as «vừa báo «Đã xong» vừa báo «Chưa bắt đầu»»), what was stored
(`storage.models.Progress`, in the chair's confirmation and the officer's escalation) and,
where they coincide, the officer's status (`schedules.status`). A chair types `chưa làm`
(the grammar still reads it); the bot and the reports say «Chưa bắt đầu».

Keyed by the state's value, which `ReplyStatus` and `Progress` share. This module imports
nothing, so that the reply grammar, which must start fast, can use it without the tables.
"""

from __future__ import annotations

from typing import Final

PROGRESS_LABELS: Final[dict[str, str]] = {
    "open": "Chưa báo cáo",  # no reply yet
    "done": "Đã xong",
    "in_progress": "Đang làm",
    "blocked": "Vướng mắc",
    "not_started": "Chưa bắt đầu",
}
