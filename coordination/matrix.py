"""The comment matrix of a consultation, as CSV and XLSX: one row per comment.

Both are written row by row from one database query (server-side cursor on PostgreSQL), so a
consultation with 10,000 comments costs the same few queries and little memory. Every cell
goes through `spreadsheets`, which keeps members' text from running as a formula.
"""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Comment, Constituency, Consultation, Membership
from .spreadsheets import Column, local_time, table_xlsx

EXCERPT_LENGTH = 200
CHUNK = 2000

COLUMNS = [
    Column(gettext_lazy("Paragraph"), 11),
    Column(gettext_lazy("Paragraph excerpt"), 45, wraps=True),
    Column(gettext_lazy("Commenter"), 24, wraps=True),
    Column(gettext_lazy("Organisation"), 28, wraps=True),
    Column(gettext_lazy("Constituency"), 18, wraps=True),
    Column(gettext_lazy("Comment"), 60, wraps=True),
    Column(gettext_lazy("Disposition"), 16),
    Column(gettext_lazy("Reply"), 50, wraps=True),
    Column(gettext_lazy("Answered in paragraph"), 12),
    Column(gettext_lazy("Submitted"), 18),
    Column(gettext_lazy("Last edited"), 18),
    Column(gettext_lazy("Disposed"), 18),
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


def matrix_rows(consultation: Consultation):
    """The rows as Python values, below the header; dates stay datetimes for XLSX."""
    excerpts = {
        p.number: p.text[:EXCERPT_LENGTH] for p in consultation.version.paragraphs if p.number
    }
    constituencies = dict(Constituency.choices)
    dispositions = dict(Comment.Disposition.choices)
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
            local_time(comment.created_at),
            local_time(comment.updated_at) if comment.updated_at != comment.created_at else None,
            local_time(comment.disposed_at),
        ]


def matrix_xlsx(consultation: Consultation):
    return table_xlsx(COLUMNS, matrix_rows(consultation), sheet_title=_("Comments"))
