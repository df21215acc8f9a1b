"""All configuration in one place, read from the environment (prefix `NHACVIEC_`) or `.env`."""

from __future__ import annotations

import re
from datetime import time
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schedules.calendar import WorkingCalendar

OFFICIAL_TELEGRAM_API = "https://api.telegram.org"
OFFICIAL_ZALO_API = "https://bot-api.zaloplatforms.com"


# Telegram takes 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret; we ask 32 or
# more (about 190 bits from `secrets.token_urlsafe(32)`), which Zalo takes too.
MIN_WEBHOOK_SECRET = 32
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
_PLACEHOLDERS = ("changethis", "change-me", "changeme", "secret", "example", "xxxx", "todo")


class MissingTokenError(RuntimeError):
    """Raised when a command that talks to a platform has no token to do it with."""


class WebhookSettingsError(RuntimeError):
    """Raised when webhook mode is asked for without a sound secret or address."""


class Settings(BaseSettings):
    """Settings of one bot process. Secrets are `SecretStr`: they print as `**********`."""

    model_config = SettingsConfigDict(
        env_prefix="NHACVIEC_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = Field(
        default="sqlite:///nhacviec.db",
        description="SQLAlchemy URL; sqlite:///file.db or postgresql+psycopg://user@host/db",
    )
    telegram_token: SecretStr | None = Field(default=None, description="Bot token from BotFather")
    bot_username: str = Field(
        default="", description="The bot's Telegram username, for printed invite links"
    )
    telegram_api_url: str = Field(
        default=OFFICIAL_TELEGRAM_API,
        description="Bot API server root: the official one, a self-hosted one, or the sandbox",
    )
    zalo_token: SecretStr | None = Field(
        default=None, description="Zalo Bot Platform token (Zalo Bot Creator)"
    )
    zalo_api_url: str = Field(
        default=OFFICIAL_ZALO_API,
        description="Zalo Bot API root: the official one, or the sandbox's /zalo prefix",
    )
    zalo_send_rate_per_second: float = Field(
        default=10.0,
        gt=0,
        le=100,
        description="Messages a second sent on Zalo (Zalo publishes no figure; 429 backs off)",
    )
    timezone: str = Field(default="Asia/Ho_Chi_Minh", description="Time zone users live in")
    dispatch_interval_seconds: float = Field(default=5.0, gt=0)
    send_rate_per_second: float = Field(default=25.0, gt=0, le=30)
    outbox_batch_size: int = Field(default=200, gt=0)
    outbox_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description=(
            "How long a claimed message stays reserved for the process that claimed it "
            "(renewed while it is sent; a send gives up after half of it)"
        ),
    )
    outbox_max_attempts: int = Field(default=8, gt=0)
    plan_interval_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How often the reminder planner runs (0: never, only when a handler plans)",
    )
    quiet_start: time = Field(
        default=time(21, 0), description="Local time from which nothing is sent (HH:MM)"
    )
    quiet_end: time = Field(
        default=time(7, 0),
        description="Local time until which nothing is sent; equal to quiet_start: no quiet hours",
    )
    working_morning: time = Field(
        default=time(7, 30), description="When a deferred reminder goes out on a working day"
    )
    weekly_summary_weekday: int = Field(
        default=0,
        ge=0,
        le=6,
        description="Day the weekly summary goes to officers (0 Monday … 6 Sunday); "
        "a holiday or day off moves it to the next working day",
    )
    weekly_summary_time: time = Field(
        default=time(7, 30), description="Local time the weekly summary goes out (HH:MM)"
    )
    deadline_time: time = Field(
        default=time(17, 0),
        description="Local time of a deadline an officer types as a day only (HH:MM)",
    )
    saturday_off: bool = Field(default=False, description="Saturday is a day off (Sunday is)")
    handler_processes: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="Processes handling messages on PostgreSQL (default: one per core, up to 4); "
        "SQLite always has one",
    )
    turn_retry_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="How long handling a message retries a database that does not answer "
        "before the person gets an apology and the message waits in the spool",
    )
    spool_dir: Path = Field(
        default=Path("nhacviec-spool"),
        description="Folder of the inbound spool: messages written to disk before the "
        "platform is told they arrived, until the database has them (bot/inbound_spool.py)",
    )

    webhook_url: str = Field(
        default="",
        description="Public HTTPS address of the webhook server (as `run --webhook URL`); "
        "empty: long polling",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Secret the platforms send with each webhook call (32+ characters of "
        "A-Z a-z 0-9 _ -); required with --webhook",
    )
    webhook_listen: str = Field(
        default="127.0.0.1:8080",
        description="host:port the webhook server listens on, behind the TLS proxy",
    )
    public_url: str = Field(
        default="",
        description="Public base address where the bot serves the files Zalo fetches (the "
        "chart, the workbook); default the webhook URL. Set in polling mode, the bot serves "
        "them on webhook_listen",
    )
    zalo_bot_link: str = Field(
        default="",
        description="The Zalo bot's public link (Zalo Bot Creator), printed with a QR code "
        "beside Telegram's on the invite sheet",
    )

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError(f"webhook_listen must be host:port, got {value!r}")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _strip_webhook_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")

    @field_validator("public_url", "zalo_bot_link")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(f"an address starting with https:// is expected, got {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("telegram_api_url", "zalo_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _sound_calendar(self) -> Settings:
        try:
            self.calendar  # noqa: B018  (built now so a bad setting fails at start)
        except ValueError as error:
            raise ValueError(f"working hours: {error}") from error
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """The working calendar reminders and the dispatcher keep to."""
        return WorkingCalendar(
            tz=self.zone,
            saturday_off=self.saturday_off,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            morning=self.working_morning,
        )

    @property
    def telegram_enabled(self) -> bool:
        """A Telegram token is set: the runtime starts the Telegram channel."""
        return _clear(self.telegram_token) is not None

    @property
    def zalo_enabled(self) -> bool:
        """A Zalo token is set: the runtime starts the Zalo channel."""
        return _clear(self.zalo_token) is not None

    def channels(self) -> list[str]:
        """The channels whose tokens are set, in the order the runtime starts them."""
        return [
            name
            for name, enabled in (("telegram", self.telegram_enabled), ("zalo", self.zalo_enabled))
            if enabled
        ]

    def require_channel(self) -> list[str]:
        """The channels to start; a clear error when no token is set at all."""
        if not self.channels():
            raise MissingTokenError(
                "no bot token is set: export NHACVIEC_TELEGRAM_TOKEN (BotFather) and/or "
                "NHACVIEC_ZALO_TOKEN (Zalo Bot Creator), or run `nhacviec demo` to try the bot."
            )
        return self.channels()

    def require_zalo_token(self) -> str:
        """The Zalo token in clear, for the client that needs it."""
        token = _clear(self.zalo_token)
        if token is None:
            raise MissingTokenError("NHACVIEC_ZALO_TOKEN is not set")
        return token

    def secrets(self) -> list[str]:
        """Every token and the webhook secret in clear, for the logging filter that masks them."""
        return [
            token
            for token in (
                _clear(self.telegram_token),
                _clear(self.zalo_token),
                _clear(self.webhook_secret),
            )
            if token is not None
        ]

    def require_token(self) -> str:
        """The token in clear, for the one place that needs it; a clear error when it is unset."""
        if self.telegram_token is None or not self.telegram_token.get_secret_value().strip():
            raise MissingTokenError(
                "NHACVIEC_TELEGRAM_TOKEN is not set: export the bot token from BotFather "
                "(or run `nhacviec demo` to try the bot without one)."
            )
        return self.telegram_token.get_secret_value().strip()

    @property
    def files_url(self) -> str:
        """Where published files are reached from outside ("" when nowhere: Zalo then gets a
        line saying the file cannot be sent from this server)."""
        return self.public_url or self.webhook_url

    @property
    def listen_address(self) -> tuple[str, int]:
        """`webhook_listen` as (host, port)."""
        host, _, port = self.webhook_listen.rpartition(":")
        return host.strip("[]"), int(port)

    def require_webhook_secret(self) -> str:
        """The webhook secret in clear, refused when unset, short or a placeholder."""
        secret = self.webhook_secret.get_secret_value().strip() if self.webhook_secret else ""
        if not secret:
            raise WebhookSettingsError(
                "NHACVIEC_WEBHOOK_SECRET is not set: webhook mode needs one "
                '(python -c "import secrets; print(secrets.token_urlsafe(32))").'
            )
        if len(secret) < MIN_WEBHOOK_SECRET:
            raise WebhookSettingsError(
                f"NHACVIEC_WEBHOOK_SECRET is shorter than {MIN_WEBHOOK_SECRET} characters."
            )
        lowered = secret.lower()
        if len(set(secret)) < 8 or any(word in lowered for word in _PLACEHOLDERS):
            raise WebhookSettingsError("NHACVIEC_WEBHOOK_SECRET looks like a placeholder.")
        if not _SECRET_CHARS.match(secret):
            raise WebhookSettingsError(
                "NHACVIEC_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (Telegram's rule)."
            )
        return secret


def _clear(secret: SecretStr | None) -> str | None:
    """A secret's value without surrounding blanks; None when unset or blank."""
    if secret is None:
        return None
    return secret.get_secret_value().strip() or None
