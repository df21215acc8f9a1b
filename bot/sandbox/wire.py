"""JSON shapes of the control routes, shared by the server side and SandboxControl."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, fields
from typing import Any, TypeVar

from bot.sandbox.faults import Fault
from bot.sandbox.limits import Limits
from bot.sandbox.records import SentMessage


def sent_to_json(message: SentMessage) -> dict[str, Any]:
    """A SentMessage with its bytes in base64."""
    data = asdict(message)
    data["document"] = None if message.document is None else _b64(message.document)
    return data


def sent_from_json(data: dict[str, Any]) -> SentMessage:
    """Inverse of sent_to_json."""
    values = {f.name: data[f.name] for f in fields(SentMessage) if f.name in data}
    if values.get("document") is not None:
        values["document"] = base64.b64decode(values["document"])
    return SentMessage(**values)


def fault_to_json(fault: Fault) -> dict[str, Any]:
    """A Fault as the faults route takes it."""
    return asdict(fault)


def fault_from_json(data: dict[str, Any]) -> Fault:
    """A Fault from JSON; unknown keys are an error, so typos do not go unnoticed."""
    return Fault(**_known(Fault, data))


def limits_to_json(limits: Limits) -> dict[str, Any]:
    """Limits as the limits route answers them."""
    return asdict(limits)


def limit_changes(data: dict[str, Any]) -> dict[str, Any]:
    """A partial Limits; unknown keys are an error."""
    return _known(Limits, data)


def _known(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown {cls.__name__} fields: {sorted(unknown)}")
    return dict(data)


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def encode_bytes(content: bytes) -> str:
    """Bytes as the inject route takes them."""
    return _b64(content)


T = TypeVar("T")
POLL_SECONDS = 0.05  # how often a control client asks across the process boundary


async def wait_for_count(
    fetch: Callable[[], Awaitable[Sequence[T]]],
    count: int,
    timeout: float,  # noqa: ASYNC109 -- the callers take it; it shapes the error text
    describe: Callable[[Sequence[T]], str],
) -> list[T]:
    """What `fetch` returns once it holds at least `count` items, asked every 50 ms; a
    TimeoutError naming what there was (`describe`) after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        items = await fetch()
        if len(items) >= count:
            return list(items)
        if loop.time() >= deadline:
            raise TimeoutError(describe(items))
        await asyncio.sleep(POLL_SECONDS)
