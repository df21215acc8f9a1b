"""The log check itself (tests/log_check.py) sees what it must: it is armed for the whole
suite, and a token, a phone or a person's name in a log line at INFO or above is caught,
while ids and masked numbers are not."""

from __future__ import annotations

import logging

from tests import log_check
from tests.conftest import TEST_TOKEN


def test_the_watch_is_on_the_root_logger_at_info() -> None:
    assert log_check.WATCH in logging.getLogger().handlers
    assert logging.getLogger("handlers.router").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)  # as in production


def test_leaks_are_caught_and_ids_are_not() -> None:
    log = logging.getLogger("handlers.example")
    watch = log_check.WATCH
    before = len(watch.leaks)
    try:
        log.info("account %s bound to person %s", 12, 34)
        log.debug("debug lines are not checked: %s", TEST_TOKEN)
        log.info("phone shown as %s", "0912 *** 011")
        assert watch.leaks[before:] == []
        log.info("account %s bound by phone %s", 12, "+84912000011")
        log.warning("sending to %s", "Nguyễn Văn An")  # a chair of the test roster
        log.error("request to /bot%s/getMe failed", TEST_TOKEN)
        try:
            raise ValueError("0912000011")
        except ValueError:
            log.exception("failed")
        kinds = [(leak.logger, leak.kind) for leak in watch.leaks[before:]]
        assert kinds == [
            ("handlers.example", "phone"),
            ("handlers.example", "name"),
            ("handlers.example", "token"),
            ("handlers.example", "phone"),
        ]
    finally:
        del watch.leaks[before:]  # the leaks were this test's own, on purpose
