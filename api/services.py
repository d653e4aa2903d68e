"""Personal API tokens: the only way they are made and revoked, from Preferences (their owner)
or the admin (the secretariat)."""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from coordination.models import User

from .models import TokenName, token_name


class TokenError(Exception):
    """A refused token operation; the message is shown to the user."""


def token_create(*, user: User, name: str, lifetime: datetime.timedelta) -> tuple[AuthToken, str]:
    """A new token for `user`, and its key: the only time the key exists outside the client
    (knox keeps a digest). No more than TOKEN_LIMIT_PER_USER tokens in force at once."""
    name = name.strip()[: TokenName._meta.get_field("name").max_length]
    if not name:
        raise TokenError(_("Give the token a name."))
    if not datetime.timedelta(0) < lifetime <= knox_settings.TOKEN_TTL:  # whichever door asks
        raise TokenError(_("A token lives a year at most."))
    with transaction.atomic():
        # one request at a time per account, so two at once cannot both pass the limit
        User.objects.select_for_update().filter(pk=user.pk).first()
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        in_force = AuthToken.objects.filter(user=user).exclude(expiry__lte=timezone.now())
        if limit is not None and in_force.count() >= limit:
            raise TokenError(
                _("You already have %(count)d API tokens: revoke one before making another.")
                % {"count": limit}
            )
        token, key = AuthToken.objects.create(user=user, expiry=lifetime)
        TokenName.objects.create(token=token, name=name)
    return token, key


def token_revoke(*, token: AuthToken, by: User) -> None:
    """The token stops working at once. Its owner revokes it from Preferences, the secretariat
    any token from the admin."""
    if by.pk != token.user_id and not by.is_secretariat:
        raise TokenError(_("Only its owner or the secretariat may revoke a token."))
    AuthToken.objects.filter(digest=token.digest).delete()


@dataclasses.dataclass(frozen=True)
class TokenRow:
    """A token as Preferences lists it: never its digest."""

    name: str
    token_key: str
    created: datetime.datetime
    expiry: datetime.datetime | None
    has_expired: bool


def tokens_of(user: User) -> list[TokenRow]:
    """The user's tokens, newest first; an expired one until knox removes it."""
    now = timezone.now()
    return [
        TokenRow(
            name=token_name(token),
            token_key=token.token_key,
            created=token.created,
            expiry=token.expiry,
            has_expired=token.expiry is not None and token.expiry <= now,
        )
        for token in AuthToken.objects.filter(user=user)
        .select_related("api_name")
        .order_by("-created")
    ]
