"""The site's error reports to ADMINS, through the outbox like every other email.

Its own module because the logging configuration loads it before the apps are ready.
"""

from django.conf import settings
from django.utils.log import AdminEmailHandler


class OutboxAdminEmailHandler(AdminEmailHandler):
    """Django's error report, recorded in the outbox instead of sent while the failed request
    waits. Only when the database itself cannot record it is it sent at once: that is the
    report that matters most."""

    def send_mail(self, subject, message, *args, **kwargs):
        from .outbox import email_record

        if not settings.ADMINS:
            return
        try:
            email_record(
                kind="error_report",
                to=[address for _name, address in settings.ADMINS],
                subject=settings.EMAIL_SUBJECT_PREFIX + subject,
                text=message,
            )
        except Exception:
            super().send_mail(subject, message, *args, **kwargs)
