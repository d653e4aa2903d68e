"""Errors reach a person: Sentry, when SENTRY_DSN is set (settings call `sentry_init`).

The site's errors (DjangoIntegration) and the Celery tasks' (CeleryIntegration) are sent without
personal data: no user, no IP address, no cookies, no request body (the public forms carry
names and addresses). Stack traces keep their local variables, with Sentry's scrubbing of
passwords, tokens and keys.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def sentry_init(*, dsn: str, environment: str = "", release: str = "", transport=None) -> bool:
    """Without a DSN nothing is set up and nothing is sent; returns whether Sentry is on."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # send_default_pii is left unset, which is off: sentry-sdk 2.75 deprecates passing it
        # (for its data_collection option), and the test checks that no user is sent.
        max_request_body_size="never",
        environment=environment or None,  # None: Sentry's own default, "production"
        release=release or None,
        transport=transport,
    )
    return True
