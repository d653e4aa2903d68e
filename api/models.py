"""Personal API tokens: knox's token (only a digest of the key is stored) with a name."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """The token model of knox (settings.KNOX_TOKEN_MODEL). The key is shown once, when the
    token is made (services.token_create); the database keeps its first characters
    (`token_key`, which names it on Preferences) and a SHA-512 digest of the whole."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.token_key}…)"

    def has_expired(self, at=None) -> bool:
        return self.expiry is not None and self.expiry <= (at or timezone.now())
