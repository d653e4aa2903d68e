"""Operations that change coordination state. The site, the admin and the demo all call these."""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from .history import save_with_history
from .models import ActionItem, ActionItemStatusChange, Person, User
from .selectors import secretariat_users
from .text import one_line


class ActionItemError(Exception):
    """A refused change to an action item; the message is shown to the user."""


def action_item_set_status(
    *, action_item: ActionItem, status: str, by: User, note: str = ""
) -> ActionItem:
    """Changes the status and records who and when, so the item's history can be shown."""
    if status not in ActionItem.Status.values:
        raise ActionItemError(_("Choose one of the listed statuses."))
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=action_item.pk)
        if item.status == status:
            raise ActionItemError(
                _("This action item is already “%(status)s”.")
                % {"status": item.get_status_display()}
            )
        now = timezone.now()
        ActionItemStatusChange.objects.create(
            action_item=item,
            from_status=item.status,
            to_status=status,
            changed_by=by,
            changed_at=now,
            note=note,
        )
        item.status = status
        item.status_changed_at = now
        item.status_changed_by = by
        save_with_history(item, ["status", "status_changed_at", "status_changed_by"], by=by)
    return item


def action_item_record_trigger(
    *, action_item: ActionItem, at: datetime.datetime | None = None, by: User | None = None
) -> ActionItem:
    """The trigger happened (e.g. the revised draft was shared): the due date is now fixed."""
    if not action_item.is_relative:
        raise ActionItemError(_("This action item has a fixed due date, not a trigger."))
    at = at or timezone.now()
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=action_item.pk)
        if item.triggered_at is not None:
            return item
        item.triggered_at = at
        item.due_on = item.due_date_from_trigger(at)
        save_with_history(item, ["triggered_at", "due_on"], by=by)
    return item


def person_invite(*, person: Person, invited_by: User | None = None) -> User:
    """Gives a person an account and emails a one-time link to choose a password.

    The link is Django's password-reset token: it stops working once used (the password
    changes) and after PASSWORD_RESET_TIMEOUT.
    """
    if not person.email:
        raise ValueError(_("%(person)s has no email address.") % {"person": person})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        user = person.user
        if user is None:
            user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            first, _sep, last = person.full_name.partition(" ")
            user = User.objects.create_user(email=person.email, first_name=first, last_name=last)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "person": person,
        "link": settings.SITE_URL.rstrip("/") + path,
        "invited_by": invited_by,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with override(user.language):
        send_mail(
            subject=_("Your invitation to the Alliance 8.7 coordination site"),
            message=render_to_string("registration/invitation_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    return user


def public_submission_notify(
    *,
    submission,
    confirmation_template: str,
    subject: str,
    secretariat_subject: str,
    triage_path: str,
) -> None:
    """The sender's confirmation, and the secretariat's notice of something to triage."""
    site = settings.SITE_URL.rstrip("/")
    context = {"submission": submission, "site": site, "triage_url": site + triage_path}
    send_mail(
        subject=one_line(subject),
        message=render_to_string(confirmation_template, context),
        from_email=None,
        recipient_list=[submission.email],
    )
    secretariat = list(secretariat_users().exclude(email="").values_list("email", flat=True))
    if settings.SECRETARIAT_EMAIL:
        secretariat.append(settings.SECRETARIAT_EMAIL)
    if secretariat:
        send_mail(
            subject=one_line(secretariat_subject),
            message=render_to_string("coordination/email/new_submission.txt", context),
            from_email=None,
            recipient_list=sorted(set(secretariat)),
        )
