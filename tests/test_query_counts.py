"""Every page runs a bounded number of SQL queries, the same with 10 rows as with 5,000."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actiongroups.models import ActionGroup, Activity
from coordination.models import (
    ActionItem,
    ActionItemStatusChange,
    AgendaItem,
    Attendance,
    Comment,
    Consultation,
    Decision,
    Document,
    DocumentVersion,
    Event,
    Group,
    Meeting,
    Membership,
    Organisation,
    Person,
    secretariat_group,
)
from pathfinders.models import NationalWorkshop, PathfinderCountry, StageChange
from tests import factories

pytestmark = pytest.mark.django_db

COUNTRIES = ["AL", "CL", "FJ", "MG", "MW", "MR", "MX", "MA", "NP", "NG", "LK", "TN", "UG", "VN",
             "PE", "BR", "AR", "IN", "KE", "GH", "SN", "CI", "ML", "EG", "JO", "LB", "PH", "ID",
             "TH", "KH", "BD", "PK", "ET", "TZ", "ZM", "ZW", "BO", "EC", "CO", "GT"]  # fmt: skip


def add_rows(*, gcg, user, n):
    """Adds n rows of every kind that the pages list (n meetings, 25n action items...)."""
    start = Meeting.objects.filter(group=gcg).count()
    meetings = Meeting.objects.bulk_create(
        Meeting(group=gcg, number=start + i + 1, city="Geneva", status="planned") for i in range(n)
    )
    target = meetings[0]
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Org {start}-{i}", acronym=f"O{start}{i}", kind="civil_society")
        for i in range(n)
    )
    people = Person.objects.bulk_create(
        Person(full_name=f"Person {start}-{i}", organisation=orgs[i]) for i in range(n)
    )
    Membership.objects.bulk_create(Membership(person=p, group=gcg) for p in people)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=target, order=i + 1, title=f"Item {i}", minutes="**Minutes**")
        for i in range(n)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=target, person=p, organisation=p.organisation) for p in people
    )
    Decision.objects.bulk_create(
        Decision(meeting=target, agenda_item=items[i], text=f"Decision {i}") for i in range(n)
    )
    actions = ActionItem.objects.bulk_create(
        ActionItem(
            meeting=meetings[i % n],
            agenda_item=items[i % n] if i % n == 0 else None,
            title=f"Action {start}-{i}",
            due_on=datetime.date(2018, 1, 1) + datetime.timedelta(days=i % 900),
        )
        for i in range(25 * n)
    )
    ActionItem.owner_groups.through.objects.bulk_create(
        ActionItem.owner_groups.through(actionitem=a, group=gcg) for a in actions
    )
    ActionItem.owner_people.through.objects.bulk_create(
        ActionItem.owner_people.through(actionitem=a, person=people[i % n])
        for i, a in enumerate(actions)
    )
    ActionItemStatusChange.objects.bulk_create(
        ActionItemStatusChange(
            action_item=actions[0], from_status="open", to_status="in_progress", changed_by=user
        )
        for _ in range(n)
    )
    documents = Document.objects.bulk_create(
        Document(title=f"Doc {start}-{i}", kind="report", owner_group=gcg) for i in range(n)
    )
    DocumentVersion.objects.bulk_create(
        DocumentVersion(document=d, number=v, text="Text") for d in documents for v in (1, 2, 3)
    )
    events = Event.objects.bulk_create(
        Event(title=f"Event {start}-{i}", starts_on=datetime.date(2030, 1, 1)) for i in range(n)
    )
    Event.notify_groups.through.objects.bulk_create(
        Event.notify_groups.through(event=e, group=gcg) for e in events
    )
    codes = COUNTRIES[: min(n, len(COUNTRIES))]
    for code in codes:
        country, created = PathfinderCountry.objects.get_or_create(
            country=code,
            defaults={"is_public": True},  # members read the public countries
        )
        NationalWorkshop.objects.create(country=country, tentative_period="2019")
        StageChange.objects.create(country=country, to_stage="interest", changed_by=user)
    for i in range(min(n, 20)):
        group = Group.objects.create(
            name=f"AG {start}-{i}",
            short_name=f"AG{start}{i}",
            slug=f"ag-{start}-{i}",
            kind="action_group",
        )
        ag = ActionGroup.objects.create(group=group)
        ag.chair_organisations.set(orgs[:3])
        Activity.objects.bulk_create(
            Activity(action_group=ag, order=j, kind="output", title=f"Output {j}") for j in range(5)
        )
        Membership.objects.bulk_create(Membership(person=p, group=group) for p in people[:10])
    first_document = Document.objects.filter(owner_group=gcg).order_by("pk").first()
    version = first_document.versions.get(number=3)
    if not version.text.startswith("Paragraph"):
        version.text = "\n\n".join(f"Paragraph {i} of the draft." for i in range(40))
        version.save()
    consultation, _ = Consultation.objects.get_or_create(
        version=version,
        audience=gcg,
        defaults={
            "opens_at": timezone.now(),
            "closes_at": timezone.now() + datetime.timedelta(days=14),
        },
    )
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation, author=people[i % n], paragraph=str(i % 40 + 1), text="x"
        )
        for i in range(5 * n)
    )
    return {
        "person": people[0],
        "meeting": target,
        "action": actions[0],
        "document": first_document,
        "consultation": consultation,
    }


def pages(first, staff):
    extra = {}
    if staff:
        extra = {
            "consultation manage": reverse("consultation_manage", args=[first["consultation"].pk]),
            "consultation manage, filtered": reverse(
                "consultation_manage", args=[first["consultation"].pk]
            )
            + "?paragraph=2&disposition=none&order=undisposed&state=not_yet&page=2",
            "new version": reverse("version_new", args=[first["document"].pk]),
            "invite a person": reverse("person_invite"),
            "invitation": reverse("person_invited", args=[first["person"].pk]),
        }
    return {
        **extra,
        "consultation": first["consultation"].get_absolute_url(),
        "consultation paragraph": first["consultation"].get_absolute_url() + "?paragraph=2",
        "diff": reverse("version_diff", args=[first["document"].pk]),
        "dashboard": reverse("dashboard"),
        "meetings": reverse("meeting_list"),
        "group meetings": reverse("group_meetings", args=["gcg"]),
        "meeting report": first["meeting"].get_absolute_url(),
        "action items": reverse("action_item_list"),
        "my overdue action items": reverse("action_item_list") + "?mine=on&overdue=on",
        "action item": first["action"].get_absolute_url(),
        "documents": reverse("document_list"),
        "document": first["document"].get_absolute_url(),
        "version": reverse("version_detail", args=[first["document"].pk, 3]),
        "events": reverse("event_list"),
        "pathfinders": reverse("pathfinder_list"),
        "pathfinder": reverse("pathfinder_detail", args=["AL"]),
        "public map": reverse("pathfinder_public"),
        "public country": reverse("pathfinder_public_detail", args=["AL"]),
        "search": reverse("search") + "?q=Geneva",
        "action groups": reverse("action_group_list"),
        "action group": ActionGroup.objects.order_by("pk").first().get_absolute_url(),
    }


# The most queries any page may run: session, user, the user's permissions (two queries, kept
# on the user object by Django for the rest of the request), whether they belong to a group
# (one, kept likewise), and the page's own few.
MAX_QUERIES = 16
# The dashboard reads the user's first open items in two queries that stop at 20 rows, then
# fetches those 20 (selectors.action_items_owned_first_due): three small queries instead of one
# that reads all 100,000 items a group owns (tests/test_query_plans.py); the secretariat's
# overdue list likewise picks its 20 before it reads them (ActionItemQuerySet.first_due).
DASHBOARD_ITEMS_QUERIES = 4


def measure(client, urls):
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["member", "superuser", "secretariat"])
def test_query_counts_do_not_grow_with_rows(client, gcg, role):
    superuser = role == "superuser"
    user = factories.UserFactory(is_staff=superuser, is_superuser=superuser)
    if role == "secretariat":
        user.groups.add(secretariat_group())
    me = factories.PersonFactory(user=user)
    factories.MembershipFactory(person=me, group=gcg)
    client.force_login(user)
    as_staff = role != "member"

    first = add_rows(gcg=gcg, user=user, n=4)
    small = measure(client, pages(first, as_staff))
    add_rows(gcg=gcg, user=user, n=200)  # 200 meetings, 5,000 action items, 600 versions...
    assert ActionItem.objects.count() > 5000
    large = measure(client, pages(first, as_staff))

    print({name: large[name] for name in large})
    assert large == small
    assert large.pop("dashboard") <= MAX_QUERIES + DASHBOARD_ITEMS_QUERIES
    assert max(large.values()) <= MAX_QUERIES, large
