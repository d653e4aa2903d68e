"""What coordination reminds people of: consultations, action items, meetings and events; and
the secretariat's weekly list of action items long overdue."""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .calendar import calendar_attachment, event_entry, meeting_entry
from .models import (
    ActionItem,
    Consultation,
    Event,
    Meeting,
    NotificationDelivery,
    Person,
    parse_day_list,
)
from .reminders import Due, ReminderKind, last_digest_moment, moment_display
from .selectors import (
    action_item_owners,
    audience_ids,
    consultation_responders,
    has_responded,
    secretariat_users,
)

CLOSED_NOTICE_WINDOW = datetime.timedelta(days=7)
MAX_OVERDUE_REMINDERS = 4  # the day after the due date, then weekly: four in all


def _zone(name: str | None = None) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)


def _site_today(now: datetime.datetime) -> datetime.date:
    """The day the sweep counts in: the secretariat's, whatever the reader's time zone."""
    return timezone.localdate(now, _zone())


def long_overdue_since(today: datetime.date) -> datetime.date:
    """An open item due before this day is long overdue: its owners have had their last
    reminder (the day after the due date, then weekly, MAX_OVERDUE_REMINDERS in all), and it
    is on the secretariat's weekly list instead."""
    return today - datetime.timedelta(weeks=MAX_OVERDUE_REMINDERS)


def long_overdue_items(today: datetime.date):
    return ActionItem.objects.overdue(long_overdue_since(today))


def lead_milestone(deadline, leads, started, now, tz):
    """The closest lead time that has come: (days, moment) or None.

    “7 days before” is counted on the wall clock of the deadline's time zone, so it keeps its
    hour across a daylight-saving change. A lead whose moment came before the clock started
    (the window opened, the trigger was recorded) is never sent: it would arrive late.
    """
    local_deadline = deadline.astimezone(tz)
    for days in sorted(leads):
        moment = (local_deadline - datetime.timedelta(days=days)).astimezone(datetime.UTC)
        if moment <= now:
            return (days, moment) if moment >= started else None
    return None


def _with_email(person_ids):
    return set(
        Person.objects.filter(pk__in=person_ids).exclude(email="").values_list("pk", flat=True)
    )


class ConsultationReminders(ReminderKind):
    """Open for comment; 7, 2 and 1 days before the close to those who have not responded;
    closed, and what happens next."""

    name = "consultation"
    label = gettext_lazy("Consultations: open for comment, closing soon, closed")
    model = Consultation

    def due(self, now):
        consultations = list(
            Consultation.objects.filter(
                Q(opens_at__lte=now, closes_at__gt=now)
                | Q(closes_at__lte=now, closes_at__gt=now - CLOSED_NOTICE_WINDOW)
            )
        )
        if not consultations:
            return
        ids = [c.pk for c in consultations]
        members = _members_with_email({c.audience_id for c in consultations}, respondents=True)
        responded = consultation_responders(ids)
        tz = _zone()
        for consultation in consultations:
            audience = members.get(consultation.audience_id, set())
            if not consultation.is_open(now):
                for person_id in audience:
                    yield Due(consultation, person_id, "closed", consultation.closes_at)
                continue
            waiting = {p for p in audience if (consultation.pk, p) not in responded}
            for person_id in waiting:
                yield Due(consultation, person_id, "opened", consultation.opens_at)
            lead = lead_milestone(
                consultation.closes_at,
                parse_day_list(consultation.reminder_days),
                consultation.opens_at,
                now,
                tz,
            )
            if lead:
                days, moment = lead
                for person_id in waiting:
                    yield Due(consultation, person_id, f"before-{days}d", moment)

    def is_still_true(self, obj, milestone, person):
        if not super().is_still_true(obj, milestone, person):
            return False
        if milestone == "closed":
            return True
        return obj.is_open(timezone.now()) and not has_responded(person, obj)

    def objects(self, ids):
        return Consultation.objects.select_related("version__document", "audience").in_bulk(ids)

    def needs_action(self, milestone):
        return milestone != "closed"

    def deadline(self, obj):
        return obj.closes_at

    def deadline_display(self, obj, milestone):
        return moment_display(obj.closes_at)

    def subject(self, obj, milestone):
        title = obj.version.document.title
        if milestone == "opened":
            return _("Open for comment: %(title)s") % {"title": title}
        if milestone == "closed":
            return _("Consultation closed: %(title)s") % {"title": title}
        return _("Reminder: comments on %(title)s close soon") % {"title": title}

    def context(self, obj, milestone):
        return {
            "consultation": obj,
            "milestone": milestone,
            "closes_at": moment_display(obj.closes_at),
            "days": milestone.removeprefix("before-").removesuffix("d")
            if milestone.startswith("before-")
            else None,
        }


def _local_midnight(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=tz)


