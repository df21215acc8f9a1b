"""`nhacviec run`: which mode it starts and says so; webhook mode refuses an unsound secret
before anything starts."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.sandbox import SandboxServer
from bot.settings import Settings, WebhookSettingsError
from tests.conftest import TEST_TOKEN
from tests.e2e.test_webhook_mode import free_port

GOOD_SECRET = "Zq9-hT4_kLm2Wv8xR1nB6cYd0PfG3sJe"
PATIENCE = 180.0  # bounds a failure only


@pytest.mark.parametrize(
    ("secret", "complaint"),
    [
        (None, "NHACVIEC_WEBHOOK_SECRET is not set"),
        ("Zq9-hT4_kLm2", "shorter than 32"),
        ("changethis-changethis-changethis-1", "placeholder"),
        ("a" * 40, "placeholder"),
        ("Zq9 hT4 kLm2Wv8xR1nB6cYd0PfG3sJe!!", "may hold only"),
    ],
)
def test_webhook_mode_refuses_an_unsound_secret(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    secret: str | None,
    complaint: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("NHACVIEC_WEBHOOK_SECRET", raising=False)
    if secret is not None:
        monkeypatch.setenv("NHACVIEC_WEBHOOK_SECRET", secret)
    assert main(["run", "--webhook", "https://bot.example.vn"]) == 2
    err = capsys.readouterr().err
    assert complaint in err
    if secret:
        assert secret not in err
    assert not (tmp_path / "x.db").exists()  # refused before anything started


def test_a_sound_secret_is_taken() -> None:
    settings = Settings(_env_file=None, webhook_secret=GOOD_SECRET, webhook_listen="0.0.0.0:9000")
    assert settings.require_webhook_secret() == GOOD_SECRET
    assert settings.listen_address == ("0.0.0.0", 9000)
    with pytest.raises(WebhookSettingsError):
        Settings(_env_file=None).require_webhook_secret()


def test_listen_address_must_be_host_and_port() -> None:
    with pytest.raises(ValueError, match="host:port"):
        Settings(_env_file=None, webhook_listen="8080")


async def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), PATIENCE)


@pytest.mark.e2e
@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_run_says_which_mode_it_started(
    tmp_path: Path, database_url: str, sandbox: SandboxServer, webhook: bool
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_TELEGRAM_TOKEN": TEST_TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": sandbox.url,
        "NHACVIEC_WEBHOOK_SECRET": GOOD_SECRET,
        "NHACVIEC_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "NHACVIEC_PLAN_INTERVAL_SECONDS": "0",
    }
    args = ["--webhook", f"http://127.0.0.1:{port}/"] if webhook else []
    process = subprocess.Popen(  # noqa: ASYNC220 (started once; the wait is in a thread)
        [sys.executable, "-m", "bot", "run", "--log-level", "WARNING", *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = await _first_line(process)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, PATIENCE)
    if webhook:
        assert line.strip() == (
            f"nhacviec: running, webhook http://127.0.0.1:{port}; channels: telegram"
        )
        # Left registered on stop: the other processes behind the address keep receiving.
        assert sandbox.state.webhook_url == f"http://127.0.0.1:{port}/telegram"
        assert sandbox.state.webhook_secret == GOOD_SECRET
    else:
        assert line.strip() == "nhacviec: running, long polling; channels: telegram"
        assert sandbox.state.webhook_url == ""
    assert process.returncode == 0
