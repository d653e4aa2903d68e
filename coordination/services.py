"""Operations that change coordination state. The site, the admin and the demo all call these."""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .history import save_with_history
from .models import (
    ActionItem,
    ActionItemStatusChange,
    Group,
    Membership,
    Organisation,
    Person,
    SubmissionStatus,
    User,
)
from .outbox import email_queue
from .public_forms import public_submission_save
from .selectors import secretariat_users


class ActionItemError(Exception):
    """A refused change to an action item; the message is shown to the user, next to `field`
    when a form's field caused it."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def action_item_status_check(*, action_item: ActionItem, status: str, note: str) -> None:
    """Refuses an unknown status, the current one (a double submit), and “done” without a
    note: the owners who did not mark it read there what was done."""
    if status not in ActionItem.Status.values:
        raise ActionItemError(_("Choose one of the listed statuses."), field="status")
    if action_item.status == status:
        raise ActionItemError(
            _("This action item is already “%(status)s”.")
            % {"status": action_item.get_status_display()},
            field="status",
        )
    if status == ActionItem.Status.DONE and not note.strip():
        raise ActionItemError(
            _("Say in a few words what was done: everyone who owns the item reads it."),
            field="note",
        )


def action_item_set_status(
    *, action_item: ActionItem, status: str, by: User, note: str = ""
) -> ActionItem:
    """Changes the status and records who and when, so the item's history can be shown.

    Who may change it is the caller's check (selectors.action_items_status_changeable_by);
    the admin's actions are the secretariat's."""
    note = (note or "").strip()
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=action_item.pk)
        action_item_status_check(action_item=item, status=status, note=note)
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
        if status == ActionItem.Status.DONE:
            # “two weeks after receipt of the revised draft”: the items waiting for this one
            # start their clock the day it is done, whichever door marked it.
            for follower in item.following_action_items.filter(triggered_at__isnull=True):
                follower.trigger_action = item  # done, as of now
                action_item_follow(action_item=follower, by=by)
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


def action_item_follow(*, action_item: ActionItem, by: User | None = None) -> ActionItem:
    """An item linked to an action that is already done starts its clock from the day that
    action was done: whichever door made the link, the date is never left unset."""
    awaited = action_item.trigger_action
    if (
        awaited is None
        or awaited.status != ActionItem.Status.DONE
        or action_item.triggered_at is not None
        or not action_item.is_relative
    ):
        return action_item
    return action_item_record_trigger(
        action_item=action_item, at=awaited.status_changed_at or timezone.now(), by=by
    )


class InvitationError(Exception):
    """A refused invitation; the message is shown next to the field it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def person_email_check(email: str) -> None:
    """One address, one person, one account: the invitation's account is found by its address,
    so a second person with it would take over the first one's account."""
    person = Person.objects.filter(email__iexact=email).first()
    if person is not None:
        raise InvitationError(
            _("%(person)s already has this address: invite them from the people list.")
            % {"person": person},
            field="email",
        )
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError(_("An account already uses this address."), field="email")


def memberships_check(memberships: list[tuple[Group, str]]) -> None:
    """A person invited into no group would find an empty dashboard."""
    if not memberships:
        raise InvitationError(
            _("Choose a role in at least one group: the groups decide what the person sees.")
        )


def membership_add(
    *, person: Person, group: Group, role: str, by: User | None = None
) -> Membership:
    """The constituency starts as the organisation's kind (both use the same list of
    constituencies); the admin can change it."""
    membership = Membership(
        person=person,
        group=group,
        role=role,
        constituency=person.organisation.kind if person.organisation else "",
    )
    membership.full_clean()
    membership._history_user = by
    membership.save()
    return membership


