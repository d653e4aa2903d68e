from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .checks import DEMO_EMAIL_DOMAIN


class EmailBackend(ModelBackend):
    """Django's backend, except that the demo's accounts never sign in when DEBUG is off."""

    def user_can_authenticate(self, user):
        if not settings.DEBUG and user.email.endswith("@" + DEMO_EMAIL_DOMAIN):
            return False
        return super().user_can_authenticate(user)
