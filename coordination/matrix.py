"""The comment matrix of a consultation, as CSV, XLSX and Word: one row per comment.

Every format is written from the same rows (`matrix_entries`), read from one database query
(server-side cursor on PostgreSQL), so a consultation with 10,000 comments costs the same few
queries. CSV and XLSX are written row by row; every spreadsheet cell goes through
`spreadsheets`, which keeps members' text from running as a formula. The Word file
(`coordination.word.writing`) is for reading and printing: it leaves out the times and puts
the organisation and the constituency in one column.
"""

import dataclasses
import datetime

from django.db.models import OuterRef, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Comment, Constituency, Consultation, Membership
from .spreadsheets import Column, local_time, table_xlsx

EXCERPT_LENGTH = 200
CHUNK = 2000

PARAGRAPH = Column(gettext_lazy("Paragraph"), 11)
EXCERPT = Column(gettext_lazy("Paragraph excerpt"), 45, wraps=True)
COMMENTER = Column(gettext_lazy("Commenter"), 24, wraps=True)
ORGANISATION = Column(gettext_lazy("Organisation"), 28, wraps=True)
CONSTITUENCY = Column(gettext_lazy("Constituency"), 18, wraps=True)
COMMENT = Column(gettext_lazy("Comment"), 60, wraps=True)
DISPOSITION = Column(gettext_lazy("Disposition"), 16)
REPLY = Column(gettext_lazy("Reply"), 50, wraps=True)
ANSWERED_IN = Column(gettext_lazy("Answered in paragraph"), 12)

COLUMNS = [
    PARAGRAPH,
    EXCERPT,
    COMMENTER,
    ORGANISATION,
    CONSTITUENCY,
    COMMENT,
    DISPOSITION,
    REPLY,
    ANSWERED_IN,
    Column(gettext_lazy("Submitted"), 18),
    Column(gettext_lazy("Last edited"), 18),
    Column(gettext_lazy("Disposed"), 18),
]

# The Word file's columns, their widths in millimetres on a landscape A4 page (the same
# headers; a header wraps between words, never within one).
WORD_COLUMNS = [
    dataclasses.replace(PARAGRAPH, width=22),
    dataclasses.replace(EXCERPT, width=40),
    dataclasses.replace(COMMENTER, width=26),
    Column(format_lazy("{} ({})", ORGANISATION.header, CONSTITUENCY.header), 32, wraps=True),
    dataclasses.replace(COMMENT, width=52),
    dataclasses.replace(DISPOSITION, width=25),
    dataclasses.replace(REPLY, width=40),
    dataclasses.replace(ANSWERED_IN, width=20),
]


@dataclasses.dataclass(frozen=True)
class MatrixRow:
    """One comment, as every format of the matrix writes it (labels in the reader's language)."""

    paragraph: str
    excerpt: str
    commenter: str
    organisation: str
    constituency: str
    comment: str
    disposition: str
    reply: str
    answered_in_paragraph: str
    submitted_at: datetime.datetime
    edited_at: datetime.datetime | None
    disposed_at: datetime.datetime | None

    @property
    def organisation_and_constituency(self) -> str:
        if self.organisation and self.constituency:
            return f"{self.organisation} ({self.constituency})"
        return self.organisation or self.constituency

    def cells(self) -> list:
        """The spreadsheet's cells, in the order of COLUMNS: times stay datetimes, in the
        reader's time zone without the zone."""
        return [
            self.paragraph,
            self.excerpt,
            self.commenter,
            self.organisation,
            self.constituency,
            self.comment,
            self.disposition,
            self.reply,
            self.answered_in_paragraph,
            local_time(self.submitted_at),
            local_time(self.edited_at),
            local_time(self.disposed_at),
        ]

    def word_cells(self) -> list[str]:
        """The Word table's cells, in the order of WORD_COLUMNS."""
        return [
            self.paragraph,
            self.excerpt,
            self.commenter,
            self.organisation_and_constituency,
            self.comment,
            self.disposition,
            self.reply,
            self.answered_in_paragraph,
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


def matrix_entries(consultation: Consultation):
    """The rows, one per comment, as they come from the database."""
    excerpts = {
        p.number: p.text[:EXCERPT_LENGTH] for p in consultation.version.paragraphs if p.number
    }
    constituencies = dict(Constituency.choices)
    dispositions = dict(Comment.Disposition.choices)
    for comment in matrix_comments(consultation).iterator(chunk_size=CHUNK):
        author = comment.author
        organisation = author.organisation
        yield MatrixRow(
            paragraph=comment.paragraph or _("Whole text"),
            excerpt=excerpts.get(comment.paragraph, ""),
            commenter=author.full_name,
            organisation=organisation.name if organisation else "",
            constituency=str(constituencies.get(comment.constituency or "", "")),
            comment=comment.text,
            disposition=str(dispositions.get(comment.disposition, "")),
            reply=comment.reply,
            answered_in_paragraph=comment.answered_in_paragraph,
            submitted_at=comment.created_at,
            edited_at=comment.updated_at if comment.updated_at != comment.created_at else None,
            disposed_at=comment.disposed_at,
        )


def matrix_rows(consultation: Consultation):
    """The spreadsheet's rows as Python values, below the header; dates stay datetimes."""
    return (row.cells() for row in matrix_entries(consultation))


def matrix_xlsx(consultation: Consultation):
    return table_xlsx(COLUMNS, matrix_rows(consultation), sheet_title=_("Comments"))
