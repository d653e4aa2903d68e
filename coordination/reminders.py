"""Reminders: the one mechanism that sends each notification exactly once.

A *kind* says what is due (`due(now)`, a fixed number of queries) and how its email reads
(`message(...)`). A sweep then:

1. records what is due as Reminder rows; the unique key (kind, object, recipient, milestone)
   makes a second sweep, or two sweeps at once, record nothing new;
2. claims a batch of unsent rows (`select_for_update(skip_locked=True)` and a conditional
   update with a claim token, so two sweeps never claim the same row);
3. sends the batch over one SMTP connection, outside any transaction, marking each row sent
   as soon as it went out. An SMTP failure puts the row back with a growing delay; a refused
   address is recorded and given up; a claim left by a dead worker expires and is retried.

Exactly-once comes from the database, not from Celery: the Celery task only calls `sweep`.
"""

import contextlib
import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Person, Reminder

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 8
RETRY_DELAY = datetime.timedelta(minutes=1)
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

    def message(self, *, obj, milestone: str, person: Person) -> EmailMultiAlternatives:
        site = settings.SITE_URL.rstrip("/")
        context = {**self.context(obj, milestone), "person": person, "site": site}
        language = person.user.language if person.user_id else settings.LANGUAGE_CODE
        with translation.override(language):
            subject = self.subject(obj, milestone)
            text = render_to_string(self.template(milestone) + ".txt", context)
            html = render_to_string(self.template(milestone) + ".html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
        message.attach_alternative(html, "text/html")
        return message


KINDS: dict[str, ReminderKind] = {}


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
            for due in kind.due(now)
        ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        due += len(rows)
    return due


def reminders_claim(now: datetime.datetime, limit: int = BATCH_SIZE) -> tuple[uuid.UUID, list]:
    """Claims up to `limit` unsent reminders for this sweep alone."""
    token = uuid.uuid4()
    claimable = Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimable)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        # The same condition again: where row locks do not exist (SQLite), the update itself
        # decides which sweep gets a row.
        Reminder.objects.filter(claimable, pk__in=ids).update(
            claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
    claimed = list(
        Reminder.objects.filter(claim_token=token, sent_at__isnull=True).select_related(
            "recipient__user"
        )
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
    counts = {"sent": 0, "retry": 0, "failed": 0, "dropped": 0}
    objects = {}
    for name in {r.kind for r in reminders}:
        kind = KINDS.get(name)
        ids = [r.object_id for r in reminders if r.kind == name]
        objects[name] = kind.objects(ids) if kind else {}
    connection = get_connection()
    try:
        connection.open()
        for reminder in reminders:
            _send_one(reminder, token, objects, connection, counts)
    except (smtplib.SMTPException, OSError) as error:  # the server went away mid-batch
        logger.warning("SMTP failed, the rest of the batch waits for the next sweep: %s", error)
        counts["retry"] += Reminder.objects.filter(claim_token=token, sent_at__isnull=True).update(
            claimed_at=None, claim_token=None, next_attempt_at=timezone.now() + RETRY_DELAY
        )
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return counts


def _send_one(reminder, token, objects, connection, counts) -> None:
    mine = Reminder.objects.filter(pk=reminder.pk, claim_token=token, sent_at__isnull=True)
    kind = KINDS.get(reminder.kind)
    obj = objects.get(reminder.kind, {}).get(reminder.object_id)
    if kind is None or obj is None:
        logger.info("Reminder %s dropped: its %s no longer exists.", reminder.pk, reminder.kind)
        mine.update(failed_at=timezone.now(), last_error="The object no longer exists.")
        counts["dropped"] += 1
        return
    person = reminder.recipient
    if not _usable_address(person):
        mine.update(failed_at=timezone.now(), last_error=f"No usable address: {person.email!r}")
        counts["failed"] += 1
        return
    message = kind.message(obj=obj, milestone=reminder.milestone, person=person)
    message.connection = connection
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        mine.update(failed_at=timezone.now(), last_error=f"Refused: {error.recipients}")
        counts["failed"] += 1
        return
    except (smtplib.SMTPException, OSError) as error:
        # Backoff: 2, 4, 8... minutes after each failed attempt, then given up (and shown).
        delay = RETRY_DELAY * 2 ** min(reminder.attempts, 10)
        gave_up = reminder.attempts >= MAX_ATTEMPTS
        mine.update(
            claimed_at=None,
            claim_token=None,
            next_attempt_at=timezone.now() + delay,
            last_error=str(error)[:1000],
            failed_at=timezone.now() if gave_up else None,
        )
        raise
    mine.update(sent_at=timezone.now(), last_error="")
    counts["sent"] += 1


def sweep(now: datetime.datetime | None = None, *, limit: int = BATCH_SIZE) -> dict:
    """Records what is due, then sends batch after batch until nothing is left to claim."""
    now = now or timezone.now()
    totals = {"due": reminders_record(now), "sent": 0, "retry": 0, "failed": 0, "dropped": 0}
    while True:
        token, batch = reminders_claim(now, limit)
        if not batch:
            return totals
        counts = reminders_send(token, batch)
        for key, value in counts.items():
            totals[key] += value
        if counts["retry"]:  # SMTP is down: the next sweep tries again
            return totals