class ActionItemReminders(ReminderKind):
    """7 days and 1 day before the due date, then weekly while overdue, to the owners."""

    name = "action_item"
    label = gettext_lazy("My action items: due soon, overdue")
    model = ActionItem
    leads = (7, 1)

    def due(self, now):
        tz = _zone()
        today = timezone.localdate(now, tz)
        items = list(
            ActionItem.objects.open()
            .filter(due_on__isnull=False, due_on__lte=today + datetime.timedelta(days=7))
            .select_related("meeting")
            .only("pk", "due_on", "created_at", "triggered_at", "meeting__time_zone")
        )
        if not items:
            return
        recipients = self._owners([item.pk for item in items])
        for item in items:
            people = recipients.get(item.pk)
            if not people:
                continue
            item_tz = _zone(item.meeting.time_zone if item.meeting else None)
            due_moment = _local_midnight(item.due_on, item_tz)
            started = item.triggered_at or item.created_at
            if item.due_on < long_overdue_since(today):
                continue  # on the secretariat's weekly list now, not reminded forever
            if today > item.due_on:
                weeks = ((today - item.due_on).days - 1) // 7 + 1  # the day after, then weekly
                milestone = f"overdue-w{weeks}"
                moment = due_moment + datetime.timedelta(days=1 + 7 * (weeks - 1))
            else:
                lead = lead_milestone(due_moment, self.leads, started, now, item_tz)
                if not lead:
                    continue
                milestone, moment = f"before-{lead[0]}d", lead[1]
            for person_id in people:
                yield Due(item, person_id, milestone, moment)

    def is_still_true(self, obj, milestone, person):
        return super().is_still_true(obj, milestone, person) and obj.is_open

    def _owners(self, item_ids):
        """Each item's owners who have an address."""
        owners = action_item_owners(item_ids)
        reachable = _with_email(set().union(*owners.values())) if owners else set()
        return {item_id: people & reachable for item_id, people in owners.items()}

    def objects(self, ids):
        return ActionItem.objects.select_related("meeting__group").in_bulk(ids)

    def deadline(self, obj):
        if obj.due_on is None:
            return None
        return _local_midnight(obj.due_on, _zone())

    def deadline_display(self, obj, milestone):
        return date_format(obj.due_on) if obj.due_on else ""

    def subject(self, obj, milestone):
        if milestone.startswith("overdue"):
            return _("Overdue: %(title)s") % {"title": obj.title}
        return _("Due soon: %(title)s") % {"title": obj.title}

    def context(self, obj, milestone):
        return {"item": obj, "milestone": milestone, "today": _site_today(timezone.now())}


class LongOverdueReminders(ReminderKind):
    """The secretariat's weekly list of action items its owners are no longer reminded of, to
    each officer: someone chases them, and nobody is mailed about them forever.

    The object is the officer (one row a week each); the list is read when the message goes out,
    so it says what is overdue then.
    """

    name = "long_overdue"
    label = gettext_lazy("Action items long overdue (the secretariat's weekly list)")
    model = Person

    def due(self, now):
        if not long_overdue_items(_site_today(now)).exists():
            return
        week_start = last_digest_moment(now, NotificationDelivery.WEEKLY)  # Monday 07:00
        milestone = self._week(now)
        for officer in _secretariat_with_email():
            yield Due(officer, officer.pk, milestone, week_start)

    @staticmethod
    def _week(now) -> str:
        """The ISO week the list belongs to, e.g. “2019-W04” (it starts on Monday at 07:00)."""
        year, week, _day = last_digest_moment(now, NotificationDelivery.WEEKLY).isocalendar()
        return f"{year}-W{week:02d}"

    def objects(self, ids):
        return Person.objects.select_related("user").in_bulk(ids)

    def is_still_true(self, obj, milestone, person):
        """Still an officer, the list of this week (a week missed in an outage is not sent as
        well as the next), and something on it."""
        now = timezone.now()
        return (
            super().is_still_true(obj, milestone, person)
            and person.user_id is not None
            and person.user.is_secretariat
            and milestone == self._week(now)
            and long_overdue_items(_site_today(now)).exists()
        )

    def is_offered_to(self, user):
        return user.is_secretariat

    def url(self, obj):
        return settings.SITE_URL.rstrip("/") + reverse("action_item_list") + "?overdue=on"

    def subject(self, obj, milestone):
        count = long_overdue_items(_site_today(timezone.now())).count()
        return ngettext(
            "Long overdue: %(count)d action item", "Long overdue: %(count)d action items", count
        ) % {"count": count}

    def context(self, obj, milestone):
        today = _site_today(timezone.now())
        site = settings.SITE_URL.rstrip("/")
        items = (
            long_overdue_items(today)
            .prefetch_related(*ActionItem.owners_prefetch())
            .order_by("due_on", "pk")
        )
        return {
            "milestone": milestone,
            "max_reminders": MAX_OVERDUE_REMINDERS,
            "list_url": self.url(obj),
            "rows": [
                {
                    "title": item.title,
                    "owners": item.owners_display(),
                    "due_on": item.due_on,
                    "weeks": (today - item.due_on).days // 7,
                    "url": site + item.get_absolute_url(),
                }
                for item in items
            ],
        }


def _secretariat_with_email():
    """The people of the accounts that act as the secretariat, who have an address."""
    return Person.objects.filter(user__in=secretariat_users()).exclude(email="").only("pk")


