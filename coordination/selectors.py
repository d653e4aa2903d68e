"""Who may see what: one function per read rule, so views, reminders and exports share it.

Meetings, documents, consultations and action items have their rule as a `visible_to(user)`
queryset on the model; the rules here are the ones that span objects or apps. `pathfinders`
and `actiongroups` call them with their own querysets (this module imports neither).
"""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import (
    SECRETARIAT_PERMISSION,
    Annex,
    Event,
    Group,
    Meeting,
    Membership,
    User,
    user_group_ids,
)


def secretariat_users() -> QuerySet[User]:
    """The accounts `User.is_secretariat` is true for: active, holding the permission directly,
    through a group, or as superusers. Staff status plays no part."""
    app_label, codename = SECRETARIAT_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
    )


def events_visible_to(user) -> QuerySet[Event]:
    """Events told to one of the user's groups, and those told to no group in particular (for
    every member). An account without a membership sees none; the secretariat sees all."""
    if user.is_secretariat:
        return Event.objects.all()
    if not user.has_membership:
        return Event.objects.none()
    told = Event.notify_groups.through.objects.filter(event_id=OuterRef("pk"))
    return Event.objects.filter(
        Exists(told.filter(group_id__in=user_group_ids(user))) | ~Exists(told)
    )


def annexes_visible_to(user) -> QuerySet[Annex]:
    """An annex, even its title, is seen by whoever may see its meeting."""
    return Annex.objects.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))


def pathfinders_visible_to(user, countries: QuerySet) -> QuerySet:
    """Pathfinder countries (a queryset of them) on the members' pages: members read those the
    secretariat marked public, the secretariat the whole pipeline, anyone else none."""
    if user.is_secretariat:
        return countries
    if not user.has_membership:
        return countries.none()
    return countries.filter(is_public=True)


def sees_pipeline_internals(user) -> bool:
    """The names and contacts of a country's focal point and Resident Coordinator, the
    secretariat's notes and who moved a country along: for the secretariat only."""
    return user.is_secretariat


def group_members_visible_to(user, group: Group) -> QuerySet[Membership]:
    """A group's member list is read by its members and the secretariat; anyone else gets an
    empty list (the group's chairs and description are shown to every member).

    For anyone but the secretariat the list is empty unless the user is on it, so a non-empty
    list also says that the user belongs to the group."""
    members = Membership.objects.filter(group=group)
    if user.is_secretariat:
        return members
    return members.filter(Exists(Membership.objects.filter(group=group, person__user_id=user.pk)))
