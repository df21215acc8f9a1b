"""The one error the reader raises: what is wrong with the input, told to the officer."""

from __future__ import annotations


class DocumentError(ValueError):
    """The input cannot be read as a directive; `message` is Vietnamese, ready to show.

    Callers (the CLI, the chat intake) show `message` as it is and store nothing.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
