"""Chairs run their group from the site: the dashboard shows each group they chair (meetings,
papers, consultations, the work plan) and they update its activities and work plan; the
group's other members read it and get a 403 on the pages that change it."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actiongroups import services
from actiongroups.models import ActionGroup, Activity
from coordination import consultations
from coordination.models import Meeting, Membership, Person
from tests import factories
from tests.admin_pages import change_page_data
from tests.test_query_counts import DASHBOARD_ITEMS_QUERIES, MAX_QUERIES

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime.datetime(2030, 3, 10, 9, 0, tzinfo=GENEVA)

# The chair's section of the dashboard: upcoming meetings, latest papers, consultations on
# them with the responses, and the work plan (two queries each for the responses and the
# action groups' panel), whatever the number of groups or rows.
CHAIR_SECTION_QUERIES = 8


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def supply_chains(db):
    group = factories.GroupFactory(
        slug="supply-chains", name="Supply Chain Action Group", short_name="Supply Chain AG"
    )
    action_group = ActionGroup.objects.create(group=group, summary="Works on supply chains.")
    for order, (title, status) in enumerate(
        [("G-20 supply chain report", "done"), ("Research on child labour", "underway")], 1
    ):
        Activity.objects.create(
            action_group=action_group, order=order, kind="output", title=title, status=status
        )
    return action_group


def member_of(group, email, role=Membership.Role.MEMBER):
    user = factories.UserFactory(email=email)
    factories.MembershipFactory(
        person__user=user, person__email=email, person__full_name=email, group=group, role=role
    )
    return user


@pytest.fixture
def chair(supply_chains):
    return member_of(supply_chains.group, "chair@example.org", Membership.Role.CHAIR)


@pytest.fixture
def ag_member(supply_chains):
    """In the group, not its chair."""
    return member_of(supply_chains.group, "ag-member@example.org")


def work_plan_url(action_group=None, slug="supply-chains"):
    return reverse("work_plan", args=[slug])


# --- the dashboard ----------------------------------------------------------------------------


def papers_with_consultations(group, audience_members):
    """A concept note whose consultation closed, and a work plan open for comments now."""
    closed = consultations.version_publish(
        document=factories.DocumentFactory(owner_group=group, title="Concept note"),
        text="1. Supply chains.",
        change_summary="",
        at=NOW - datetime.timedelta(days=60),
    )
    consultations.consultation_open(
        version=closed,
        audience=group,
        opens_at=NOW - datetime.timedelta(days=60),
        closes_at=datetime.datetime(2030, 1, 24, 23, 59, 59, tzinfo=GENEVA),
    )
    open_version = consultations.version_publish(
        document=factories.DocumentFactory(owner_group=group, title="Work plan 2030"),
        text="1. Research.\n\n2. Outreach.",
        change_summary="",
        at=NOW - datetime.timedelta(days=2),
    )
    running = consultations.consultation_open(
        version=open_version,
        audience=group,
        opens_at=NOW - datetime.timedelta(days=2),
        closes_at=datetime.datetime(2030, 3, 20, 17, 0, tzinfo=GENEVA),
    )
    consultations.comment_submit(
        consultation=running,
        author=Person.objects.get(user=audience_members[0]),
        paragraph="1",
        text="Add the G20.",
    )
    return running


def test_the_chair_sees_their_group_on_the_dashboard(client, supply_chains, chair, ag_member):
    group = supply_chains.group
    meeting = Meeting.objects.create(
        group=group, number=1, city="Geneva", starts_on=datetime.date(2030, 4, 2), status="planned"
    )
    running = papers_with_consultations(group, [ag_member])
    services.activity_save(
        activity=Activity(action_group=supply_chains, kind="workshop", title="First workshop"),
        by=chair,
    )
    client.force_login(chair)

    page = client.get(reverse("dashboard")).content.decode()

    section = page[page.index("The groups I chair") : page.index('id="my-items"')]
    assert "Supply Chain Action Group" in section
    assert meeting.get_absolute_url() in section and "2 April 2030" in section
    assert "Concept note" in section and "Consultation closed on 24 January 2030" in section
    assert "Shared for comment" in section  # the work plan: its window is still open
    assert running.get_absolute_url() in section
    assert "until 20 March 2030, 17:00" in section
    assert "1 of 2 members have responded" in section  # the chair is asked too
    assert "Closed on 24 January 2030" in section
    assert "Research on child labour" in section and "First workshop" in section
    assert "G-20 supply chain report" not in section  # done: counted, not listed
    assert "Done: 1" in section and "Planned: 1" in section and "Underway: 1" in section
    assert "Work plan updated on 10 March 2030 by Test" in section
    assert work_plan_url() in section


def test_a_consultation_the_chair_may_not_open_is_left_out(client, supply_chains, chair, gcg):
    """The GCG consulted on the group's concept note: its page is for the GCG (a 404 for the
    chair), so the chair's section does not list it; the paper's status still says it."""
    version = consultations.version_publish(
        document=factories.DocumentFactory(owner_group=supply_chains.group, title="Concept note"),
        text="1. Supply chains.",
        change_summary="",
    )
    for_the_gcg = consultations.consultation_open(version=version, audience=gcg)
    client.force_login(chair)
    page = client.get(reverse("dashboard")).content.decode()
    section = page[page.index("The groups I chair") : page.index('id="my-items"')]
    assert "Concept note" in section and "Shared for comment" in section
    assert for_the_gcg.get_absolute_url() not in section
    assert client.get(for_the_gcg.get_absolute_url()).status_code == 404


def test_a_member_who_does_not_chair_sees_no_chair_section(client, supply_chains, ag_member):
    papers_with_consultations(supply_chains.group, [ag_member])
    client.force_login(ag_member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "The groups I chair" not in page
    assert work_plan_url() not in page
    group_page = client.get(supply_chains.get_absolute_url()).content.decode()
    assert "Research on child labour" in group_page
    assert work_plan_url() not in group_page


def test_a_co_chair_runs_the_group_too(client, supply_chains):
    co_chair = member_of(supply_chains.group, "co@example.org", Membership.Role.CO_CHAIR)
    client.force_login(co_chair)
    assert "The groups I chair" in client.get(reverse("dashboard")).content.decode()
    assert client.get(work_plan_url()).status_code == 200


def test_the_chair_of_several_groups_sees_each(client, supply_chains, chair):
    migration = factories.GroupFactory(slug="migration", name="Migration Action Group")
    ActionGroup.objects.create(group=migration)
    factories.MembershipFactory(
        person=Person.objects.get(user=chair), group=migration, role=Membership.Role.CHAIR
    )
    client.force_login(chair)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Supply Chain Action Group" in page and "Migration Action Group" in page
    assert "No activity recorded yet." in page  # the migration group's empty work plan
    assert reverse("work_plan", args=["migration"]) in page


def add_chaired_group(chair_person, index, *, rows):
    """A chaired action group with `rows` meetings, papers (each with an open and a closed
    consultation), activities and members."""
    group = factories.GroupFactory(slug=f"ag-{index}", name=f"Action group {index}")
    Membership.objects.create(person=chair_person, group=group, role=Membership.Role.CHAIR)
    action_group = ActionGroup.objects.create(group=group)
    people = Person.objects.bulk_create(Person(full_name=f"P{index}-{i}") for i in range(rows))
    Membership.objects.bulk_create(Membership(person=p, group=group) for p in people)
    Meeting.objects.bulk_create(
        Meeting(group=group, number=i + 1, starts_on=datetime.date(2030, 4, 1), status="planned")
        for i in range(rows)
    )
    Activity.objects.bulk_create(
        Activity(action_group=action_group, order=i, kind="output", title=f"Output {i}")
        for i in range(rows)
    )
    for i in range(rows):
        document = factories.DocumentFactory(owner_group=group, title=f"Paper {index}-{i}")
        version = factories.DocumentVersionFactory(document=document, number=1, status="shared")
        for days in (-40, 5):  # one closed, one open
            consultations.consultation_open(
                version=version,
                audience=group,
                opens_at=NOW + datetime.timedelta(days=days - 10),
                closes_at=NOW + datetime.timedelta(days=days),
            )
        consultations.comment_submit(
            consultation=version.consultations.get(closes_at__gt=NOW),
            author=people[i],
            paragraph="1",
            text="A comment.",
        )


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_chairs_dashboard_runs_the_same_queries_for_two_groups_or_six(client, gcg, chair):
    person = Person.objects.get(user=chair)
    factories.ActionItemFactory(meeting__group=gcg).owner_people.add(person)  # their own items
    client.force_login(chair)
    for index in range(2):
        add_chaired_group(person, index, rows=2)
    small, _page = dashboard_queries(client)
    for index in range(2, 7):
        add_chaired_group(person, index, rows=30)
    large, page = dashboard_queries(client)
    assert page.count("members have responded") > 5
    assert large == small <= MAX_QUERIES + DASHBOARD_ITEMS_QUERIES + CHAIR_SECTION_QUERIES


# --- updating the work plan -------------------------------------------------------------------


def test_the_chair_changes_an_activitys_status_with_who_in_the_history(
    client, supply_chains, chair
):
    activity = supply_chains.activities.get(title="Research on child labour")
    client.force_login(chair)
    response = client.post(
        reverse("activity_status", args=["supply-chains", activity.pk]),
        {f"activity-{activity.pk}-status": "done"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "done"
    assert activity.history.latest().history_user == chair
    supply_chains.refresh_from_db()
    assert supply_chains.work_plan_updated_by == chair
    assert supply_chains.work_plan_updated_at == NOW
    page = client.get(response["Location"]).content.decode()
    assert "“Research on child labour” is now marked “Done”." in page


def test_the_chair_adds_an_activity_which_goes_last(client, supply_chains, chair):
    client.force_login(chair)
    response = client.post(
        reverse("activity_add", args=["supply-chains"]),
        {
            "title": "Launch workshop",
            "kind": "workshop",
            "status": "planned",
            "when": "",
            "starts_on": "2030-05-04",
            "ends_on": "2030-05-05",
            "description": "In *Abidjan*.",
            "order": "",
        },
    )
    assert response.status_code == 302
    added = supply_chains.activities.get(title="Launch workshop")
    assert added.order == 3 and added.starts_on == datetime.date(2030, 5, 4)
    assert added.history.get().history_user == chair
    page = client.get(work_plan_url()).content.decode()
    assert "“Launch workshop” is saved." in page
    activities = page[page.index('id="activities"') :]
    assert activities.index("Research on child labour") < activities.index("Launch workshop")


def test_the_chair_edits_an_activity(client, supply_chains, chair):
    activity = supply_chains.activities.get(title="Research on child labour")
    client.force_login(chair)
    url = reverse("activity_edit", args=["supply-chains", activity.pk])
    assert 'value="Research on child labour"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"title": "Research on forced labour", "kind": "research", "status": "underway",
         "when": "by September 2030", "order": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.when, activity.order) == (
        "Research on forced labour",
        "by September 2030",
        1,
    )
    assert activity.history.latest().history_user == chair


def field_error(page: str, field_id: str) -> str:
    """The error message tied to a field (aria-describedby or crispy's error_N_id)."""
    match = re.search(rf'id="error_\d+_{field_id}"[^>]*>\s*<strong>([^<]+)</strong>', page)
    return match.group(1) if match else ""


def test_a_refused_activity_keeps_what_was_typed_with_the_error_at_its_field(
    client, supply_chains, chair
):
    client.force_login(chair)
    response = client.post(
        reverse("activity_add", args=["supply-chains"]),
        {"title": "Launch workshop", "kind": "workshop", "status": "planned",
         "starts_on": "2030-05-04", "ends_on": "2030-05-01", "description": "In Abidjan."},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Launch workshop"' in page and "In Abidjan." in page
    assert 'value="2030-05-04"' in page and 'value="2030-05-01"' in page
    assert field_error(page, "id_ends_on") == "The activity cannot end before it starts."
    assert not supply_chains.activities.filter(title="Launch workshop").exists()


def test_an_activity_without_a_title_is_refused_at_the_title(client, supply_chains, chair):
    client.force_login(chair)
    response = client.post(
        reverse("activity_add", args=["supply-chains"]),
        {"title": "", "kind": "workshop", "status": "planned", "when": "early 2031"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert field_error(page, "id_title") == "This field is required."
    assert 'value="early 2031"' in page


def test_a_refused_status_is_shown_in_its_row(client, supply_chains, chair):
    activity = supply_chains.activities.get(title="Research on child labour")
    client.force_login(chair)
    response = client.post(
        reverse("activity_status", args=["supply-chains", activity.pk]),
        {f"activity-{activity.pk}-status": "finished"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'id="activity-{activity.pk}"') :]
    field = f"id_activity-{activity.pk}-status"
    assert f'aria-describedby="{field}-error"' in row
    assert re.search(rf'id="{field}-error"[^>]*>Select a valid choice', row)
    activity.refresh_from_db()
    assert activity.status == "underway"


def test_the_chair_writes_where_the_group_stands(client, supply_chains, chair, ag_member):
    client.force_login(chair)
    response = client.post(
        reverse("action_group_summary", args=["supply-chains"]),
        {"summary": "Preparing the **2030** report."},
    )
    assert response.status_code == 302
    supply_chains.refresh_from_db()
    assert supply_chains.summary == "Preparing the **2030** report."
    assert supply_chains.history.latest().history_user == chair
    client.force_login(ag_member)
    page = client.get(supply_chains.get_absolute_url()).content.decode()
    assert "Preparing the <strong>2030</strong> report." in page


def chair_pages(action_group):
    activity = action_group.activities.first()
    slug = action_group.group.slug
    status = {f"activity-{activity.pk}-status": "planned"}
    activity_data = {"title": "New", "kind": "other", "status": "planned"}
    return [
        ("get", reverse("work_plan", args=[slug]), None),
        ("get", reverse("activity_add", args=[slug]), None),
        ("get", reverse("activity_edit", args=[slug, activity.pk]), None),
        ("get", reverse("action_group_summary", args=[slug]), None),
        ("post", reverse("activity_status", args=[slug, activity.pk]), status),
        ("post", reverse("activity_add", args=[slug]), activity_data),
        ("post", reverse("activity_edit", args=[slug, activity.pk]), activity_data),
        ("post", reverse("action_group_summary", args=[slug]), {"summary": "Taken over."}),
    ]


def work_plan_state(action_group):
    activities = list(Activity.objects.order_by("pk").values_list("title", "status", "order"))
    action_group.refresh_from_db()
    return activities, action_group.summary, action_group.work_plan_updated_at


def test_members_who_do_not_chair_get_a_403_and_change_nothing(
    client, supply_chains, ag_member, gcg_member
):
    before = work_plan_state(supply_chains)
    for user in (ag_member, gcg_member):
        client.force_login(user)
        for method, url, data in chair_pages(supply_chains):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, (user, method, url)
    assert work_plan_state(supply_chains) == before


def test_the_secretariat_updates_any_groups_work_plan(client, supply_chains, secretariat):
    client.force_login(secretariat)
    for method, url, data in chair_pages(supply_chains):
        response = getattr(client, method)(url, data)
        assert response.status_code == (200 if method == "get" else 302), url
    supply_chains.refresh_from_db()
    assert supply_chains.summary == "Taken over."
    assert supply_chains.work_plan_updated_by == secretariat


def test_an_activity_of_another_group_is_not_found(client, supply_chains, chair):
    other = ActionGroup.objects.create(group=factories.GroupFactory(slug="migration"))
    foreign = Activity.objects.create(action_group=other, kind="other", title="Not yours")
    client.force_login(chair)
    url = reverse("activity_edit", args=["supply-chains", foreign.pk])
    assert client.post(url, {"title": "Mine", "kind": "other", "status": "done"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Not yours"


def test_the_admin_changes_activities_through_the_same_services(client, supply_chains, secretariat):
    client.force_login(secretariat)
    url = reverse("admin:actiongroups_actiongroup_change", args=[supply_chains.pk])
    first, second = supply_chains.activities.order_by("order")
    data = change_page_data(
        client.get(url),
        **{"activities-0-status": "planned", "activities-1-DELETE": "on"},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    first.refresh_from_db()
    assert first.status == "planned"
    assert first.history.latest().history_user == secretariat
    assert not Activity.objects.filter(pk=second.pk).exists()
    assert Activity.history.filter(id=second.pk, history_type="-").get().history_user == secretariat
    supply_chains.refresh_from_db()
    assert supply_chains.work_plan_updated_by == secretariat


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_chair_sees_the_supply_chain_group_and_its_closed_concept_note(client, demo):
    client.force_login(demo["chair"])
    page = client.get(reverse("dashboard")).content.decode()
    section = page[page.index("The groups I chair") : page.index('id="my-items"')]
    assert "Supply Chain Action Group" in section
    assert "Supply Chain Action Group concept note" in section
    assert "Consultation closed on 29 July 2018" in section
    assert "Shared for comment" not in page
    assert "Child Labour in Global Supply Chains Project" in section
    assert "Work plan updated on 28 November 2018" in section
    group_page = client.get(reverse("action_group_detail", args=["supply-chains"]))
    assert "Consultation closed on 29 July 2018" in group_page.content.decode()
    assert client.get(work_plan_url()).status_code == 200
