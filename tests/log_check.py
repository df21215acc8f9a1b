"""The log check: no token, phone number or person's name in any log line at INFO or above,
in any test of the suite (issue 16). Log lines go to files and to whoever runs the servers;
they carry ids, never what identifies a person or unlocks the bot.

`LeakWatch` is a logging handler on the root logger for the whole session, the loggers set
as `bot.logging_setup.configure_logging` sets them in production (INFO, with httpx and the
other noisy ones at WARNING). Each record is checked as it is emitted: its message (and its
traceback, when it has one) against the tokens of the suite, the names and phone numbers of
the people the tests create (`forbid`), and the shape of a Vietnamese phone number. The
conftest fails the test during which a leak was logged, naming the logger and the kind of
leak (never the leaked text itself).

What it does not see: the lines of other processes (handler processes, the command line run
as a subprocess: `tests/bot/test_startup_errors.py` greps those).
"""

from __future__ import annotations

import logging
import re
import traceback
from dataclasses import dataclass

# 0912000011, +84912000011, 84912000011: a mobile number, however written without spaces.
PHONE = re.compile(r"(?<![0-9])(?:\+?84|0)[35789][0-9]{8}(?![0-9])")
NOISY = ("httpx", "httpcore", "apscheduler", "aiohttp.access")  # as configure_logging


@dataclass(frozen=True, slots=True)
class Leak:
    test: str
    logger: str
    level: str
    kind: str  # "token", "phone" or "name": what was found, not the text itself


class LeakWatch(logging.Handler):
    """Collects the leaks of every record at INFO or above."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.forbidden: dict[str, str] = {}  # text → its kind
        self.leaks: list[Leak] = []
        self.test = ""  # the test running, to name it in the failure

    def forbid(self, kind: str, *texts: str | None) -> None:
        """Texts that must never be logged: a token, a phone, a person's full name."""
        for text in texts:
            if text and (kind != "name" or " " in text.strip()):
                self.forbidden[text.strip()] = kind

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken record is the logging module's to report
            return
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
        elif record.exc_text:  # formatted already (bot.logging_setup.RedactSecrets does)
            text += "\n" + record.exc_text
        kinds = {kind for secret, kind in self.forbidden.items() if secret in text}
        if PHONE.search(text):
            kinds.add("phone")
        for kind in sorted(kinds):
            self.leaks.append(Leak(self.test, record.name, record.levelname, kind))


def install(watch: LeakWatch) -> None:
    """Put the watch on the root logger, the levels as in production; again after a test
    that reconfigured logging (`configure_logging` replaces the root's handlers)."""
    root = logging.getLogger()
    if watch not in root.handlers:
        root.addHandler(watch)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    for name in NOISY:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


WATCH = LeakWatch()


def forbid_person(name: str | None, phone: str | None = None) -> None:
    """A person a test creates: their full name and phone must never be logged."""
    WATCH.forbid("name", name)
    WATCH.forbid("phone", phone)
