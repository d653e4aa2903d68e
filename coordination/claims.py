"""Claims: how a row that stands for an email (models.ClaimedDelivery: a Reminder, an
OutboundEmail) is sent once, whichever process sends it.

A sender claims a batch of due rows with a token and the current time (row locks where the
database has them, and a conditional update everywhere), renews the claim just before each
message goes out, and marks the row sent as soon as it went out. A row whose claim was taken
over (older than CLAIM_TIMEOUT: its sender looked dead) is skipped, not sent. An SMTP failure
puts the row back with a growing delay; a refused address is given up and shown.
"""

import contextlib
import datetime
import logging
import smtplib
import uuid

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died: the row is claimed again.
CLAIM_TIMEOUT = datetime.timedelta(seconds=getattr(settings, "REMINDER_CLAIM_TIMEOUT", 600))
MAX_ATTEMPTS = 8
RETRY_DELAY = datetime.timedelta(minutes=1)


def claimable(now: datetime.datetime) -> Q:
    """Rows still to send, whose attempt is due and which no live sender holds."""
    return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def rows_claim(queryset, condition: Q, limit: int) -> uuid.UUID:
    """Claims up to `limit` rows of `queryset` that meet `condition`, for this sender alone;
    returns the claim's token (the rows are `queryset.filter(claim_token=token)`)."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            queryset.select_for_update(skip_locked=True)
            .filter(condition)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        # The same condition again: where row locks do not exist (SQLite), the update itself
        # decides which sender gets a row.
        queryset.filter(condition, pk__in=ids).update(
            claimed_at=timezone.now(), claim_token=token, attempts=F("attempts") + 1
        )
    return token


def claim_renew(mine) -> bool:
    """Renews the claim just before its message goes out; False if another sender took it."""
    return bool(mine.update(claimed_at=timezone.now()))


def message_deliver(mine, message, *, attempts: int) -> str:
    """Sends one claimed row's message: "sent", "failed" (refused, given up) or "lost" (the
    claim was taken over: not sent). An SMTP failure puts the row back, with a delay of 2, 4,
    8... minutes, and is raised: the rest of the batch waits for the next run."""
    if not claim_renew(mine):
        return "lost"
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        mine.update(failed_at=timezone.now(), last_error=f"Refused: {error.recipients}")
        return "failed"
    except (smtplib.SMTPException, OSError) as error:
        mine.update(
            claimed_at=None,
            claim_token=None,
            next_attempt_at=timezone.now() + RETRY_DELAY * 2 ** min(attempts, 10),
            last_error=str(error)[:1000],
            failed_at=timezone.now() if attempts >= MAX_ATTEMPTS else None,
        )
        raise
    mine.update(sent_at=timezone.now(), last_error="")
    return "sent"


def batch_deliver(queryset, token: uuid.UUID, rows, deliver_one, counts: dict) -> bool:
    """Sends a claimed batch over one SMTP connection, `deliver_one(row, connection)` for each
    row. If the server fails, what is left of the batch is put back for the next run (counted
    as "retry") and False is returned."""
    connection = get_connection()
    try:
        connection.open()
        for row in rows:
            deliver_one(row, connection)
    except (smtplib.SMTPException, OSError) as error:  # the server went away mid-batch
        logger.warning("SMTP failed, the rest of the batch waits for the next run: %s", error)
        counts["retry"] += queryset.filter(
            claim_token=token, sent_at__isnull=True, failed_at__isnull=True
        ).update(claimed_at=None, claim_token=None, next_attempt_at=timezone.now() + RETRY_DELAY)
        return False
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return True
