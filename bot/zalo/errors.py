"""Typed failures of the Zalo Bot API, so callers decide by type, never by parsing text.

No error here carries the bot token: the client builds them from the method name, Zalo's
error code and description (with the token masked), never from a URL.
"""

from __future__ import annotations


class ZaloError(Exception):
    """Anything that went wrong talking to Zalo."""


class ZaloApiError(ZaloError):
    """Zalo answered `ok: false`: `error_code` and `description` come from the body."""

    def __init__(self, method: str, error_code: int, description: str) -> None:
        super().__init__(f"Zalo {method}: error {error_code}: {description or 'no description'}")
        self.method = method
        self.error_code = error_code
        self.description = description


class ZaloUnauthorized(ZaloApiError):
    """401: the token is wrong or revoked (Zalo says so in an HTTP 200 body)."""


class ZaloQuotaExceeded(ZaloApiError):
    """429: the bot's sending quota is spent; wait `retry_after` seconds before the next send.

    Zalo publishes no figures and sends no retry_after of its own (when it does, it is used),
    so the advice is the client's back-off setting.
    """

    def __init__(self, method: str, error_code: int, description: str, retry_after: float) -> None:
        super().__init__(method, error_code, description)
        self.retry_after = retry_after


class ZaloNetworkError(ZaloError):
    """The request did not get an answer: connection refused, reset, or timed out.

    Only the kind of failure is kept (`reason`, e.g. "ConnectTimeout"): httpx's own
    exception text holds the URL, and the URL holds the token.
    """

    def __init__(self, method: str, reason: str, *, timed_out: bool) -> None:
        super().__init__(f"Zalo {method}: no answer ({reason})")
        self.method = method
        self.reason = reason
        self.timed_out = timed_out


class ZaloMalformedResponse(ZaloError):
    """The answer was not a Zalo envelope (a proxy's HTML page, a cut body, a wrong shape)."""

    def __init__(self, method: str, status_code: int, detail: str) -> None:
        super().__init__(f"Zalo {method}: HTTP {status_code}, {detail}")
        self.method = method
        self.status_code = status_code
        self.detail = detail


class ZaloMalformedUpdate(ZaloError, ValueError):
    """An update (from getUpdates or a webhook body) lacks what every update must have."""
