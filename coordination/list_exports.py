"""The lists of action items, meetings and events as spreadsheets: for each, its columns and its
rows as Python values, which `spreadsheets.table_response` writes as CSV or XLSX.

A list's export has the rows its page has (the page's own queryset, from the same form or
selector), read in chunks with what each row shows (joined, prefetched per chunk or counted in
the same query), so the queries do not grow with the rows. Times are the reader's local time
(their account's time zone, as on the pages), without a zone; dates are dates. Each row ends
with the link to its page, as the site gives it in emails.
"""

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ActionItem, Decision, Event, Meeting
from .spreadsheets import Column, local_time, table_response

CHUNK = 2000

ACTION_ITEM_COLUMNS = [
    Column(gettext_lazy("No."), 8),
    Column(gettext_lazy("Action item"), 50, wraps=True),
    Column(gettext_lazy("Group"), 16, wraps=True),
    Column(gettext_lazy("Meeting"), 24, wraps=True),
    Column(gettext_lazy("Owners"), 36, wraps=True),
    Column(gettext_lazy("Status"), 12),
    Column(gettext_lazy("Due on"), 12),
    Column(gettext_lazy("Deadline"), 28, wraps=True),
    Column(gettext_lazy("Waiting on"), 24, wraps=True),
    Column(gettext_lazy("Created"), 18),
    Column(gettext_lazy("Status changed"), 18),
    Column(gettext_lazy("Closed"), 18),
    Column(gettext_lazy("Link"), 40),
]

MEETING_COLUMNS = [
    Column(gettext_lazy("No."), 6),
    Column(gettext_lazy("Group"), 16, wraps=True),
    Column(gettext_lazy("Meeting"), 28, wraps=True),
    Column(gettext_lazy("Starts on"), 12),
    Column(gettext_lazy("Ends on"), 12),
    Column(gettext_lazy("Dates"), 28, wraps=True),
    Column(gettext_lazy("Place"), 28, wraps=True),
    Column(gettext_lazy("Status"), 12),
    Column(gettext_lazy("Decisions"), 10),
    Column(gettext_lazy("Open action points"), 12),
    Column(gettext_lazy("Link"), 40),
]

EVENT_COLUMNS = [
    Column(gettext_lazy("Event"), 40, wraps=True),
    Column(gettext_lazy("Upcoming or past"), 12),
    Column(gettext_lazy("Starts on"), 12),
    Column(gettext_lazy("Ends on"), 12),
    Column(gettext_lazy("Dates"), 28, wraps=True),
    Column(gettext_lazy("Place"), 28, wraps=True),
    Column(gettext_lazy("Description"), 60, wraps=True),
    Column(gettext_lazy("Groups told"), 24, wraps=True),
    Column(gettext_lazy("Days' notice"), 10),
    Column(gettext_lazy("Link"), 40),
]


def _link(obj) -> str:
    return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def action_items_file(items: QuerySet[ActionItem], *, today, extension: str):
    """The items (as ActionItemQuerySet.listed gives them) as a download named for the day: the
    site's list, or the admin's selection."""
    return table_response(
        ACTION_ITEM_COLUMNS,
        action_item_rows(items, today=today),
        extension=extension,
        name=f"action-items-{today.isoformat()}",
        sheet_title=_("Action items"),
    )


def action_item_rows(items: QuerySet[ActionItem], *, today) -> Iterator[list]:
    """`items` as ActionItemQuerySet.listed gives them; the deadline worded as the pages word it
    on `today`."""
    statuses = _labels(ActionItem.Status)
    meetings = {None: ("", "")}  # a few hundred meetings for 100,000 items: each worded once
    for item in items.iterator(chunk_size=CHUNK):
        if item.meeting_id not in meetings:
            meetings[item.meeting_id] = (item.meeting.group.short_name, item.meeting.title)
        group, meeting = meetings[item.meeting_id]
        waiting_on = item.waiting_on
        yield [
            item.pk,
            item.title,
            group,
            meeting,
            item.owners_display(),
            statuses[item.status],
            item.due_on,
            str(item.due_label(today)),
            waiting_on.title if waiting_on else "",
            local_time(item.created_at),
            local_time(item.status_changed_at),
            None if item.is_open else local_time(item.status_changed_at),
            _link(item),
        ]


def _labels(choices) -> dict[str, str]:
    """A field's choices, translated once per file rather than once per row."""
    return {value: str(label) for value, label in choices.choices}


def _count(related: QuerySet) -> Coalesce:
    """How many rows of `related` (filtered on OuterRef) each row has, in the same query."""
    counted = related.order_by().values("meeting_id").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def meeting_rows(meetings: QuerySet[Meeting]) -> Iterator[list]:
    """`meetings` from selectors.meetings_listed, each with its decisions and open action
    points counted in the same query."""
    meetings = meetings.annotate(
        decision_count=_count(Decision.objects.filter(meeting_id=OuterRef("pk"))),
        open_item_count=_count(ActionItem.objects.open().filter(meeting_id=OuterRef("pk"))),
    )
    statuses = _labels(Meeting.Status)
    for meeting in meetings.iterator(chunk_size=CHUNK):
        yield [
            meeting.number,
            meeting.group.short_name,
            meeting.title,
            meeting.starts_on,
            meeting.ends_on,
            meeting.dates_display,
            meeting.place_display,
            statuses[meeting.status],
            meeting.decision_count,
            meeting.open_item_count,
            _link(meeting),
        ]


def event_rows(upcoming: QuerySet[Event], past: QuerySet[Event]) -> Iterator[list]:
    """The two parts of selectors.events_listed, one after the other, as the page shows them."""
    yield from _event_rows(upcoming, _("Upcoming"))
    yield from _event_rows(past, _("Past"))


def _event_rows(events: QuerySet[Event], when: str) -> Iterator[list]:
    for event in events.iterator(chunk_size=CHUNK):
        yield [
            event.title,
            when,
            event.starts_on,
            event.ends_on,
            event.dates_display,
            event.place_display,
            event.description,
            ", ".join(group.short_name for group in event.notify_groups.all()),
            event.notify_days_before,
            _link(event),
        ]
