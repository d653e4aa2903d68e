"""Reminders: the one mechanism that sends each notification exactly once.

A *kind* says what is due (`due(now)`, a fixed number of queries) and how its email reads
(`message(...)`). A sweep then:

1. records what is due as Reminder rows; the unique key (kind, object, recipient, milestone)
   makes a second sweep, or two sweeps at once, record nothing new;
2. claims a batch of unsent rows (coordination.claims, shared with the outbox:
   `select_for_update(skip_locked=True)` and a conditional update with a claim token, so two
   sweeps never claim the same row);
3. sends the batch over one SMTP connection, outside any transaction, marking each row sent
   as soon as it went out. Each claim is taken with the current time and renewed just before
   its message goes out; a row whose claim was lost (taken over after CLAIM_TIMEOUT) is
   skipped, not sent. An SMTP failure puts the row back with a growing delay; a refused
   address is recorded and given up; a claim left by a dead worker expires and is retried.

One sweep runs at a time (an advisory lock on PostgreSQL): a beat that fires while a long sweep
is still sending finds the lock taken and leaves the work to it. Exactly-once comes from the
database, not from Celery: the Celery task only calls `sweep`.
"""

import contextlib
import datetime
import logging
import smtplib
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from email.mime.base import MIMEBase

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .claims import batch_deliver, claim_renew, claimable, message_deliver, rows_claim
from .models import NotificationDelivery, Person, Reminder
from .outbox import sender
from .text import one_line

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass(frozen=True)
class Due:
    obj: models.Model
    recipient_id: int
    milestone: str
    due_at: datetime.datetime


class ReminderKind:
    """What one kind of notification needs: what is due now, and the email for it."""

    name: str
    label: str  # on the preferences page
    model: type[models.Model]

    def due(self, now: datetime.datetime) -> Iterable[Due]:
        raise NotImplementedError

    def objects(self, ids):
        """The objects of a batch, in one query (override to select related rows)."""
        return self.model.objects.in_bulk(ids)

    def context(self, obj, milestone: str) -> dict:
        return {"object": obj, "milestone": milestone}

    def subject(self, obj, milestone: str) -> str:
        raise NotImplementedError

    def template(self, milestone: str) -> str:
        return f"reminders/{self.name}"

    def needs_action(self, milestone: str) -> bool:
        """Digests list what needs the reader's action first."""
        return True

    def deadline(self, obj) -> datetime.datetime | None:
        """Digests then order by this."""
        return None

    def deadline_display(self, obj, milestone: str) -> str:
        """What a digest line shows after the subject: a moment in the reader's time zone
        (`moment_display`), a date as a date, or nothing when the subject says it already."""
        return ""

    def url(self, obj) -> str:
        """Where a digest line links to."""
        return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()

    def is_offered_to(self, user) -> bool:
        """Whether the preferences page offers this kind to the user."""
        return True

    def attachments(self, obj, milestone: str) -> list[MIMEBase]:
        return []

    def is_still_true(self, obj, milestone: str, person: Person) -> bool:
        """Asked again just before the message goes out (what was due when recorded may no
        longer be: the item is done, the person unsubscribed). Kinds add their own rule."""
        muted = person.muted_kinds or []
        return self.name not in muted and "*" not in muted

    def message(self, *, obj, milestone: str, person: Person) -> EmailMultiAlternatives:
        unsubscribe = unsubscribe_url(person, self.name)
        with as_reader(person):
            context = {
                **self.context(obj, milestone),
                "person": person,
                "site": settings.SITE_URL.rstrip("/"),
                "unsubscribe_url": unsubscribe,
            }
            subject = self.subject(obj, milestone)
            text = render_to_string(self.template(milestone) + ".txt", context)
            html = render_to_string(self.template(milestone) + ".html", context)
            from_email = sender()
        message = EmailMultiAlternatives(
            subject=one_line(subject),
            body=text,
            from_email=from_email,
            to=[person.email],
            headers=_list_headers(unsubscribe),
        )
        message.attach_alternative(html, "text/html")
        for part in self.attachments(obj, milestone):
            message.attach(part)
        return message


