"""The parameters of one Bot API call, whatever the body looked like.

python-telegram-bot posts form fields (multipart when files go along) whose complex values are
JSON strings; other clients post JSON bodies with native values. Both read the same here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request


@dataclass
class Upload:
    """A file sent in a multipart body."""

    filename: str | None
    content: bytes
    content_type: str | None = None


class Params:
    """Typed access to the call's parameters; a wrong value is a 400, as on Telegram."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)

    def has(self, name: str) -> bool:
        """Whether the parameter was sent at all."""
        return name in self.values

    def get_int(self, name: str) -> int | None:
        """An integer parameter, None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value))
        except ValueError:
            try:
                number = float(str(value))
            except ValueError:
                raise bad_request(f"invalid {name} specified") from None
            return int(number)

    def required_int(self, name: str) -> int:
        """An integer parameter that must be there ("chat_id is empty" otherwise)."""
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def get_str(self, name: str) -> str | None:
        """A string parameter, None when absent."""
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, Upload):
            raise bad_request(f"{name} must be a string")
        return value if isinstance(value, str) else json.dumps(value)

    def get_bool(self, name: str) -> bool:
        """A boolean parameter; absent is False."""
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        return str(value).strip().lower() in {"true", "1"}

    def get_json(self, name: str) -> Any:
        """A JSON parameter (a JSON string in form bodies, a native value in JSON bodies)."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def get_file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload, or a file_id / URL string."""
        value = self.values.get(name)
        if value is None or isinstance(value, Upload | str):
            return value
        raise bad_request(f"invalid {name} specified")
