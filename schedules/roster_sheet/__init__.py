"""The roster sheet: read and check an administrator's Excel/CSV file, and write one back.

Nothing here touches the database: `storage.roster` applies the `RosterSheet` that
`read_roster` returns, and `current_sheet` gives one back for `write_roster`. `read_roster`
either returns a sheet that is safe to apply in one pass or raises `RosterFileError` with
every problem found, each tied to the row number the administrator sees in Excel or a text
editor (the header is line 1; line 0 is the file as a whole, shown as "Tệp:").

The modules, one job each: `columns` (column ids, header spellings, role words, limits,
help texts), `read` (the file into lines of cell texts, within the size bounds), `check`
(each row's problems), `tree` (parents by code or name, the problems between rows, and
parent-first order), `plan` (what importing a sheet would change) and `plan_text` (that plan
in Vietnamese), `write` (export and template), `printable` (the export's sheet to print),
`problems` (what a problem is).
"""

from __future__ import annotations

from schedules.roster_sheet.columns import (
    COLUMNS,
    MAX_CODE,
    MAX_LEVEL,
    MAX_PERSON_NAME,
    MAX_UNIT_NAME,
    REQUIRED_COLUMNS,
)
from schedules.roster_sheet.problems import RosterFileError, RowProblem
from schedules.roster_sheet.read import read_roster
from schedules.roster_sheet.write import template_sheet, write_roster, write_template
from storage.roster import OfficerRow, RosterSheet, UnitRow

__all__ = [
    "COLUMNS",
    "MAX_CODE",
    "MAX_LEVEL",
    "MAX_PERSON_NAME",
    "MAX_UNIT_NAME",
    "REQUIRED_COLUMNS",
    "OfficerRow",
    "RosterFileError",
    "RosterSheet",
    "RowProblem",
    "UnitRow",
    "read_roster",
    "template_sheet",
    "write_roster",
    "write_template",
]