def person_create_and_invite(
    *,
    full_name: str,
    email: str,
    organisation: Organisation | None,
    memberships: Iterable[tuple[Group, str]],
    language: str,
    position: str = "",
    invited_by: User,
) -> Person:
    """The secretariat's “Invite a person”: the person, their groups and the invitation, all
    or nothing. At least one group, so that the new member's dashboard shows them something."""
    memberships = list(memberships)
    memberships_check(memberships)
    email = email.strip().lower()  # as the account stores it
    with transaction.atomic():
        person_email_check(email)
        person = Person(
            full_name=full_name.strip(),
            email=email,
            organisation=organisation,
            position=position.strip(),
        )
        person.full_clean()
        person._history_user = invited_by
        try:
            person.save()
        except IntegrityError as error:  # the same address, saved meanwhile by another request
            raise InvitationError(
                _("This address was given to someone else a moment ago."), field="email"
            ) from error
        for group, role in memberships:
            membership_add(person=person, group=group, role=role, by=invited_by)
        person_invite(person=person, invited_by=invited_by, language=language)
    return person


def person_invite(
    *, person: Person, invited_by: User | None = None, language: str | None = None
) -> User:
    """Gives a person an account and emails a one-time link to choose a password.

    The link is Django's password-reset token: it stops working once used (the password
    changes) and after PASSWORD_RESET_TIMEOUT. `language` is the new account's (an existing
    account keeps its own); the email is written in the account's language.
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
            user = User.objects.create_user(
                email=person.email,
                first_name=first,
                last_name=last,
                language=language or settings.LANGUAGE_CODE,
            )
        person.user = user
        person.invited_at = timezone.now()
        save_with_history(person, ["user", "invited_at"], by=invited_by)
        # Recorded with the account: no account without its invitation, nor the reverse.
        path = reverse(
            "invitation_accept",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        email_queue(
            kind="invitation",
            to=[user.email],
            subject=gettext_lazy("Your invitation to the Alliance 8.7 coordination site"),
            template="registration/invitation_email",
            context={
                "person": person,
                "link": settings.SITE_URL.rstrip("/") + path,
                "invited_by": invited_by,
                "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            },
            language=user.language,
        )
    return user


def user_language_set(*, user, language: str) -> None:
    """The account's language: its pages (on every device) and its emails follow it. A
    language the site does not offer is ignored."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def calendar_key_rotate(*, person: Person) -> None:
    """A new secret calendar address; the old one stops working at once (a shared or leaked
    address). The key is not part of the person's history, so no history row is written."""
    person.calendar_key = uuid.uuid4()
    Person.objects.filter(pk=person.pk).update(calendar_key=person.calendar_key)


def public_submission_receive(*, form, ip_address: str | None, notice):
    """Stores what a public form received (once per form; spam too, marked) and, for a new
    one that is not spam, the sender's confirmation and the secretariat's notice with it: the
    record and its emails, or neither. `notice(submission)` gives the emails' particulars
    (public_submission_notify's other arguments). Returns (submission, created)."""
    with transaction.atomic():
        submission, created = public_submission_save(form=form, ip_address=ip_address)
        if created and submission.status != SubmissionStatus.SPAM:
            public_submission_notify(submission=submission, **notice(submission))
    return submission, created


def public_submission_notify(
    *,
    submission,
    confirmation_template: str,
    subject,
    secretariat_subject,
    triage_path: str,
) -> None:
    """The sender's confirmation, in the sender's language, and the secretariat's notice of
    something to triage, in each staff member's own language (the shared mailbox gets the
    site's); both recorded in the outbox with the submission. A subject is text, lazy text or
    a function of no arguments that gives it in the active language (one naming a country)."""
    site = settings.SITE_URL.rstrip("/")
    context = {"submission": submission, "triage_url": site + triage_path}
    email_queue(
        kind="confirmation",
        to=[submission.email],
        subject=subject,
        template=confirmation_template,
        context=context,
        language=get_language(),
    )
    by_language: dict[str, list[str]] = {}
    for email, language in secretariat_users().exclude(email="").values_list("email", "language"):
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    if settings.SECRETARIAT_EMAIL:
        by_language.setdefault(settings.LANGUAGE_CODE, []).append(settings.SECRETARIAT_EMAIL)
    for language, recipients in sorted(by_language.items()):
        email_queue(
            kind="staff_notice",
            to=recipients,
            subject=secretariat_subject,
            template="coordination/email/new_submission",
            context=context,
            language=language,
        )
