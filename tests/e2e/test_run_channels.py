"""`nhacviec run` with only a Zalo token: it starts, says which channels it started, answers
a Zalo user, and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.sandbox import SandboxServer
from tests.factories import ZaloPerson

pytestmark = pytest.mark.e2e

WAIT = 180.0  # bounds a failure only


async def test_run_says_which_channels_it_started(
    tmp_path: Path, database_url: str, sandbox: SandboxServer
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")},
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_ZALO_TOKEN": "4242:zalo-run-secret",
        "NHACVIEC_ZALO_API_URL": sandbox.zalo_base_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), WAIT)
        assert line.decode().strip() == "nhacviec: running, long polling; channels: zalo"
        lan = ZaloPerson(sandbox, "d1b2c3d4e5f60718", "Lò Thị Lan")
        assert "mã mời" in ((await lan.say("chào bot")).text or "")
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = await asyncio.wait_for(process.communicate(), WAIT)
    assert process.returncode == 0
    assert b"zalo-run-secret" not in errors
