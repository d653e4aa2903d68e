"""Calendar entries (iCalendar) for meetings, events, consultation deadlines and action items.

Each entry keeps one UID for its whole life and a SEQUENCE that grows with each change, so a
calendar that received an invitation updates the same entry when the dates move.
"""

import datetime
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

DOMAIN = "alliance87.org"
# A deadline is shown as the half hour that ends at it: RFC 5545 wants DTEND after DTSTART.
DEADLINE_LENGTH = datetime.timedelta(minutes=30)
# A planned meeting is only pencilled in until its invitation goes out (RFC 5545 §3.8.1.11).
MEETING_STATUS = {"planned": "TENTATIVE", "cancelled": "CANCELLED"}


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Alliance 8.7//Coordination//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _all_day(entry, start: datetime.date, end: datetime.date | None):
    entry.add("dtstart", start)
    entry.add("dtend", (end or start) + datetime.timedelta(days=1))  # exclusive end


def _url(obj) -> str:
    return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def meeting_entry(meeting) -> CalendarEvent | None:
    if not meeting.starts_on:
        return None
    entry = CalendarEvent()
    entry.add("uid", f"meeting-{meeting.pk}@{DOMAIN}")
    entry.add("sequence", meeting.ical_sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("summary", str(meeting.title))
    _all_day(entry, meeting.starts_on, meeting.ends_on)
    if meeting.place_display:
        entry.add("location", meeting.place_display)
    entry.add("url", _url(meeting))
    entry.add("status", MEETING_STATUS.get(meeting.status, "CONFIRMED"))
    return entry


def event_entry(event) -> CalendarEvent | None:
    if not event.starts_on:
        return None
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@{DOMAIN}")
    entry.add("dtstamp", timezone.now())
    entry.add("summary", event.title)
    _all_day(entry, event.starts_on, event.ends_on)
    if event.place_display:
        entry.add("location", event.place_display)
    entry.add("url", _url(event))
    return entry


def deadline_entry(consultation) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"consultation-{consultation.pk}@{DOMAIN}")
    entry.add("dtstamp", timezone.now())
    entry.add(
        "summary",
        _("Comments due: %(title)s") % {"title": consultation.version.document.title},
    )
    entry.add("dtstart", consultation.closes_at - DEADLINE_LENGTH)
    entry.add("dtend", consultation.closes_at)
    entry.add("url", _url(consultation))
    return entry


def action_item_entry(item) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"action-item-{item.pk}@{DOMAIN}")
    entry.add("dtstamp", timezone.now())
    entry.add("summary", _("Due: %(title)s") % {"title": item.title})
    _all_day(entry, item.due_on, None)
    entry.add("url", _url(item))
    return entry


def one_entry(entry, method: str = "PUBLISH") -> bytes:
    """One entry sent by email (iTIP, RFC 5546): the secretariat is its ORGANIZER."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = name
    entry.add("organizer", organizer)
    calendar = _calendar(method)
    calendar.add_component(entry)
    return calendar.to_ical()


def calendar_attachment(entry, filename: str, method: str = "PUBLISH") -> MIMEText:
    """The entry as an email part: RFC 6047 §2.4 wants the iTIP method in its Content-Type."""
    part = MIMEText(one_entry(entry, method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def feed(entries) -> bytes:
    calendar = _calendar()
    calendar.add("x-wr-calname", "Alliance 8.7")
    for entry in entries:
        if entry is not None:
            calendar.add_component(entry)
    return calendar.to_ical()
