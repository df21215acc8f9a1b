"""A weekly process whose renders wait for the test: the pool's initializer, run in the
spawned worker, holds every summary render until the test releases it, so a test can look
at the bot while a render is in hand (a signal, not a guess at how long a render takes)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.synchronize import Event
from typing import Any

# A bound on the real clock, for a failure only (a test that never releases the render).
HOLD_SECONDS = 180


def held_pool(
    started: Event, release: Event, *, hold_from: int = 1
) -> Callable[[], ProcessPoolExecutor]:
    """A `weekly_pool` for `BotRuntime`: one spawned worker whose renders are held, from the
    `hold_from`-th on (counted from 1; the ones before it go through)."""
    spawn = multiprocessing.get_context("spawn")
    return lambda: ProcessPoolExecutor(
        max_workers=1,
        mp_context=spawn,
        initializer=hold_renders,
        initargs=(started, release, hold_from),
    )


def hold_renders(started: Event, release: Event, hold_from: int) -> None:
    """In the worker: each render of a summary's files from the `hold_from`-th on says it
    started, then waits for the test."""
    import schedules.weekly_push as push

    render = push.render_weekly
    count = 0

    def held(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        if count >= hold_from:
            started.set()
            if not release.wait(timeout=HOLD_SECONDS):
                raise TimeoutError("the test never released the render")
        return render(*args, **kwargs)

    push.render_weekly = held  # type: ignore[assignment]
