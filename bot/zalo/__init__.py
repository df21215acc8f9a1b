"""The Zalo Bot Platform: an async httpx client of our own (the PyPI ones are unmaintained
forks), its typed objects and errors, and the translation of updates into `Incoming`."""

from bot.zalo.client import DEFAULT_BASE_URL, ZaloClient
from bot.zalo.errors import (
    ZaloApiError,
    ZaloError,
    ZaloMalformedResponse,
    ZaloMalformedUpdate,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
)
from bot.zalo.incoming import parse_webhook_body, to_incoming
from bot.zalo.types import (
    MAX_TEXT_LENGTH,
    EventName,
    WebhookInfo,
    ZaloBot,
    ZaloChat,
    ZaloMessage,
    ZaloSent,
    ZaloUpdate,
    ZaloUser,
    parse_update,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_TEXT_LENGTH",
    "EventName",
    "WebhookInfo",
    "ZaloApiError",
    "ZaloBot",
    "ZaloChat",
    "ZaloClient",
    "ZaloError",
    "ZaloMalformedResponse",
    "ZaloMalformedUpdate",
    "ZaloMessage",
    "ZaloNetworkError",
    "ZaloQuotaExceeded",
    "ZaloSent",
    "ZaloUnauthorized",
    "ZaloUpdate",
    "ZaloUser",
    "parse_update",
    "parse_webhook_body",
    "to_incoming",
]
