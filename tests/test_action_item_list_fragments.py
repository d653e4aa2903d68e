"""The action item list kept as a fragment (coordination.caching): a reader sees a write at
once, whichever door it came through, and never another reader's list, page, filter or language."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import services
from coordination.models import ActionItem
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("action_item_list")


@pytest.fixture(autouse=True)
def _fragments_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client, query="") -> str:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return response.content.decode()


def list_queries(client, query="") -> list[str]:
    """The queries that read the list (its items, their meetings and owners, the form's
    choices): a page served from the fragment runs none of them."""
    with CaptureQueriesContext(connection) as queries:
        page_of(client, query)
    tables = ("coordination_actionitem", "coordination_meeting", "coordination_group")
    return [q["sql"] for q in queries if any(f'FROM "{table}"' in q["sql"] for table in tables)]


@pytest.fixture
def item(gcg):
    return factories.ActionItemFactory(title="Circulate the ToR", meeting__group=gcg)


def test_the_second_reading_is_served_without_reading_the_list(gcg_member, item):
    member = signed_in(gcg_member)
    assert list_queries(member)
    assert list_queries(member) == []
    assert "Circulate the ToR" in page_of(member)


def test_a_status_changed_through_the_service_shows_at_once(gcg_member, secretariat, item):
    member = signed_in(gcg_member)
    assert "Circulate the ToR" in page_of(member)
    assert list_queries(member) == []  # served from the fragment

    services.action_item_set_status(action_item=item, status="done", by=secretariat, note="Sent")

    assert "Circulate the ToR" not in page_of(member)  # the list shows open items by default
    everything = page_of(member, "?status=all")
    assert "Circulate the ToR" in everything
    assert ">Done</span>" in everything


def test_a_status_changed_in_the_admin_shows_at_once(gcg_member, secretariat, item):
    member, officer = signed_in(gcg_member), signed_in(secretariat)  # signing in is a write
    assert ">Open</span>" in page_of(member)
    assert list_queries(member) == []

    response = officer.post(
        reverse("admin:coordination_actionitem_changelist"),
        {"action": "mark_in_progress", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress"

    page = page_of(member)
    assert ">In progress</span>" in page
    assert ">Open</span>" not in page


def test_an_owner_named_shows_at_once_in_only_mine(gcg_member, item):
    member = signed_in(gcg_member)
    assert "Circulate the ToR" not in page_of(member, "?mine=on")
    item.owner_people.add(gcg_member.person)  # a write to the through table only
    assert "Circulate the ToR" in page_of(member, "?mine=on")


def test_readers_with_different_rights_see_their_own_list(gcg_member, outsider, secretariat, gcg):
    factories.ActionItemFactory(title="Circulate the ToR", meeting__group=gcg)
    factories.ActionItemFactory(
        title="Map the migration corridors", meeting__group=outsider.person.memberships.get().group
    )
    member, other, officer = signed_in(gcg_member), signed_in(outsider), signed_in(secretariat)

    for _ in range(2):  # the second time from the fragments
        mine = page_of(member)
        assert "Circulate the ToR" in mine
        assert "Map the migration corridors" not in mine
        theirs = page_of(other)
        assert "Map the migration corridors" in theirs
        assert "Circulate the ToR" not in theirs
        everything = page_of(officer)
        assert "Circulate the ToR" in everything
        assert "Map the migration corridors" in everything


def test_two_members_of_one_group_each_see_only_what_they_own(gcg_member, gcg, item):
    colleague = factories.UserFactory(email="colleague@example.org")
    factories.MembershipFactory(person__user=colleague, person__email=colleague.email, group=gcg)
    item.owner_people.add(gcg_member.person)
    member, other = signed_in(gcg_member), signed_in(colleague)

    for _ in range(2):
        assert "Circulate the ToR" in page_of(member, "?mine=on")
        assert "Circulate the ToR" not in page_of(other, "?mine=on")
        assert "Circulate the ToR" in page_of(other)  # the group's item, not theirs


def test_each_page_filter_and_language_shows_its_own(gcg_member, gcg):
    meeting = factories.MeetingFactory(group=gcg)
    ActionItem.objects.bulk_create(
        ActionItem(
            title=f"Item {n:03}",
            meeting=meeting,
            due_on=datetime.date(2030, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(60)
    )
    member = signed_in(gcg_member)

    for _ in range(2):  # the second time from the fragments
        first, second = page_of(member), page_of(member, "?page=2")
        assert "Item 000" in first
        assert "Item 055" not in first
        assert "Page 1 of 2" in first
        assert "Item 055" in second
        assert "Item 000" not in second
        assert "Page 2 of 2" in second

        overdue = page_of(member, "?overdue=on")
        assert "No action items match." in overdue
        assert 'name="overdue" class="checkboxinput form-check-input" id="id_overdue" checked' in (
            overdue
        )
        assert "No action items match." not in first

        wrong = page_of(member, "?status=bogus")
        assert "Select a valid choice." in wrong
        assert "Select a valid choice." not in first

        assert "Only mine" in first

    member.post(reverse("set_language"), {"language": "fr", "next": LIST})
    for _ in range(2):
        assert "Les miens seulement" in page_of(member)
