"""The comment matrix of a consultation, as CSV and XLSX: one row per comment.

Both are written row by row from one database query (server-side cursor on PostgreSQL), so a
consultation with 10,000 comments costs the same few queries and little memory. Every cell
goes through `spreadsheets`, which keeps members' text from running as a formula.
"""

import tempfile

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Comment, Constituency, Consultation, Membership
from .spreadsheets import csv_lines, xlsx_cell

EXCERPT_LENGTH = 200
CHUNK = 2000

# header, width (characters), wraps
COLUMNS = [
    ("Paragraph", 11, False),
    ("Paragraph excerpt", 45, True),
    ("Commenter", 24, True),
    ("Organisation", 28, True),
    ("Constituency", 18, True),
    ("Comment", 60, True),
    ("Disposition", 16, False),
    ("Reply", 50, True),
    ("Answered in paragraph", 12, False),
    ("Submitted", 18, False),
    ("Last edited", 18, False),
    ("Disposed", 18, False),
]


def matrix_comments(consultation: Consultation):
    constituency = Membership.objects.filter(
        person_id=OuterRef("author_id"), group_id=consultation.audience_id
    ).values("constituency")[:1]
    return (
        Comment.objects.filter(consultation=consultation, withdrawn_at__isnull=True)
        .select_related("author__organisation")
        .annotate(constituency=Subquery(constituency))
        .order_by("paragraph_key", "created_at", "pk")
    )


def _local(moment):
    """Spreadsheets know no time zones: the reader's local time, without the zone."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def matrix_rows(consultation: Consultation):
    """The rows as Python values (header first); dates stay datetimes for XLSX."""
    excerpts = {
        p.number: p.text[:EXCERPT_LENGTH] for p in consultation.version.paragraphs if p.number
    }
    constituencies = dict(Constituency.choices)
    dispositions = dict(Comment.Disposition.choices)
    yield [_(header) for header, _width, _wraps in COLUMNS]
    for comment in matrix_comments(consultation).iterator(chunk_size=CHUNK):
        author = comment.author
        organisation = author.organisation
        yield [
            comment.paragraph or _("Whole text"),
            excerpts.get(comment.paragraph, ""),
            author.full_name,
            organisation.name if organisation else "",
            str(constituencies.get(comment.constituency or "", "")),
            comment.text,
            str(dispositions.get(comment.disposition, "")),
            comment.reply,
            comment.answered_in_paragraph,
            _local(comment.created_at),
            _local(comment.updated_at) if comment.updated_at != comment.created_at else None,
            _local(comment.disposed_at),
        ]


def matrix_csv(consultation: Consultation):
    return csv_lines(matrix_rows(consultation))


def matrix_xlsx(consultation: Consultation):
    """A write-only workbook in a temporary file: header frozen, columns sized, text wrapped."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Comments")[:31])
    sheet.freeze_panes = "A2"
    for index, (_header, width, _wraps) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    bold = Font(bold=True)
    rows = matrix_rows(consultation)
    header = []
    for value in next(rows):
        cell = xlsx_cell(sheet, value)
        cell.font = bold
        cell.alignment = wrap
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for (_header, _width, wraps), value in zip(COLUMNS, row, strict=True):
            cell = xlsx_cell(sheet, value)
            cell.alignment = wrap if wraps else top
            if hasattr(value, "strftime"):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
