"""Read rules that more than one place needs, each written once: who may see what, who owns
an action item, who has responded to a consultation. Views, reminders, exports and the admin
call these functions; a rule written twice drifts.

Meetings, documents, consultations and action items have their visibility rule as a
`visible_to(user)` queryset on the model; the rules here are the ones that span objects or apps.
`pathfinders` and `actiongroups` call them with their own querysets (this module imports
neither).
"""

import dataclasses
import functools
import operator
from collections import defaultdict

from django.contrib.auth.models import Permission
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .models import (
    SECRETARIAT_PERMISSION,
    ActionItem,
    Annex,
    Comment,
    Consultation,
    Event,
    Group,
    Meeting,
    Membership,
    NoCommentStatement,
    Person,
    ResponseState,
    User,
    user_group_ids,
)

# --- who may see what -----------------------------------------------------------------------


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


def events_listed(user, *, today) -> tuple[QuerySet[Event], QuerySet[Event]]:
    """The list of events, for the page and its exports: those the user may see, the upcoming
    soonest first, then the past latest first, undated last in each; with the groups they are
    told to."""
    events = events_visible_to(user).prefetch_related("notify_groups")
    upcoming = events.upcoming(today).by_date()
    past = events.exclude(pk__in=upcoming.values("pk")).by_date(latest_first=True)
    return upcoming, past


def meetings_listed(user, *, group: Group | None = None) -> QuerySet[Meeting]:
    """The list of meetings (of one group, or all), for the pages and their exports: those the
    user may see, by group, the latest first."""
    meetings = Meeting.objects.visible_to(user).select_related("group")
    if group is not None:
        meetings = meetings.filter(group=group)
    return meetings.order_by("group__name", "-number")


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


def is_chair(user, group: Group) -> bool:
    """Chairs and co-chairs of a group (Membership.CHAIR_ROLES) run it from the site."""
    return Membership.objects.filter(
        group=group, person__user_id=user.pk, role__in=Membership.CHAIR_ROLES
    ).exists()


# --- who owns an action item ------------------------------------------------------------------
# The rule: the people it names; the members of the groups it names; and the people with an
# account in the organisations it names. The SQL form (for one user's lists) and the batch form
# (for the reminders) state the same rule; a test holds them together.


def action_items_owned_by(items, user):
    """The items of `items` that `user` owns."""
    return items.filter(action_item_owned_condition(user))


def action_item_owned_condition(user) -> Q:
    """The same rule as a condition on the item's row, to combine with others (visibility)."""
    return functools.reduce(operator.or_, _owning_conditions(user), Q(pk__in=[]))


def action_items_owned_first_due(items, user, *, limit: int) -> list[ActionItem]:
    """The first `limit` items of `items` that `user` owns, soonest due first, undated last.

    Two queries, each stopping at `limit`: the items that name the user or their organisation,
    read from their few ids, and their groups' items, read by walking the open items by due
    date (the index action_item_open_due). Joined by OR in one query, PostgreSQL reads all the
    100,000 items a group owns before it can sort them (0.8 s against 2 ms)."""
    first = set()
    for condition in _owning_conditions(user):
        # only the keys: SQLite joins what select_related asks for before it sorts
        first.update(
            items.filter(condition)
            .order_by(*ActionItem.DUE_ORDER)
            .values_list("due_on", "pk")[:limit]
        )
    keys = sorted(first, key=lambda key: ActionItem.due_sort_key(*key))
    return items.in_due_order([pk for _due_on, pk in keys[:limit]])


def _owning_conditions(user) -> list[Q]:
    """The ways of owning an item, for this user: it names them or their organisation; or one
    of their groups (only the ways the user has)."""
    ownership = user.ownership if user.is_authenticated else None
    if ownership is None or ownership.person_id is None:
        return []
    conditions = [_naming_condition(ownership)]
    if ownership.group_ids:
        conditions.append(
            Q(Exists(ActionItem.owner_groups.through.objects.filter(
                actionitem_id=OuterRef("pk"), group_id__in=ownership.group_ids
            )))
        )  # fmt: skip
    return conditions


