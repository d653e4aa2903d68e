"""Read rules that more than one place needs, each written once.

Views, reminders, exports and the admin call these functions; a rule written twice drifts.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef

from .models import (
    ActionItem,
    Comment,
    Consultation,
    Membership,
    NoCommentStatement,
    Person,
    user_group_ids,
)

# --- who owns an action item ------------------------------------------------------------------
# The rule: the people it names; the members of the groups it names; and the people with an
# account in the organisations it names. The SQL form (for one user's lists) and the batch form
# (for the reminders) state the same rule; a test holds them together.


def action_items_owned_by(items, user):
    """The items of `items` that `user` owns."""
    person = Person.objects.filter(user_id=user.pk)
    return items.filter(
        Exists(ActionItem.owner_people.through.objects.filter(
            actionitem_id=OuterRef("pk"), person__user_id=user.pk
        ))
        | Exists(ActionItem.owner_organisations.through.objects.filter(
            actionitem_id=OuterRef("pk"),
            organisation_id__in=person.exclude(organisation=None).values("organisation_id"),
        ))
        | Exists(ActionItem.owner_groups.through.objects.filter(
            actionitem_id=OuterRef("pk"), group_id__in=user_group_ids(user)
        ))
    )  # fmt: skip


def action_item_owners(item_ids) -> dict[int, set[int]]:
    """Item id → ids of the people who own it. Three queries, whatever the number of items."""
    owners = defaultdict(set)
    for item_id, person_id in ActionItem.owner_people.through.objects.filter(
        actionitem_id__in=item_ids
    ).values_list("actionitem_id", "person_id"):
        owners[item_id].add(person_id)
    for item_id, person_id in ActionItem.owner_groups.through.objects.filter(
        actionitem_id__in=item_ids
    ).values_list("actionitem_id", "group__memberships__person_id"):
        if person_id:
            owners[item_id].add(person_id)
    for item_id, person_id in ActionItem.owner_organisations.through.objects.filter(
        actionitem_id__in=item_ids, organisation__people__user__isnull=False
    ).values_list("actionitem_id", "organisation__people__id"):
        owners[item_id].add(person_id)
    return dict(owners)


# --- who has responded to a consultation ----------------------------------------------------
# The rule: a member of the audience has responded once they have a comment that is not
# withdrawn, or have stated that they have no comments.


def consultation_responders(consultation_ids) -> set[tuple[int, int]]:
    """(consultation id, person id) of everyone who has responded. Two queries."""
    commented = Comment.objects.filter(
        consultation_id__in=consultation_ids, withdrawn_at__isnull=True
    ).values_list("consultation_id", "author_id")
    stated = NoCommentStatement.objects.filter(consultation_id__in=consultation_ids).values_list(
        "consultation_id", "person_id"
    )
    return set(commented) | set(stated)


def has_responded(person: Person | None, consultation: Consultation) -> bool:
    return person is not None and (consultation.pk, person.pk) in consultation_responders(
        [consultation.pk]
    )


def audience_ids(group_ids) -> dict[int, set[int]]:
    """Group id → ids of its members: a consultation's or a meeting's audience. One query."""
    members = defaultdict(set)
    for group_id, person_id in Membership.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "person_id"
    ):
        members[group_id].add(person_id)
    return dict(members)
