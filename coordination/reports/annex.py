"""Annex I, the list of participants, as a spreadsheet, through the one table writer
(coordination.spreadsheets): a name typed as "=HYPERLINK(…)" stays text."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Meeting
from ..spreadsheets import Column, table_response
from .records import participants

COLUMNS = [
    Column(gettext_lazy("Organisation"), 48, wraps=True),
    Column(gettext_lazy("Constituency"), 26),
    Column(gettext_lazy("Name"), 32),
    Column(gettext_lazy("Status"), 14),
]


def participants_file(meeting: Meeting, *, name: str):
    """The XLSX download: the header row frozen, then one row per participant."""
    rows = (
        [row.organisation, row.constituency, row.name, row.status] for row in participants(meeting)
    )
    return table_response(COLUMNS, rows, extension="xlsx", name=name, sheet_title=_("Annex I"))
