"""System checks: the demo's accounts must never exist on a production (DEBUG off) site, and
the links in emails must be https there."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError

DEMO_EMAIL_DOMAIN = "demo.alliance87.invalid"


@register(deploy=True)  # production runs `check --deploy`; development keeps its demo
def demo_accounts_only_in_debug(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    from .models import User

    try:
        exists = User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).exists()
    except DatabaseError:  # no tables yet (before the first migrate)
        return []
    if exists:
        return [
            Error(
                "Demo accounts exist while DEBUG is off.",
                hint="Run `manage.py load_demo --remove-accounts` or delete the users @"
                + DEMO_EMAIL_DOMAIN,
                id="coordination.E001",
            )
        ]
    return []


@register(deploy=True)
def site_url_is_https(app_configs, **kwargs):
    """Every link in an email starts with SITE_URL: invitations, resets and one-click
    unsubscribes (RFC 8058 requires https for those)."""
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails would not use https.",
            hint="Set SITE_URL to the site's https address, e.g. https://coordination.alliance87.org",
            id="coordination.W001",
        )
    ]