def _language(person: Person) -> str:
    return person.user.language if person.user_id else settings.LANGUAGE_CODE


def reader_zone(person: Person) -> zoneinfo.ZoneInfo:
    """Deadlines are shown in the reader's time zone: their account's, else the site's (also
    for a zone the system no longer knows: one account must not stop the sweep)."""
    if person.user_id:
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(person.user.time_zone)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@contextlib.contextmanager
def as_reader(person: Person):
    """Renders in the reader's language and time zone, and leaves neither active after."""
    with translation.override(_language(person)), timezone.override(reader_zone(person)):
        yield


def moment_display(moment: datetime.datetime) -> str:
    """“Monday 17 December 2018, 17:59 (America/New York)”: in the active time zone (the
    reader's, under `as_reader`), named, so that nobody reads Zurich time as their own."""
    zone = timezone.get_current_timezone_name()
    local = timezone.localtime(moment)
    when = date_format(local, _("l j F Y, H:i"))  # a format: each language orders its words
    return f"{when} ({zone.replace('_', ' ')})"


def _list_headers(unsubscribe: str) -> dict:
    """RFC 8058 one-click unsubscribe: mail programs show a button that POSTs to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies to these
    }


UNSUBSCRIBE_SALT = "alliance87.unsubscribe"


def unsubscribe_url(person: Person, kind: str) -> str:
    """A signed link that needs no login; `kind` is a reminder kind, or "*" for all."""
    token = signing.dumps({"p": person.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("unsubscribe", args=[token])


def unsubscribe_read(token: str) -> tuple[int, str]:
    """(person id, kind) from a link; raises signing.BadSignature for a forged one."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["p"]), str(data["k"])


KINDS: dict[str, ReminderKind] = {}


def kind_choices(user=None) -> list[tuple[str, str]]:
    """The kinds, or those the preferences page offers to `user`."""
    return [
        (kind.name, kind.label)
        for kind in KINDS.values()
        if user is None or kind.is_offered_to(user)
    ]


def register(kind: ReminderKind) -> ReminderKind:
    """Each app registers its kinds (in AppConfig.ready); coordination knows none of them."""
    KINDS[kind.name] = kind
    return kind


# --- the sweep ------------------------------------------------------------------------------


