"""The command line starts fast: help and the offline commands load no database, no Telegram.

`nhacviec --help` once took over two seconds because building the parser imported every
command's dependencies. Each case runs in a fresh interpreter and reports which heavy
packages got imported; the time itself is left to the person measuring it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.schedules.directive_files import SEEDS

# Packages an offline command has no business loading.
HEAVY = (
    "telegram",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pydantic",
    "httpx",
    "aiohttp",
    "openpyxl",
    "pypdf",
    "docx",
    "PIL",
    "matplotlib",
)
# Runs `main(argv)` in a fresh interpreter, then prints which of HEAVY it imported.
PROBE = """
import json, sys
from bot.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(heavy))))
"""


def heavy_imports_of(*argv: str, where: Path, env: dict[str, str] | None = None) -> list[str]:
    """The heavy packages `nhacviec ARGV` imports when run in the directory `where`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
        cwd=where,  # a directory of the test's own: no stray .env file is read
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,  # bounds a hang only
        check=True,
    )
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["run", "--help"],
        ["db", "upgrade", "--help"],
        ["roster", "import", "--help"],
        ["invites", "--help"],
        ["parse", "--help"],
    ],
    ids=" ".join,
)
def test_help_loads_no_heavy_package(argv: list[str], tmp_path: Path) -> None:
    assert heavy_imports_of(*argv, where=tmp_path) == []


def test_reading_a_reply_loads_no_heavy_package(tmp_path: Path) -> None:
    assert heavy_imports_of("read-reply", "xong", where=tmp_path) == []


def test_parsing_a_text_directive_loads_no_heavy_package(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    assert heavy_imports_of("parse", str(seed), where=tmp_path) == []


def test_the_probe_sees_what_a_database_command_loads(tmp_path: Path) -> None:
    """The probe itself works: a command that needs the database does load SQLAlchemy."""
    url = f"sqlite:///{tmp_path / 'probe.db'}"
    loaded = heavy_imports_of("db", "current", where=tmp_path, env={"NHACVIEC_DATABASE_URL": url})
    assert "sqlalchemy" in loaded
