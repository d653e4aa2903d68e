"""Email backends for tests: one that fails like a broken SMTP server, one that is slow."""

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Refuses to send while `failing` is set, then delivers to mail.outbox like locmem."""

    failing = True

    def send_messages(self, messages):
        if FlakyBackend.failing:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    """Refuses one address, as a server does for a mailbox that does not exist."""

    refused = "bounce@example.org"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"No such user")})
        return super().send_messages(messages)


class SlowFileBackend(BaseEmailBackend):
    """One file per message in TEST_MAIL_DIR, slowly: lets two sweeps overlap in time."""

    def send_messages(self, messages):
        folder = Path(os.environ["TEST_MAIL_DIR"])
        for message in messages:
            time.sleep(float(os.environ.get("TEST_MAIL_DELAY", "0.01")))
            (folder / f"{uuid.uuid4()}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
