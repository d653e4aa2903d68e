"""What coordination reminds people of: consultations and action items."""

import datetime
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    ActionItem,
    Comment,
    Consultation,
    Membership,
    NoCommentStatement,
    Person,
    parse_day_list,
)
from .reminders import Due, ReminderKind

CLOSED_NOTICE_WINDOW = datetime.timedelta(days=7)


def _zone(name: str | None = None) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)


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
        members = defaultdict(set)
        for group_id, person_id in Membership.objects.filter(
            group_id__in={c.audience_id for c in consultations}
        ).values_list("group_id", "person_id"):
            members[group_id].add(person_id)
        reachable = _with_email(set().union(*members.values()))
        responded = set(
            Comment.objects.filter(consultation_id__in=ids, withdrawn_at__isnull=True).values_list(
                "consultation_id", "author_id"
            )
        ) | set(
            NoCommentStatement.objects.filter(consultation_id__in=ids).values_list(
                "consultation_id", "person_id"
            )
        )
        tz = _zone()
        for consultation in consultations:
            audience = members[consultation.audience_id] & reachable
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

    def objects(self, ids):
        return Consultation.objects.select_related("version__document", "audience").in_bulk(ids)

    def needs_action(self, milestone):
        return milestone != "closed"

    def deadline(self, obj):
        return obj.closes_at

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

    def _owners(self, item_ids):
        """Each item's owners as people: named people, members of owner groups, and people
        with an account in owner organisations. Three queries, whatever the number of items."""
        through = ActionItem.owner_people.through
        owners = defaultdict(set)
        for item_id, person_id in through.objects.filter(actionitem_id__in=item_ids).values_list(
            "actionitem_id", "person_id"
        ):
            owners[item_id].add(person_id)
        groups = ActionItem.owner_groups.through.objects.filter(actionitem_id__in=item_ids)
        for item_id, person_id in groups.values_list(
            "actionitem_id", "group__memberships__person_id"
        ):
            if person_id:
                owners[item_id].add(person_id)
        orgs = ActionItem.owner_organisations.through.objects.filter(
            actionitem_id__in=item_ids, organisation__people__user__isnull=False
        )
        for item_id, person_id in orgs.values_list("actionitem_id", "organisation__people__id"):
            owners[item_id].add(person_id)
        reachable = _with_email(set().union(*owners.values())) if owners else set()
        return {item_id: people & reachable for item_id, people in owners.items()}

    def objects(self, ids):
        return ActionItem.objects.select_related("meeting__group").in_bulk(ids)

    def deadline(self, obj):
        if obj.due_on is None:
            return None
        return _local_midnight(obj.due_on, _zone())

    def subject(self, obj, milestone):
        if milestone.startswith("overdue"):
            return _("Overdue: %(title)s") % {"title": obj.title}
        return _("Due soon: %(title)s") % {"title": obj.title}

    def context(self, obj, milestone):
        return {"item": obj, "milestone": milestone, "today": timezone.localdate()}
