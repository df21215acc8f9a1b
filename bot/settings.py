"""All configuration in one place, read from the environment (prefix `NHACVIEC_`) or `.env`."""

from __future__ import annotations

from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFICIAL_TELEGRAM_API = "https://api.telegram.org"


class MissingTokenError(RuntimeError):
    """Raised when a command that talks to Telegram has no token to do it with."""


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
    timezone: str = Field(default="Asia/Ho_Chi_Minh", description="Time zone users live in")
    dispatch_interval_seconds: float = Field(default=5.0, gt=0)
    send_rate_per_second: float = Field(default=25.0, gt=0, le=30)
    outbox_batch_size: int = Field(default=200, gt=0)
    outbox_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a claimed message stays reserved for the process that claimed it",
    )
    outbox_max_attempts: int = Field(default=8, gt=0)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_token(self) -> str:
        """The token in clear, for the one place that needs it; a clear error when it is unset."""
        if self.telegram_token is None or not self.telegram_token.get_secret_value().strip():
            raise MissingTokenError(
                "NHACVIEC_TELEGRAM_TOKEN is not set: export the bot token from BotFather "
                "(or run `nhacviec demo` to try the bot without one)."
            )
        return self.telegram_token.get_secret_value().strip()