def _members_with_email(group_ids, *, respondents: bool = False) -> dict[int, set[int]]:
    """Group id → ids of its members who have an address (two queries)."""
    members = audience_ids(group_ids, respondents=respondents)
    reachable = _with_email(set().union(*members.values())) if members else set()
    return {group_id: people & reachable for group_id, people in members.items()}


class MeetingReminders(ReminderKind):
    """The invitation (again, as an update, when the dates change), “papers are available”,
    and a reminder a week before; each with the calendar entry."""

    name = "meeting"
    label = gettext_lazy("Meetings: invitations, papers, reminders")
    model = Meeting
    lead_days = 7

    def due(self, now):
        today = timezone.localdate(now, _zone())
        meetings = list(
            Meeting.objects.filter(starts_on__gte=today).exclude(status=Meeting.Status.PLANNED)
        )
        if not meetings:
            return
        members = _members_with_email({m.group_id for m in meetings})
        for meeting in meetings:
            people = members.get(meeting.group_id, set())
            if meeting.status == Meeting.Status.CANCELLED:
                milestones = [(f"cancelled-{meeting.ical_sequence}", now)]
            else:
                milestones = [(f"invitation-{meeting.ical_sequence}", now)]
                if meeting.papers_published_at and meeting.papers_published_at <= now:
                    milestones.append(("papers", meeting.papers_published_at))
                start = _local_midnight(meeting.starts_on, _zone(meeting.time_zone))
                moment = start - datetime.timedelta(days=self.lead_days)
                if moment <= now:
                    milestones.append((f"before-{self.lead_days}d", moment))
            for milestone, moment in milestones:
                for person_id in people:
                    yield Due(meeting, person_id, milestone, moment)

    def objects(self, ids):
        return Meeting.objects.select_related("group").in_bulk(ids)

    def is_still_true(self, obj, milestone, person):
        """A cancelled meeting sends only its cancellation; an invitation for dates that have
        changed since gives way to the newer one."""
        if not super().is_still_true(obj, milestone, person):
            return False
        if milestone.startswith("cancelled"):
            return True
        if obj.status == Meeting.Status.CANCELLED:
            return False
        if milestone.startswith("invitation-"):
            return milestone == f"invitation-{obj.ical_sequence}"
        return True

    def needs_action(self, milestone):
        return milestone == "papers"

    def deadline(self, obj):
        return _local_midnight(obj.starts_on, _zone(obj.time_zone)) if obj.starts_on else None

    def deadline_display(self, obj, milestone):
        """Meeting days are dates; the invitation and cancellation name them already."""
        if milestone.startswith(("invitation", "cancelled")):
            return ""
        return obj.dates_display

    def subject(self, obj, milestone):
        title = str(obj.title)
        if milestone.startswith("cancelled"):
            return _("Cancelled: %(title)s") % {"title": title}
        if milestone == "invitation-0":
            return _("Invitation: %(title)s, %(dates)s") % {
                "title": title,
                "dates": obj.dates_display,
            }
        if milestone.startswith("invitation"):
            return _("New dates: %(title)s, %(dates)s") % {
                "title": title,
                "dates": obj.dates_display,
            }
        if milestone == "papers":
            return _("Papers available: %(title)s") % {"title": title}
        return _("Next week: %(title)s") % {"title": title}

    def context(self, obj, milestone):
        return {"meeting": obj, "milestone": milestone}

    def attachments(self, obj, milestone):
        entry = meeting_entry(obj)
        if entry is None:
            return []
        method = "CANCEL" if milestone.startswith("cancelled") else "PUBLISH"
        return [calendar_attachment(entry, "meeting.ics", method)]


class EventReminders(ReminderKind):
    """Each event is announced to the groups it names, as far in advance as it says."""

    name = "event"
    label = gettext_lazy("Upcoming events")
    model = Event

    def due(self, now):
        tz = _zone()
        today = timezone.localdate(now, tz)
        events = list(
            Event.objects.filter(
                Q(starts_on__gte=today) | Q(starts_on__isnull=True, window_starts_on__gte=today)
            ).prefetch_related("notify_groups")
        )
        if not events:
            return
        members = _members_with_email({g.pk for e in events for g in e.notify_groups.all()})
        for event in events:
            start = _local_midnight(event.starts_on or event.window_starts_on, tz)
            moment = start - datetime.timedelta(days=event.notify_days_before)
            if moment > now:
                continue
            people = set().union(*(members.get(g.pk, set()) for g in event.notify_groups.all()))
            for person_id in people:
                yield Due(event, person_id, "notice", moment)

    def needs_action(self, milestone):
        return False

    def deadline(self, obj):
        start = obj.starts_on or obj.window_starts_on
        return _local_midnight(start, _zone()) if start else None

    def subject(self, obj, milestone):
        return _("Coming up: %(title)s, %(dates)s") % {
            "title": obj.title,
            "dates": obj.dates_display,
        }

    def context(self, obj, milestone):
        return {"event": obj, "milestone": milestone}

    def attachments(self, obj, milestone):
        entry = event_entry(obj)
        return [calendar_attachment(entry, "event.ics")] if entry else []