def _naming_condition(ownership) -> Q:
    """The item names the user, or the user's organisation, among its owners: a few items each,
    so the databases start from their ids."""
    people = ActionItem.owner_people.through.objects.filter(person_id=ownership.person_id)
    if ownership.organisation_id is None:
        return Q(pk__in=people.values("actionitem_id"))
    organisation = ActionItem.owner_organisations.through.objects.filter(
        organisation_id=ownership.organisation_id
    )
    return Q(pk__in=people.values("actionitem_id").union(organisation.values("actionitem_id")))


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


# --- who changes an action item's status ---------------------------------------------------
# The rule: the secretariat; the people the item names and the people with an account in the
# organisations it names; and the chairs and co-chairs of the groups it names. Belonging to an
# owning group is not enough: any one member would mark the group's item done for everyone.

STATUS_CHANGING_ROLES = (Membership.Role.CHAIR, Membership.Role.CO_CHAIR)


def action_items_status_changeable_by(items, user):
    """The items of `items` whose status `user` may change."""
    if not user.is_authenticated:
        return items.none()
    if user.is_secretariat:
        return items
    if user.ownership.person_id is None:
        return items.none()
    chaired = Membership.objects.filter(
        person_id=user.ownership.person_id, role__in=STATUS_CHANGING_ROLES
    ).values("group_id")
    return items.filter(
        _naming_condition(user.ownership)
        | Exists(
            ActionItem.owner_groups.through.objects.filter(
                actionitem_id=OuterRef("pk"), group_id__in=chaired
            )
        )
    )


def may_change_action_item_status(user, item: ActionItem) -> bool:
    """The same rule for one item: the status form is shown, and accepted, only if true."""
    return action_items_status_changeable_by(ActionItem.objects.filter(pk=item.pk), user).exists()


# --- who has responded to a consultation ----------------------------------------------------
# The rule: a member of the audience has responded once they have a comment that is not
# withdrawn, or have said that they have finished (“I have no comments” when they have none).


@dataclasses.dataclass(frozen=True)
class Response:
    """A member's response to one consultation: their current comments, and whether they said
    they have finished."""

    comments: int = 0
    finished: bool = False

    @property
    def state(self) -> ResponseState:
        return ResponseState.of(comments=self.comments, finished=self.finished)

    @property
    def has_responded(self) -> bool:
        return self.state != ResponseState.NOT_YET


def consultation_responses(consultation_ids, person_ids=None) -> dict[tuple[int, int], Response]:
    """(consultation id, person id) → the response of each person who has responded; anyone
    absent has not (Response()). Two queries, whatever the number of comments."""
    comments = Comment.objects.filter(
        consultation_id__in=consultation_ids, withdrawn_at__isnull=True
    )
    stated = NoCommentStatement.objects.filter(consultation_id__in=consultation_ids)
    if person_ids is not None:
        comments = comments.filter(author_id__in=person_ids)
        stated = stated.filter(person_id__in=person_ids)
    counts = {
        (consultation_id, author_id): count
        for consultation_id, author_id, count in comments.order_by()
        .values("consultation_id", "author_id")
        .annotate(count=Count("pk"))
        .values_list("consultation_id", "author_id", "count")
    }
    finished = set(stated.values_list("consultation_id", "person_id"))
    return {
        key: Response(comments=counts.get(key, 0), finished=key in finished)
        for key in counts.keys() | finished
    }


def consultation_responders(consultation_ids) -> set[tuple[int, int]]:
    """(consultation id, person id) of everyone who has responded. Two queries."""
    return set(consultation_responses(consultation_ids))


