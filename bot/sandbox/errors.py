"""The error a Bot API method answers, kept apart from HTTP so the logic can be tested bare."""

from __future__ import annotations


class ApiError(Exception):
    """A Telegram error answer: HTTP status, description, and retry_after for 429."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(f"{status} {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def to_body(self) -> dict[str, object]:
        """The JSON body Telegram sends with this error."""
        body: dict[str, object] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: ..." wording."""
    return ApiError(400, f"Bad Request: {detail}")
