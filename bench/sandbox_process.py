"""A sandbox Bot API server in its own process, so that it does not share the measured
bot's event loop (and core)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from collections.abc import AsyncIterator

from bot.sandbox import SandboxControl

URL_LINE = re.compile(r"listening on (http://\S+)")


@contextlib.asynccontextmanager
async def sandbox_process(**limits: float) -> AsyncIterator[tuple[str, SandboxControl]]:
    """Start `nhacviec sandbox` on a free port; yield its URL and a control client."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "sandbox",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        match = URL_LINE.search(line)
        if match is None:
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        url = match.group(1)
        async with SandboxControl(url) as control:
            if limits:
                await control.set_limits(**limits)
            yield url, control
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
