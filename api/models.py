"""Personal API tokens are knox's (knox.AuthToken: it stores a digest of the key and its first
characters, never the key); this app gives each a name."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class TokenName(models.Model):
    """What its owner calls a token (“Reporting spreadsheet”), shown on Preferences and in the
    admin. Goes with its token (services.token_revoke, and knox's removal of expired ones)."""

    token = models.OneToOneField(
        AuthToken,
        verbose_name=_("token"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="api_name",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("API token name")
        verbose_name_plural = _("API token names")

    def __str__(self):
        return self.name


def token_name(token: AuthToken) -> str:
    """The token's name; a token made by another door (a shell) has none."""
    try:
        return token.api_name.name
    except TokenName.DoesNotExist:
        return ""
