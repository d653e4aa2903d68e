"""The outbox: every email that is not a reminder goes through here.

A confirmation, a staff notice, an invitation, a password reset or an error report is recorded
(OutboundEmail) in the transaction that caused it, and nothing is sent inside the request.
After the commit a Celery task is queued to send it at once; if the broker is down, the next
sweep sends it. Sending uses the reminders' claims (coordination.claims): once each, retried
with a growing delay while the mail server is down, given up and shown when refused.
"""

import datetime
import logging
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from .claims import batch_deliver, claimable, message_deliver, rows_claim
from .models import OutboundEmail
from .text import one_line

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
AUTO_SUBMITTED = {"Auto-Submitted": "auto-generated"}  # RFC 3834: no out-of-office replies
SENDER_NAME = gettext_noop("Alliance 8.7 Secretariat")  # DEFAULT_FROM_EMAIL's name by default


def sender() -> str:
    """DEFAULT_FROM_EMAIL with its name in the active language (“Secrétariat de l’Alliance
    8.7”) when the catalogue has it; a name configured otherwise is left as it is."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((gettext(name), address)) if name else address


def email_queue(*, kind: str, to, subject, template: str, context: dict, language=None):
    """Renders the subject (text, lazy text, or a function giving it in the active language),
    `template`.txt and `template`.html in the reader's language and records the message; it is
    sent after the transaction commits."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site": settings.SITE_URL.rstrip("/"), **context}
        return email_record(
            kind=kind,
            to=to,
            from_email=sender(),
            subject=subject() if callable(subject) else str(subject),
            text=render_to_string(template + ".txt", context),
            html=render_to_string(template + ".html", context),
        )


def email_record(
    *, kind: str, to, subject: str, text: str, html: str = "", from_email: str = ""
) -> OutboundEmail:
    """Records a message as it will go out. The subject becomes one line whatever was typed
    into it (a line break in a header is an injection, and Django would refuse the message).
    The sender is written in the reader's language (sender()) when the message is recorded."""
    email = OutboundEmail.objects.create(
        kind=kind,
        to=sorted({address for address in to if address}),
        from_email=from_email,
        subject=one_line(subject),
        text=text,
        html=html or render_to_string("email/plain.html", {"text": text}),
    )
    transaction.on_commit(outbox_wake)
    return email


def outbox_wake() -> None:
    """Asks a worker to send the outbox now. If the broker cannot be reached the page does not
    fail and nothing is lost: the next sweep sends what waits."""
    from .tasks import send_outbox

    try:
        send_outbox.apply_async(retry=False)
    except Exception:  # kombu's OperationalError, a refused or timed-out connection...
        logger.warning("The outbox task could not be queued; the next sweep sends the mail.")


def outbox_flush(now: datetime.datetime | None = None, *, limit: int = BATCH_SIZE) -> dict:
    """Sends what waits in the outbox, batch after batch, until nothing is left to claim or the
    mail server fails (then the rest waits for the next run)."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "lost": 0}
    while True:
        token = rows_claim(OutboundEmail.objects.all(), claimable(now), limit)
        batch = list(
            OutboundEmail.objects.filter(claim_token=token, sent_at__isnull=True).order_by(
                "next_attempt_at", "pk"
            )
        )  # in the order they were recorded
        if not batch or not _batch_send(token, batch, counts):
            return counts


def _batch_send(token, batch: list[OutboundEmail], counts: dict) -> bool:
    def deliver_one(email, connection):
        mine = OutboundEmail.objects.filter(pk=email.pk, claim_token=token, sent_at=None)
        counts[message_deliver(mine, _message(email, connection), attempts=email.attempts)] += 1

    return batch_deliver(OutboundEmail.objects.all(), token, batch, deliver_one, counts)


def _message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email or None,  # recorded before there was one: the setting's
        to=email.to,
        headers=AUTO_SUBMITTED,
        connection=connection,
    )
    message.attach_alternative(email.html, "text/html")
    return message