def with_response_of(consultations: QuerySet[Consultation], user) -> QuerySet[Consultation]:
    """The consultations, each with the user's response in the same query (for lists such as
    the dashboard's): read it with `response_of`."""
    asked = consultation_respondents(
        Membership.objects.filter(group_id=OuterRef("audience_id"), person__user_id=user.pk)
    )
    comments = (
        Comment.objects.filter(
            consultation_id=OuterRef("pk"), author__user_id=user.pk, withdrawn_at__isnull=True
        )
        .order_by()
        .values("consultation_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    finished = NoCommentStatement.objects.filter(
        consultation_id=OuterRef("pk"), person__user_id=user.pk
    )
    return consultations.annotate(
        response_asked=Exists(asked),
        response_comments=Coalesce(Subquery(comments), 0),
        response_finished=Exists(finished),
    )


def respondents_with_responses(consultation: Consultation, state: str = "") -> QuerySet[Membership]:
    """The memberships asked to respond to the consultation, each with its holder's response in
    the same query (read it with `response_of`); only those whose response is in `state` (a
    ResponseState) if given. The secretariat's list pages through thousands of members."""
    comments = (
        _current_comments(consultation, OuterRef("person_id"))
        .order_by()
        .values("author_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    memberships = _respondents_answering(consultation)
    if state:
        memberships = memberships.filter(RESPONSE_STATES[state])
    return memberships.annotate(
        response_asked=Value(True),
        response_comments=Coalesce(Subquery(comments), 0),
        response_finished=F("has_finished"),
    )


def response_counts(consultation: Consultation) -> dict[str, int]:
    """ResponseState → how many of the members asked to respond are in it. One query."""
    counts = dict.fromkeys(ResponseState.values, 0)
    for commented, finished, count in (
        _respondents_answering(consultation)
        .order_by()
        .values_list("has_commented", "has_finished")
        .annotate(count=Count("pk"))
    ):
        counts[ResponseState.of(comments=int(commented), finished=finished)] += count
    return counts


# ResponseState.of as conditions on `_respondents_answering`, to list one state's members.
RESPONSE_STATES = {
    ResponseState.NOT_YET: Q(has_commented=False, has_finished=False),
    ResponseState.WORKING: Q(has_commented=True, has_finished=False),
    ResponseState.FINISHED: Q(has_commented=True, has_finished=True),
    ResponseState.NO_COMMENTS: Q(has_commented=False, has_finished=True),
}


def _respondents_answering(consultation: Consultation) -> QuerySet[Membership]:
    """The memberships asked to respond, each with whether its holder has a current comment
    and whether they said they have finished: one probe of an index each."""
    person = OuterRef("person_id")
    finished = NoCommentStatement.objects.filter(consultation_id=consultation.pk, person_id=person)
    return consultation_respondents(
        Membership.objects.filter(group_id=consultation.audience_id)
    ).annotate(
        has_commented=Exists(_current_comments(consultation, person)),
        has_finished=Exists(finished),
    )


def _current_comments(consultation: Consultation, author) -> QuerySet[Comment]:
    return Comment.objects.filter(
        consultation_id=consultation.pk, author_id=author, withdrawn_at__isnull=True
    )


def response_of(row) -> Response | None:
    """The user's response to a consultation from `with_response_of`, or a member's from
    `respondents_with_responses`; None if they are not asked to respond (not in the audience,
    or there as the secretariat)."""
    if not row.response_asked:
        return None
    return Response(comments=row.response_comments, finished=row.response_finished)


def has_responded(person: Person | None, consultation: Consultation) -> bool:
    """The same rule for one person (one query)."""
    if person is None:
        return False
    commented = Comment.objects.filter(
        consultation=consultation, author=person, withdrawn_at__isnull=True
    )
    stated = NoCommentStatement.objects.filter(consultation=consultation, person=person)
    return Person.objects.filter(Exists(commented) | Exists(stated), pk=person.pk).exists()


def audience_ids(group_ids, *, respondents: bool = False) -> dict[int, set[int]]:
    """Group id → ids of its members: a meeting's or a consultation's audience. One query.

    respondents: only those asked to respond to a consultation. The secretariat sitting in the
    group runs the consultation; it is not a member who has yet to respond.
    """
    memberships = Membership.objects.filter(group_id__in=group_ids)
    if respondents:
        memberships = consultation_respondents(memberships)
    members = defaultdict(set)
    for group_id, person_id in memberships.values_list("group_id", "person_id"):
        members[group_id].add(person_id)
    return dict(members)


def consultation_respondents(memberships):
    """The memberships whose holders are asked to respond (all but the secretariat's)."""
    return memberships.exclude(role=Membership.Role.SECRETARIAT)


def comments_already_made(consultation: Consultation, author) -> set[tuple[str, str]]:
    """(paragraph, text) of an author's comments in force: the same Word file uploaded twice
    offers its comments again, and those already made are not made twice."""
    return set(
        Comment.objects.filter(
            consultation=consultation, author=author, withdrawn_at__isnull=True
        ).values_list("paragraph", "text")
    )
