"""System checks: the demo's accounts must never exist on a production (DEBUG off) site."""

from django.conf import settings
from django.core.checks import Error, register
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
