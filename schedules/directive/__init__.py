"""Reading directives: from a công văn, chỉ thị or kế hoạch to tasks, deadlines and addressees.

The chat intake and the `nhacviec parse` command use only what is listed in `__all__`.
"""

from schedules.directive.errors import DocumentError
from schedules.directive.extract import MAX_FILE_BYTES, check_size, extract_text
from schedules.directive.grading import FIELD_NAMES
from schedules.directive.model import (
    Deadline,
    DeadlineKind,
    FieldSource,
    IssueDate,
    Reading,
    Reference,
    Signer,
    Task,
)
from schedules.directive.reader import read_document, read_text
from schedules.directive.render import reading_to_json, render_reading
from schedules.directive.rules import DEFAULT_RULES, RelativeRule, rule_description, with_proposal

__all__ = [
    "DEFAULT_RULES",
    "FIELD_NAMES",
    "MAX_FILE_BYTES",
    "Deadline",
    "DeadlineKind",
    "DocumentError",
    "FieldSource",
    "IssueDate",
    "Reading",
    "Reference",
    "RelativeRule",
    "Signer",
    "Task",
    "check_size",
    "extract_text",
    "read_document",
    "read_text",
    "reading_to_json",
    "render_reading",
    "rule_description",
    "with_proposal",
]
