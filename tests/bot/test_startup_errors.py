"""`nhacviec run` that cannot start says why in one line, Vietnamese and English, naming the
setting to check; exit code 2; no traceback unless --debug; and no secret in any byte it
prints. Each case runs the real command line in a fresh process, as an operator would.

(A wrong token once ended in a 74-line traceback whose last line held the token in clear.)
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.sandbox import SandboxServer, SandboxState
from tests.conftest import PostgresServer
from tests.e2e.test_webhook_mode import free_port
from tests.factories import write_roster

PATIENCE = 180.0  # bounds a hang only
RIGHT_TOKEN = "424242:right-TOKEN-of-the-sandbox"
WRONG_TOKEN = "424242:WRONG-token-Must-Never-Print"
WRONG_ZALO_TOKEN = "5151:WRONG-zalo-Token-Never-Print"
DB_PASSWORD = "Db-Password-Never-Printed-7"

pytestmark = pytest.mark.slow


@dataclass
class Ran:
    code: int
    output: bytes  # stdout and stderr, every byte

    @property
    def lines(self) -> list[str]:
        return self.output.decode("utf-8", "replace").splitlines()


async def nhacviec(tmp_path: Path, *argv: str, **settings: str) -> Ran:
    """The command line in a fresh process, in a folder without a .env, with only these
    NHACVIEC_* settings (names without the prefix)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("NHACVIEC_")}
    env.update({f"NHACVIEC_{name}": value for name, value in settings.items()})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *argv,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), PATIENCE)
    assert process.returncode is not None
    return Ran(process.returncode, output)


def assert_one_line(ran: Ran, *names: str, secrets: tuple[str, ...]) -> str:
    """Exit code 2, one line (in both languages, naming each setting), no traceback, and no
    secret anywhere in what was printed."""
    assert ran.code == 2, ran.lines
    for secret in secrets:
        assert secret.encode() not in ran.output
    assert b"Traceback" not in ran.output
    assert len(ran.lines) == 1, ran.lines
    line = ran.lines[0]
    assert line.startswith("nhacviec: ")
    assert "kiểm tra" in line  # Vietnamese …
    assert ": check " in line  # … and English
    for name in names:
        assert name in line
    return line


@pytest.fixture
async def strict_sandbox() -> SandboxServer:
    """A sandbox that, like the real platforms, answers 401 to any token but its own."""
    server = SandboxServer(SandboxState(token=RIGHT_TOKEN, zalo_token="5151:right-zalo"))
    await server.start()
    try:
        yield server  # type: ignore[misc]
    finally:
        await server.stop()


async def test_a_wrong_telegram_token(
    tmp_path: Path, database_url: str, strict_sandbox: SandboxServer
) -> None:
    settings = {
        "TELEGRAM_TOKEN": WRONG_TOKEN,
        "TELEGRAM_API_URL": strict_sandbox.url,
        "DATABASE_URL": database_url,
    }
    ran = await nhacviec(tmp_path, "run", "--log-level", "WARNING", **settings)
    line = assert_one_line(ran, "NHACVIEC_TELEGRAM_TOKEN", secrets=(WRONG_TOKEN,))
    assert "Telegram từ chối token" in line

    # --debug shows the traceback, the token masked in it too.
    ran = await nhacviec(tmp_path, "run", "--debug", "--log-level", "WARNING", **settings)
    assert ran.code == 2
    assert b"Traceback" in ran.output
    assert b"InvalidToken" in ran.output
    assert WRONG_TOKEN.encode() not in ran.output
    assert WRONG_TOKEN.split(":")[1].encode() not in ran.output
    assert ran.lines[-1] == line


async def test_a_wrong_zalo_token(
    tmp_path: Path, database_url: str, strict_sandbox: SandboxServer
) -> None:
    ran = await nhacviec(
        tmp_path,
        "run",
        "--log-level",
        "WARNING",
        ZALO_TOKEN=WRONG_ZALO_TOKEN,
        ZALO_API_URL=strict_sandbox.zalo_base_url,
        DATABASE_URL=database_url,
    )
    assert_one_line(ran, "NHACVIEC_ZALO_TOKEN", secrets=(WRONG_ZALO_TOKEN,))


async def test_an_unreachable_bot_api(tmp_path: Path, database_url: str) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # a port no one listens on
    ran = await nhacviec(
        tmp_path,
        "run",
        "--log-level",
        "WARNING",
        TELEGRAM_TOKEN=RIGHT_TOKEN,
        TELEGRAM_API_URL=nobody,
        DATABASE_URL=database_url,
    )
    line = assert_one_line(ran, "NHACVIEC_TELEGRAM_API_URL", secrets=(RIGHT_TOKEN,))
    assert nobody in line


async def test_an_unreachable_database(tmp_path: Path) -> None:
    """Nothing listens at the address; the password in the URL is never printed, by `run`
    or by the other commands that open the database."""
    url = f"postgresql://nhacviec:{DB_PASSWORD}@127.0.0.1:{free_port()}/nhacviec"
    roster = write_roster(tmp_path / "roster.csv")
    for argv in (("run",), ("db", "upgrade"), ("roster", "import", str(roster))):
        ran = await nhacviec(
            tmp_path, *argv, TELEGRAM_TOKEN=RIGHT_TOKEN, DATABASE_URL=url, WEBHOOK_SECRET="x" * 40
        )
        line = assert_one_line(
            ran, "NHACVIEC_DATABASE_URL", secrets=(DB_PASSWORD, RIGHT_TOKEN, "x" * 40)
        )
        assert "Không kết nối được cơ sở dữ liệu" in line


async def test_a_database_address_that_is_no_url(tmp_path: Path) -> None:
    url = f"postgresql://nhacviec:{DB_PASSWORD}@[127.0.0.1/nhacviec"
    ran = await nhacviec(tmp_path, "db", "upgrade", DATABASE_URL=url)
    assert_one_line(ran, "NHACVIEC_DATABASE_URL", secrets=(DB_PASSWORD,))


async def test_missing_migration_rights(
    tmp_path: Path, postgres_server: PostgresServer | None
) -> None:
    """A database user that may not create tables (PostgreSQL 15's default for anyone but
    the owner): the schema cannot be upgraded, and the line says whose rights to check."""
    if postgres_server is None:
        pytest.skip("needs PostgreSQL (as root, SQLite's file permissions do not apply)")
    name = postgres_server.new_name()
    role = f"{name}_ro"
    postgres_server.create(name)
    with postgres_server.admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{DB_PASSWORD}'"))
    engine = create_engine(postgres_server.url(name), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        engine.dispose()
        base = postgres_server.base
        url = base.set(database=name, username=role, password=DB_PASSWORD).render_as_string(
            hide_password=False
        )
        ran = await nhacviec(
            tmp_path, "run", "--log-level", "WARNING", TELEGRAM_TOKEN=RIGHT_TOKEN, DATABASE_URL=url
        )
        line = assert_one_line(ran, "NHACVIEC_DATABASE_URL", secrets=(DB_PASSWORD, RIGHT_TOKEN))
        assert "không có quyền tạo hoặc sửa bảng" in line
        assert "nhacviec db upgrade" in line
    finally:
        engine.dispose()
        postgres_server.drop(name)
        with postgres_server.admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
