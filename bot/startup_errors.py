"""Why a command failed, in one line of Vietnamese and English that names the setting to
check, and never a secret.

An operator who set a wrong token once got a 74-line traceback whose last line held the
token in clear; an unreachable Bot API or database gave 126 and 138 lines and no
explanation. `report` prints one line (exit code 2); `--debug` adds the traceback, with
every secret masked all the same.

The failure is recognised by the classes in its chain (cause, context, exception groups),
compared by module and name, so that this module imports neither python-telegram-bot nor
SQLAlchemy: a command that failed before loading them does not load them to explain it.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

EXIT_CODE = 2
MASK = "***"

# What the line says for each kind of failure: Vietnamese / English, `{where}` filled in.
REFUSED_BY_TELEGRAM = (
    "Telegram từ chối token của bot — kiểm tra NHACVIEC_TELEGRAM_TOKEN. / "
    "Telegram rejected the bot token: check NHACVIEC_TELEGRAM_TOKEN."
)
REFUSED_BY_ZALO = (
    "Zalo từ chối token của bot — kiểm tra NHACVIEC_ZALO_TOKEN. / "
    "Zalo rejected the bot token: check NHACVIEC_ZALO_TOKEN."
)
TELEGRAM_UNREACHABLE = (
    "Không kết nối được máy chủ Bot API của Telegram ({where}) — kiểm tra "
    "NHACVIEC_TELEGRAM_API_URL và mạng. / Cannot reach the Telegram Bot API ({where}): check "
    "NHACVIEC_TELEGRAM_API_URL and the network."
)
ZALO_UNREACHABLE = (
    "Không kết nối được máy chủ Bot API của Zalo ({where}) — kiểm tra NHACVIEC_ZALO_API_URL "
    "và mạng. / Cannot reach the Zalo Bot API ({where}): check NHACVIEC_ZALO_API_URL and the "
    "network."
)
DATABASE_UNREACHABLE = (
    "Không kết nối được cơ sở dữ liệu ({where}) — kiểm tra NHACVIEC_DATABASE_URL và máy chủ "
    "cơ sở dữ liệu. / Cannot connect to the database ({where}): check NHACVIEC_DATABASE_URL "
    "and that the server is running."
)
DATABASE_URL_INVALID = (
    "Địa chỉ cơ sở dữ liệu không đúng dạng — kiểm tra NHACVIEC_DATABASE_URL (ví dụ "
    "postgresql://user@host/db). / The database address is not a valid URL: check "
    "NHACVIEC_DATABASE_URL (e.g. postgresql://user@host/db)."
)
NO_MIGRATION_RIGHTS = (
    "Tài khoản cơ sở dữ liệu ({where}) không có quyền tạo hoặc sửa bảng để nâng cấp lược đồ — "
    "kiểm tra người dùng trong NHACVIEC_DATABASE_URL, hoặc chạy `nhacviec db upgrade` bằng "
    "tài khoản chủ cơ sở dữ liệu. / The database user ({where}) may not create or alter tables "
    "to upgrade the schema: check the user in NHACVIEC_DATABASE_URL, or run "
    "`nhacviec db upgrade` as the database's owner."
)
LISTEN_IN_USE = (
    "Không mở được cổng webhook — kiểm tra NHACVIEC_WEBHOOK_LISTEN (cổng đang bị dùng hoặc "
    "không được phép). / Cannot listen for webhooks: check NHACVIEC_WEBHOOK_LISTEN (the port "
    "is taken or not allowed)."
)
UNKNOWN = (
    "Lệnh `nhacviec {command}` không chạy được ({kind}); chạy lại với --debug để xem chi tiết. "
    "/ `nhacviec {command}` failed ({kind}); run it again with --debug for the details."
)

_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)
_SQLSTATE_NO_PRIVILEGE = "42501"  # PostgreSQL's insufficient_privilege
_SQLITE_READ_ONLY = ("readonly database", "read-only", "permission denied")


def report(error: BaseException, *, command: str, debug: bool) -> int:
    """Print why `command` failed, in one line on stderr (the traceback first with `debug`),
    every secret masked; the exit code to return."""
    secrets = configured_secrets()
    if debug:
        text = "".join(traceback.format_exception(error))
        print(redact(text, secrets), file=sys.stderr, end="")
    print(redact(f"nhacviec: {explain(error, command=command)}", secrets), file=sys.stderr)
    return EXIT_CODE


def explain(error: BaseException, *, command: str = "run") -> str:
    """The one line for `error`: the first failure in its chain that we recognise."""
    for link in _chain(error):
        if _is(link, "telegram.error", "InvalidToken"):
            return REFUSED_BY_TELEGRAM
        if _is(link, "bot.zalo.errors", "ZaloUnauthorized"):
            return REFUSED_BY_ZALO
        if _is(link, "telegram.error", "NetworkError"):  # TimedOut is one too
            return TELEGRAM_UNREACHABLE.format(where=_setting_host("TELEGRAM_API_URL"))
        if _is(link, "bot.zalo.errors", "ZaloNetworkError"):
            return ZALO_UNREACHABLE.format(where=_setting_host("ZALO_API_URL"))
        if _is(link, "sqlalchemy.exc", "DBAPIError"):
            if _no_privilege(link):
                return NO_MIGRATION_RIGHTS.format(where=_database_where())
            if _is(link, "sqlalchemy.exc", "OperationalError"):
                return DATABASE_UNREACHABLE.format(where=_database_where())
        if _is(link, "sqlalchemy.exc", "ArgumentError") or _is(
            link, "sqlalchemy.exc", "NoSuchModuleError"
        ):
            return DATABASE_URL_INVALID
        if command == "run" and isinstance(link, OSError) and link.errno in _CANNOT_LISTEN:
            return LISTEN_IN_USE
    return UNKNOWN.format(command=command, kind=type(error).__name__)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, then what caused it, depth first, each once (groups opened)."""
    seen: set[int] = set()
    stack = [error]
    while stack:
        link = stack.pop(0)
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        if isinstance(link, BaseExceptionGroup):
            stack.extend(link.exceptions)
        for nearer in (link.__cause__, link.__context__):
            if nearer is not None:
                stack.append(nearer)


