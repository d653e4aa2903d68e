"""How often the password-reset page may be used: the limits per account and per address, and
the records (PasswordResetRequest) they are counted on.

Without them, anyone could make the site send one person twenty reset emails, or try one
address after another to learn who has an account.
"""

import datetime
import enum
import unicodedata

from django.conf import settings
from django.utils import timezone

from .models import PasswordResetRequest

RESET_WINDOW = datetime.timedelta(hours=1)


class ResetLimit(enum.Enum):
    """The limit a reset request went beyond."""

    ACCOUNT = "account"  # PASSWORD_RESET_LIMIT_PER_ACCOUNT emails for this address this hour
    ADDRESS = "address"  # PASSWORD_RESET_LIMIT_PER_ADDRESS requests from this client this hour


def reset_email_key(email: str) -> str:
    """The email as Django matches it to an account (NFKC, case-folded), so that writing it in
    capitals does not start a new count."""
    return unicodedata.normalize("NFKC", email).casefold()


def password_reset_throttle(*, email: str, ip_address: str | None) -> ResetLimit | None:
    """Records a reset request and returns the limit it goes beyond, or None if it may go ahead.

    The row is committed before counting (no transaction), so every count sees all requests
    written before it, whichever process took them: two at the same moment may both be refused,
    never both let through past a limit. A refused request is not kept: a flood neither grows
    the table nor pushes its own wait further on.
    """
    now = timezone.now()
    since = now - RESET_WINDOW
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()  # no longer needed
    record = PasswordResetRequest.objects.create(
        email=reset_email_key(email), ip_address=ip_address, requested_at=now
    )
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    limit = None
    if ip_address and (
        recent.filter(ip_address=ip_address).count() > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    ):
        limit = ResetLimit.ADDRESS
    elif recent.filter(email=record.email).count() > settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT:
        limit = ResetLimit.ACCOUNT
    if limit:
        record.delete()
    return limit
