"""The reading of a directive: plain frozen values, no parsing logic.

The chat intake shows a reading back to the officer and turns the confirmed parts into
rows; keeping it immutable lets a correction be a new value instead of an edit in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DeadlineKind(StrEnum):
    """How a deadline is written: a date, a period to resolve by a rule, or a recurrence."""

    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    PERIODIC = "periodic"


class FieldSource(StrEnum):
    """Where a header field was read: the printed header, the prose (an opening sentence, a
    retelling), or nowhere: the officer is asked to fill it."""

    HEADER = "header"
    PROSE = "prose"
    MISSING = "missing"


# The fields whose source a reading reports, in the order `parse --json` lists them.
SOURCED_FIELDS = (
    "kind",
    "number",
    "issuer",
    "place",
    "issue_date",
    "subject",
    "recipients",
    "signer",
)


@dataclass(frozen=True, slots=True)
class IssueDate:
    """The date a document was issued; `day` is None when the document leaves it blank."""

    year: int
    month: int
    day: int | None = None

    def iso(self) -> str:
        """`YYYY-MM-DD`, or `YYYY-MM` at month precision."""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """`dd/mm/yyyy`, or `tháng mm/yyyy` at month precision: how officers write it."""
        if self.day is None:
            return f"tháng {self.month:02d}/{self.year:04d}"
        return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"

    def as_date(self) -> date | None:
        """The exact day, when the document gives one."""
        if self.day is None:
            return None
        return date(self.year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class Task:
    """One top-level item, numbered 1..n in document order, with its sub-items and bullets.

    `label` keeps the document's own numbering (e.g. `II.2` under Roman sections), which
    can differ from `item` when numbering restarts.
    """

    item: int
    text: str
    subitems: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline phrase, where it was found, and the date it means or proposes.

    `task_item` is None when the phrase belongs to the whole document. `rule` names the
    relative rule that proposed `date`; a proposed date needs the officer's confirmation.
    """

    date: date | None
    text: str
    task_item: int | None
    kind: DeadlineKind
    rule: str | None = None
    needs_confirmation: bool = False


@dataclass(frozen=True, slots=True)
class Reference:
    """A document cited by number and date (`Căn cứ …`, `Thực hiện …`): never a deadline."""

    number: str
    date: date


@dataclass(frozen=True, slots=True)
class Signer:
    """The signer's title (as printed, e.g. `PHÓ CHỦ TỊCH`) and name, when legible."""

    title: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything read from one directive."""

    kind: str
    number: str | None
    issuer: str | None
    place: str | None
    issue_date: IssueDate | None
    subject: str | None
    recipients: tuple[str, ...]
    tasks: tuple[Task, ...]
    deadlines: tuple[Deadline, ...]
    references: tuple[Reference, ...]
    signer: Signer
    # (field, source) for each of SOURCED_FIELDS; empty when built by hand.
    sources: tuple[tuple[str, FieldSource], ...] = ()

    def source_of(self, field: str) -> FieldSource:
        """Where `field` was read; a field not reported counts as missing."""
        return dict(self.sources).get(field, FieldSource.MISSING)

    def missing(self) -> tuple[str, ...]:
        """The sourced fields the text did not give, in the contract's order."""
        return tuple(f for f in SOURCED_FIELDS if self.source_of(f) is FieldSource.MISSING)
