"""Annex I, the list of participants, as a spreadsheet: every cell through
coordination.spreadsheets.xlsx_cell, so a name typed as "=HYPERLINK(…)" stays text."""

import tempfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..models import Meeting
from ..spreadsheets import xlsx_cell
from .records import participants

# header, column width
COLUMNS = (
    (lambda: _("Organisation"), 48),
    (lambda: _("Constituency"), 26),
    (lambda: _("Name"), 32),
    (lambda: _("Status"), 14),
)


def participants_header() -> list[str]:
    return [header() for header, _width in COLUMNS]


def participants_xlsx(meeting: Meeting):
    """A write-only workbook in a temporary file: the header row frozen, then one row per
    participant."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Annex I")[:31])
    sheet.freeze_panes = "A2"
    for letter, (_header, width) in zip("ABCD", COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for value in participants_header():
        cell = xlsx_cell(sheet, value)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in participants(meeting):
        sheet.append(
            [
                xlsx_cell(sheet, value)
                for value in (row.organisation, row.constituency, row.name, row.status)
            ]
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