def _is(error: BaseException, module: str, name: str) -> bool:
    """`error` is an instance of `module.name`, without importing the module."""
    return any(kind.__module__ == module and kind.__name__ == name for kind in type(error).__mro__)


def _no_privilege(error: BaseException) -> bool:
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == _SQLSTATE_NO_PRIVILEGE:
        return True
    text = str(original or "").lower()
    return _url_scheme(_setting("DATABASE_URL")) == "sqlite" and any(
        words in text for words in _SQLITE_READ_ONLY
    )


def _setting(name: str) -> str:
    """A setting as the process sees it (the environment, else `.env`), or ''."""
    value = os.environ.get(f"NHACVIEC_{name}")
    if value is not None:
        return value
    try:
        from bot.settings import Settings

        return str(getattr(Settings(), name.lower(), "") or "")
    except Exception:
        return ""


def _url_scheme(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0].lower() if ":" in url else ""


def _setting_host(name: str) -> str:
    """scheme://host:port of an API address: never its path or credentials."""
    url = _setting(name) or {
        "TELEGRAM_API_URL": "https://api.telegram.org",
        "ZALO_API_URL": "https://bot-api.zaloplatforms.com",
    }.get(name, "")
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "?"
    return f"{parts.scheme}://{host}{port}"


def _database_where() -> str:
    """The database as the operator knows it: kind, user, host and name; no password."""
    url = _setting("DATABASE_URL") or "sqlite:///nhacviec.db"
    scheme = _url_scheme(url) or "?"
    if scheme == "sqlite":
        return f"sqlite {url.split(':///', 1)[-1]}"
    try:
        parts = urlsplit(url)
        user = f"{parts.username}@" if parts.username else ""
        port = f":{parts.port}" if parts.port else ""
        return f"{scheme} {user}{parts.hostname or ''}{port}{parts.path}"
    except ValueError:
        return scheme


def configured_secrets() -> list[str]:
    """Every secret this process may know: the tokens and the webhook secret (from the
    environment or `.env`) and the database password."""
    found = {
        value.strip()
        for name, value in os.environ.items()
        if name.startswith("NHACVIEC_") and any(w in name for w in ("TOKEN", "SECRET", "PASSWORD"))
    }
    try:
        from bot.settings import Settings

        found.update(Settings().secrets())
    except Exception:  # noqa: S110 (a setting that does not load hides no secret of its own)
        pass
    try:
        password = urlsplit(_setting("DATABASE_URL")).password
    except ValueError:
        password = None
    if password:
        found.update((password, unquote(password)))
    return sorted((secret for secret in found if len(secret) >= 4), key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret masked (the longest first, so none is half masked)."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text