def reminders_record(now: datetime.datetime) -> int:
    """Records what is due as Reminder rows; already recorded ones are left as they are.

    Returns how many are due (recorded now or before), not how many rows are new: another
    sweep may be inserting the same rows at the same moment, and that is fine.
    """
    due = 0
    for kind in KINDS.values():
        content_type = ContentType.objects.get_for_model(kind.model)
        dues = list(kind.due(now))
        muted = {
            pk
            for pk, kinds in Person.objects.filter(
                pk__in={d.recipient_id for d in dues}
            ).values_list("pk", "muted_kinds")
            if kinds and (kind.name in kinds or "*" in kinds)
        }
        rows = [
            Reminder(
                kind=kind.name,
                content_type=content_type,
                object_id=due.obj.pk,
                recipient_id=due.recipient_id,
                milestone=due.milestone,
                due_at=due.due_at,
                next_attempt_at=now,
            )
            for due in dues
            if due.recipient_id not in muted
        ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        due += len(rows)
    return due


def _claimable(now) -> Q:
    return claimable(now) & Q(dropped_at__isnull=True)


def reminders_claim(
    now: datetime.datetime, limit: int = BATCH_SIZE, *, recipient: Person | None = None
) -> tuple[uuid.UUID, list]:
    """Claims up to `limit` unsent reminders for this sweep alone: those of people who want
    each email as it comes, or all of one person's (for their digest)."""
    condition = _claimable(now)
    if recipient is None:
        condition &= Q(recipient__notification_delivery=NotificationDelivery.IMMEDIATE)
    else:
        condition &= Q(recipient=recipient)
    token = rows_claim(Reminder.objects.all(), condition, limit)
    claimed = list(
        Reminder.objects.filter(claim_token=token, sent_at__isnull=True)
        .select_related("recipient__user")
        .order_by("next_attempt_at", "pk")
    )
    return token, claimed


def _usable_address(person: Person) -> str | None:
    try:
        validate_email(person.email)
    except Exception:
        return None
    return person.email


def reminders_send(token: uuid.UUID, reminders: list[Reminder]) -> dict:
    """Sends a claimed batch through one SMTP connection; returns counts for the log."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "dropped": 0, "lost": 0}
    objects = {}
    for name in {r.kind for r in reminders}:
        kind = KINDS.get(name)
        ids = [r.object_id for r in reminders if r.kind == name]
        objects[name] = kind.objects(ids) if kind else {}

    def deliver_one(reminder, connection):
        _send_one(reminder, token, objects, connection, counts)

    batch_deliver(Reminder.objects.all(), token, reminders, deliver_one, counts)
    return counts


def _send_one(reminder, token, objects, connection, counts) -> None:
    mine = Reminder.objects.filter(pk=reminder.pk, claim_token=token, sent_at__isnull=True)
    kind = KINDS.get(reminder.kind)
    obj = objects.get(reminder.kind, {}).get(reminder.object_id)
    reason = _why_dropped(kind, obj, reminder)
    if reason:
        logger.info("Reminder %s (%s) dropped: %s", reminder.pk, reminder.kind, reason)
        mine.update(dropped_at=timezone.now(), last_error=reason)
        counts["dropped"] += 1
        return
    person = reminder.recipient
    if not _usable_address(person):
        mine.update(failed_at=timezone.now(), last_error=f"No usable address: {person.email!r}")
        counts["failed"] += 1
        return
    message = kind.message(obj=obj, milestone=reminder.milestone, person=person)
    message.connection = connection
    outcome = message_deliver(mine, message, attempts=reminder.attempts)
    if outcome == "lost":
        logger.warning("Reminder %s skipped: its claim was taken over.", reminder.pk)
    counts[outcome] += 1


def _why_dropped(kind, obj, reminder) -> str:
    """Why a claimed reminder is not sent after all ("" if it is), asked just before it would
    go out, alone or as a digest line."""
    if kind is None or obj is None:
        return "The object no longer exists."
    if not kind.is_still_true(obj, reminder.milestone, reminder.recipient):
        return "No longer true when its turn came."
    return ""


SWEEP_LOCK = 87_000_001  # the advisory lock's key: any number no other code uses


@contextlib.contextmanager
def sweep_lock():
    """Yields whether this process may sweep: one at a time on PostgreSQL. SQLite serves one
    process (make demo), where sweeps are run by hand."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])


def sweep(now: datetime.datetime | None = None, *, limit: int = BATCH_SIZE) -> dict:
    """Records what is due, sends batch after batch until nothing is left to claim, then
    the digests that are due; nothing at all while another sweep runs."""
    with sweep_lock() as alone:
        if not alone:
            logger.info("Another sweep is running: this one leaves the work to it.")
            return {"skipped": 1}
        return _sweep(now or timezone.now(), limit)


def _sweep(now: datetime.datetime, limit: int) -> dict:
    totals = {
        "due": reminders_record(now),
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "dropped": 0,
        "lost": 0,
        "digests": 0,
    }
    while True:
        token, batch = reminders_claim(now, limit)
        if not batch:
            break
        counts = reminders_send(token, batch)
        for key, value in counts.items():
            totals[key] += value
        if counts["retry"]:  # SMTP is down: the next sweep tries again
            return totals
    totals["digests"] = digests_send(now)
    return totals


# --- digests --------------------------------------------------------------------------------

DIGEST_HOUR = 7


def last_digest_moment(now: datetime.datetime, delivery: str) -> datetime.datetime:
    """The latest 07:00 (daily) or Monday 07:00 (weekly) in the secretariat's time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(now, tz)
    day = local.date()
    if delivery == NotificationDelivery.WEEKLY:
        day -= datetime.timedelta(days=day.weekday())
    moment = datetime.datetime.combine(day, datetime.time(DIGEST_HOUR), tzinfo=tz)
    if moment > local:
        moment -= datetime.timedelta(days=7 if delivery == NotificationDelivery.WEEKLY else 1)
    return moment


def digests_send(now: datetime.datetime) -> int:
    """One email per person whose digest is due, with all their waiting reminders."""
    waiting = (
        Person.objects.exclude(notification_delivery=NotificationDelivery.IMMEDIATE)
        .filter(Exists(Reminder.objects.filter(_claimable(now), recipient=OuterRef("pk"))))
        .select_related("user")
    )
    sent = 0
    for person in waiting:
        moment = last_digest_moment(now, person.notification_delivery)
        if person.last_digest_at is None:  # just chose digests: the first comes at the next one
            Person.objects.filter(pk=person.pk, last_digest_at=None).update(last_digest_at=moment)
            continue
        if person.last_digest_at >= moment:
            continue
        # Claim the person's digest: only one sweep moves last_digest_at from its old value.
        if not Person.objects.filter(pk=person.pk, last_digest_at=person.last_digest_at).update(
            last_digest_at=now
        ):
            continue
        token, reminders = reminders_claim(now, limit=1000, recipient=person)
        if reminders and _digest_send(person, token, reminders):
            sent += 1
        elif reminders:  # SMTP failed: the digest waits for the next sweep
            Person.objects.filter(pk=person.pk).update(last_digest_at=person.last_digest_at)
    return sent


def _digest_send(person: Person, token: uuid.UUID, reminders: list[Reminder]) -> bool:
    mine = Reminder.objects.filter(claim_token=token, sent_at__isnull=True)
    entries = []
    for name in {r.kind for r in reminders}:
        kind = KINDS.get(name)
        objects = kind.objects([r.object_id for r in reminders if r.kind == name]) if kind else {}
        for reminder in (r for r in reminders if r.kind == name):
            obj = objects.get(reminder.object_id)
            reason = _why_dropped(kind, obj, reminder)
            if reason:
                mine.filter(pk=reminder.pk).update(dropped_at=timezone.now(), last_error=reason)
                continue
            entries.append((kind, obj, reminder))
    if not entries:
        return False
    if not _usable_address(person):
        mine.update(failed_at=timezone.now(), last_error=f"No usable address: {person.email!r}")
        return False
    message = digest_message(person, entries)
    if not claim_renew(mine):
        logger.warning("Digest for %s skipped: its claim was taken over.", person.pk)
        return False
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        mine.update(claimed_at=None, claim_token=None, last_error=str(error)[:1000])
        return False
    mine.update(sent_at=timezone.now(), last_error="")
    return True


def digest_message(person: Person, entries: list[tuple]) -> EmailMultiAlternatives:
    """One email for a person's (kind, object, reminder) entries: what needs their action
    first, each by its deadline; with the calendar parts their single messages would carry,
    so that people on digests get invitations, new dates and cancellations into their
    calendars too."""
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    with as_reader(person):
        items = [
            {
                "needs_action": kind.needs_action(reminder.milestone),
                "deadline": kind.deadline(obj),
                "when": kind.deadline_display(obj, reminder.milestone),
                "line": kind.subject(obj, reminder.milestone),
                "url": kind.url(obj),
                "attachments": kind.attachments(obj, reminder.milestone),
            }
            for kind, obj, reminder in entries
        ]
        items.sort(key=lambda i: (not i["needs_action"], i["deadline"] or far, i["line"]))
        context = {
            "person": person,
            "action": [i for i in items if i["needs_action"]],
            "info": [i for i in items if not i["needs_action"]],
            "site": settings.SITE_URL.rstrip("/"),
            "unsubscribe_url": unsubscribe_url(person, "*"),
        }
        subject = ngettext(
            "Alliance 8.7: %(count)d thing for you",
            "Alliance 8.7: %(count)d things for you",
            len(items),
        ) % {"count": len(items)}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("reminders/digest.txt", context),
            from_email=sender(),
            to=[person.email],
            headers=_list_headers(context["unsubscribe_url"]),
        )
        message.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    for item in items:  # in the order of the lines
        for part in item["attachments"]:
            message.attach(part)
    return message
