"""Injected failures, so tests can show how the bot survives 429s, 5xx and hung requests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Literal

# Never faulted when a fault names no method: the bot must still be able to start and poll.
UNFAULTED_METHODS = frozenset({"getupdates", "getme"})


@dataclass
class Fault:
    """An injected failure for matching requests."""

    status: int | Literal["hang"]  # 429, 500, 502, 403 ..., or "hang": 500 after hang_seconds
    method: str | None = "sendMessage"  # None = any method except getUpdates/getMe
    count: int | None = None  # fail the next `count` matching requests, then stop
    ratio: float | None = None  # or fail this share of matching requests (random with `seed`)
    seed: int = 0
    retry_after: int = 1  # for 429
    hang_seconds: float = 30.0
    description: str | None = None  # None: what Telegram says for that status

    def matches(self, method: str) -> bool:
        """Whether a request to `method` (any case) is one this fault aims at."""
        name = method.lower()
        if self.method is None:
            return name not in UNFAULTED_METHODS
        return name == self.method.lower()

    def error_description(self) -> str:
        """The description Telegram would send with this status."""
        if self.description is not None:
            return self.description
        if self.status == "hang":
            return "Internal Server Error"
        return DESCRIPTIONS.get(self.status) or _phrase(self.status)


DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: injected fault",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
}


def _phrase(status: int) -> str:
    if status == 429:
        return "Too Many Requests: retry later"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


@dataclass
class _ArmedFault:
    fault: Fault
    rng: random.Random
    served: int = 0


@dataclass
class FaultBook:
    """The active faults, in the order added; the first one that fires wins."""

    _armed: list[_ArmedFault] = field(default_factory=list)

    def add(self, fault: Fault) -> None:
        """Arm a fault; its random draws are reproducible from its seed."""
        if fault.count is not None and fault.count <= 0:
            return
        self._armed.append(_ArmedFault(fault, random.Random(fault.seed)))  # noqa: S311

    def clear(self) -> None:
        """Disarm every fault."""
        self._armed.clear()

    def active(self) -> list[Fault]:
        """The faults still armed."""
        return [armed.fault for armed in self._armed]

    def take(self, method: str) -> Fault | None:
        """The fault to serve for this request, if any; spends one of its `count`."""
        for armed in list(self._armed):
            fault = armed.fault
            if not fault.matches(method):
                continue
            if fault.ratio is not None and armed.rng.random() >= fault.ratio:
                continue
            armed.served += 1
            if fault.count is not None and armed.served >= fault.count:
                self._armed.remove(armed)
            return fault
        return None
