"""Who may see what: one function per read rule, so views, reminders and exports share it.

Meetings, documents, consultations and action items have their rule as a `visible_to(user)`
queryset on the model; the rules here are the ones that span objects or apps. `pathfinders`
and `actiongroups` call them with their own querysets (this module imports neither).
"""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from .models import SECRETARIAT_PERMISSION, User


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
