"""The one way views fetch objects: each helper applies the user's permissions or raises 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from . import selectors
from .models import (
    ActionItem,
    Annex,
    Comment,
    Consultation,
    Decision,
    Document,
    DocumentVersion,
    Group,
    Meeting,
    Person,
)


def get_group_for_user(user, slug: str) -> Group:
    groups = Group.objects.all() if user.is_secretariat else Group.objects.of_user(user)
    return get_object_or_404(groups, slug=slug)


def get_meeting_for_user(user, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(user).select_related("group"), pk=pk)


def get_annex_for_user(user, meeting_pk: int, number: int) -> Annex:
    return get_object_or_404(
        selectors.annexes_visible_to(user).select_related("meeting"),
        meeting_id=meeting_pk,
        number=number,
    )


def get_document_for_user(user, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(user).select_related("owner_group"), pk=pk)


def get_version_for_user(user, document_pk: int, number: int) -> DocumentVersion:
    document = get_document_for_user(user, document_pk)
    return get_object_or_404(
        DocumentVersion.objects.with_consultations_close()
        .select_related("document__owner_group")
        .prefetch_related(
            Prefetch(
                "adopting_decisions",
                queryset=Decision.objects.select_related("meeting__group"),
            )
        ),
        document=document,
        number=number,
    )


def get_action_item_for_user(user, pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.visible_to(user)
        .select_related(
            "meeting__group",
            "agenda_item",
            "status_changed_by",
            "trigger_document",
            "trigger_action",
        )
        .with_illustrative_status()
        .prefetch_related(*ActionItem.owners_prefetch()),
        pk=pk,
    )


def get_action_item_for_status_change(user, pk: int) -> ActionItem:
    """An item the user sees (else 404) and may change the status of (else 403): see
    selectors.action_items_status_changeable_by."""
    item = get_action_item_for_user(user, pk)
    if not selectors.may_change_action_item_status(user, item):
        raise PermissionDenied
    return item


def get_consultation_for_user(user, pk: int) -> Consultation:
    """The audience and the secretariat; anyone else gets a 404."""
    return get_object_or_404(
        Consultation.objects.visible_to(user).select_related("version__document", "audience"),
        pk=pk,
    )


def get_own_comment(user, consultation: Consultation, pk: int) -> Comment:
    """A member's own comment in that consultation (404 for anyone else's)."""
    return get_object_or_404(
        Comment.objects.select_related("consultation__version__document", "author"),
        consultation=consultation,
        pk=pk,
        author__user_id=user.pk,
    )


def get_person_for_user(user, pk: int) -> Person:
    """People's records (addresses, memberships, invitations) are the secretariat's: anyone
    else gets a 403."""
    require_secretariat(user)
    return get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)


def require_secretariat(user) -> None:
    """The secretariat's permission (never staff status alone); anyone else gets a 403."""
    if not user.is_secretariat:
        raise PermissionDenied


def require_chair(user, group: Group) -> None:
    """What a group's chairs run from the site (an action group's work plan): its chairs and
    co-chairs and the secretariat; anyone else, its other members too, gets a 403."""
    if not (user.is_secretariat or selectors.is_chair(user, group)):
        raise PermissionDenied


def require_member(user) -> None:
    """The members' pages: a signed-in account without a membership gets a 403."""
    if not user.can_see_members_pages:
        raise PermissionDenied
