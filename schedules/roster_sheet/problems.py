"""What is wrong with a roster file, in Vietnamese, tied to the line a person sees.

Problem messages are for the administrator and quote the file's own values (codes, names,
phones); they must not be logged. `RosterFileError`'s own text carries only a count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row (or, at line 0, the whole file) cannot be imported, in Vietnamese."""

    line: int
    message: str

    def __str__(self) -> str:
        where = "Tệp" if self.line == 0 else f"Dòng {self.line}"
        return f"{where}: {self.message}"


class RosterFileError(Exception):
    """The sheet cannot be imported; `problems` lists every reason, sorted by line."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems: list[RowProblem] = sorted(problems, key=lambda p: p.line)
        # Only a count: the messages quote names and phones, and exceptions reach logs.
        super().__init__(f"roster file has {len(self.problems)} problem(s)")


def file_problem(message: str) -> RosterFileError:
    """The error for a file that cannot be read at all (line 0: the file as a whole)."""
    return RosterFileError([RowProblem(0, message)])
