"""The command line as an administrator uses it: help texts, settings errors, roster import."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import COMMAND_MODULES, main
from bot.logging_setup import configure_logging
from bot.settings import Settings
from storage.engine import Database, make_engine
from storage.migrate import current_revision, head_revision
from storage.models import Appointment, InviteCode, Person, Role, Unit
from tests.factories import PROVINCE_ROSTER, write_roster

COMMANDS = [
    "run",
    "demo",
    "sandbox",
    "db upgrade",
    "roster import",
    "roster export",
    "invite",
    "invites",
    "read-reply",
    "parse",
    "summary",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command.split(), "--help"])
    assert exit_.value.code == 0
    assert "usage: nhacviec" in capsys.readouterr().out


def test_every_command_module_is_listed_in_the_help_test() -> None:
    listed = {command.split()[0].replace("-", "_") for command in COMMANDS}
    assert set(COMMAND_MODULES) <= listed


def test_run_without_token_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NHACVIEC_TELEGRAM_TOKEN", raising=False)
    monkeypatch.delenv("NHACVIEC_ZALO_TOKEN", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "NHACVIEC_TELEGRAM_TOKEN" in err and "NHACVIEC_ZALO_TOKEN" in err


def test_both_tokens_reach_the_logging_filter() -> None:
    settings = Settings(_env_file=None, telegram_token="1:tg-secret", zalo_token="z-secret ")
    assert settings.channels() == ["telegram", "zalo"]
    assert settings.secrets() == ["1:tg-secret", "z-secret"]
    assert Settings(_env_file=None, zalo_token="z").channels() == ["zalo"]


def test_bad_setting_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NHACVIEC_TIMEZONE", "Mars/Olympus")
    assert main(["db", "upgrade"]) == 2
    assert "NHACVIEC_TIMEZONE" in capsys.readouterr().err


def test_token_is_never_printed(caplog: pytest.LogCaptureFixture) -> None:
    token = "987654:SECRET-value"
    settings = Settings(_env_file=None, telegram_token=token)
    assert token not in repr(settings)
    assert token not in str(settings.model_dump())
    configure_logging("INFO", secrets=[token])
    record = logging.LogRecord(
        "httpx", logging.WARNING, __file__, 1, "POST /bot%s/x", (token,), None
    )
    for handler in logging.getLogger().handlers:
        for log_filter in handler.filters:
            log_filter.filter(record)
    assert token not in record.getMessage()
    assert "/bot***/x" in record.getMessage()


def test_db_upgrade(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0  # a second run changes nothing
    assert f"revision {head_revision()}" in capsys.readouterr().out
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def count(db: Database, model: type[Unit] | type[Person] | type[Appointment]) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_roster_import_and_reimport(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    database_url: str,
    db: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    roster = write_roster(tmp_path / "roster.csv")
    assert main(["roster", "import", str(roster)]) == 0
    assert "thêm 7, sửa 0, lưu trữ 0 đơn vị; 3 cán bộ" in capsys.readouterr().out
    assert count(db, Unit) == 7

    renamed = [
        row.replace("Trạm Y tế Sơn Bình", "Trạm Y tế xã Sơn Bình") for row in PROVINCE_ROSTER
    ]
    without_last = renamed[:-1]  # CDCS-11 leaves the roster: archived, so only with --yes
    v2 = str(write_roster(tmp_path / "v2.csv", without_last))
    assert main(["roster", "import", v2, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Lưu trữ 1 đơn vị: CDCS-11 (CĐCS Trường Tiểu học Mường So)" in out
    assert "thêm 0, sửa 1, lưu trữ 1 đơn vị" in out
    assert count(db, Unit) == 7  # archived, not deleted
    with db.session() as session:
        unit = session.scalars(select(Unit).where(Unit.code == "CDCS-02")).one()
        assert unit.name == "CĐCS Trạm Y tế xã Sơn Bình"
    appointments = count(db, Appointment)
    assert main(["roster", "import", str(write_roster(tmp_path / "v3.csv", without_last))]) == 0
    assert "thêm 0, sửa 0, lưu trữ 0 đơn vị" in capsys.readouterr().out
    assert count(db, Appointment) == appointments  # the same roster again changes nothing


def test_bad_roster_is_refused_whole_with_line_numbers(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    database_url: str,
    db: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    rows = [
        *PROVINCE_ROSTER,
        "CDCS-99,CĐCS Không có cấp trên,KHONG-CO,CĐCS,Ai Đó,0912000099,,,",
        "CDCS-98,CĐCS Số sai,LDLD-TU,CĐCS,Người Khác,12345,,,",
    ]
    assert main(["roster", "import", str(write_roster(tmp_path / "bad.csv", rows))]) == 1
    err = capsys.readouterr().err
    assert "có 2 lỗi" in err
    assert "Dòng 9:" in err  # header is line 1, so the 8th row is line 9
    assert "Dòng 10:" in err
    assert count(db, Unit) == 0
    assert count(db, Person) == 0


def test_invite_codes_for_a_chair_and_for_an_officer(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    database_url: str,
    db: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    capsys.readouterr()
    assert main(["invite", "--unit", "CDCS-02"]) == 0
    chair_code = capsys.readouterr().out.split()[0]
    assert main(["invite", "--unit", "LDLD-TU", "--role", "officer", "--days", "7"]) == 0
    out = capsys.readouterr().out
    officer_code = out.split()[0]
    assert "(LĐLĐ huyện Tam Đường, hết hạn " in out
    with db.session() as session:
        roles = {invite.code: invite.role for invite in session.scalars(select(InviteCode))}
    assert roles == {chair_code: Role.CHAIR, officer_code: Role.OFFICER}
    with pytest.raises(SystemExit):
        main(["invite", "--unit", "LDLD-TU", "--role", "admin"])  # not handed out by invite
    assert "invalid choice: 'admin'" in capsys.readouterr().err
