"""Personal API tokens: the only way they are made and revoked, from Preferences (their owner)
or the admin (the secretariat)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.settings import knox_settings

from coordination.models import User

from .models import ApiToken


class TokenError(Exception):
    """A refused token operation; the message is shown to the user."""


def token_create(*, user: User, name: str, lifetime: datetime.timedelta) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key: the only time the key exists outside the client
    (the database keeps a digest). No more than TOKEN_LIMIT_PER_USER tokens in force at once."""
    with transaction.atomic():
        # one request at a time per account, so two at once cannot both pass the limit
        User.objects.select_for_update().filter(pk=user.pk).first()
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and _in_force(user).count() >= limit:
            raise TokenError(
                _("You already have %(count)d API tokens: revoke one before making another.")
                % {"count": limit}
            )
        name = name.strip()[: ApiToken._meta.get_field("name").max_length]
        if not name:
            raise TokenError(_("Give the token a name."))
        return ApiToken.objects.create(user=user, expiry=lifetime, name=name)


def token_revoke(*, token: ApiToken, by: User) -> None:
    """The token stops working at once. Its owner revokes it from Preferences, the secretariat
    any token from the admin."""
    if by.pk != token.user_id and not by.is_secretariat:
        raise TokenError(_("Only its owner or the secretariat may revoke a token."))
    ApiToken.objects.filter(digest=token.digest).delete()


def tokens_of(user: User):
    """The user's tokens for Preferences, newest first; expired ones until knox removes them."""
    return ApiToken.objects.filter(user=user).order_by("-created")


def _in_force(user: User):
    return ApiToken.objects.filter(user=user).exclude(expiry__lte=timezone.now())
