"""The admin lists of action items and people are kept rendered until the record changes
(`{% kept %}`, coordination.caching): a change made through the site's services or through the
admin shows at once, each reader and each query string has its own, and a bounced reminder,
which leaves the record's generation alone, shows in the people's list all the same."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import ActionItem, Reminder
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ACTION_ITEMS = reverse("admin:coordination_actionitem_changelist")
PEOPLE = reverse("admin:coordination_person_changelist")


@pytest.fixture(autouse=True)
def _fragments_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600


@pytest.fixture
def officer(client, secretariat):
    client.force_login(secretariat)
    return secretariat


def row(html: str, name: str) -> str:
    """The list's row of the record named `name`."""
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    (found,) = [row for row in rows if f">{name}<" in row]
    return found


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_list_seen_again_is_not_drawn_again(client, officer):
    factories.ActionItemFactory.create_batch(3)
    page(client, ACTION_ITEMS)
    with CaptureQueriesContext(connection) as queries:
        again = page(client, ACTION_ITEMS)

    assert "Action item" in again
    # neither the page's rows, nor the date drill-down's first and last dates, nor the
    # filters' choices were read
    read = [q["sql"] for q in queries if 'FROM "coordination_' in q["sql"]]
    assert [sql for sql in read if "coordination_actionitem" in sql] == [
        'SELECT COUNT(*) AS "__count" FROM "coordination_actionitem"'
    ]
    assert not [sql for sql in read if 'FROM "coordination_meeting"' in sql]
    assert not [sql for sql in read if 'FROM "coordination_group"' in sql]


def test_the_last_page_counts_its_own_rows(client, officer):
    factories.ActionItemFactory.create_batch(53)

    first = page(client, ACTION_ITEMS)
    last = page(client, ACTION_ITEMS + "?p=2")

    assert "0 of 50 selected" in first
    assert "0 of 3 selected" in last
    assert last.count('class="action-select"') == 3


def test_a_status_changed_by_the_service_shows_at_once(client, officer):
    item = factories.ActionItemFactory(title="Circulate the ToR")
    assert ">Open<" in row(page(client, ACTION_ITEMS), "Circulate the ToR")

    services.action_item_set_status(
        action_item=item, status=ActionItem.Status.IN_PROGRESS, by=officer
    )

    assert ">In progress<" in row(page(client, ACTION_ITEMS), "Circulate the ToR")


def test_a_status_changed_by_the_admins_action_shows_at_once(client, officer):
    item = factories.ActionItemFactory(title="Circulate the ToR")
    assert ">Open<" in row(page(client, ACTION_ITEMS), "Circulate the ToR")

    response = client.post(
        ACTION_ITEMS, {"action": "mark_dropped", "_selected_action": [item.pk]}, follow=True
    )

    assert ">Dropped<" in row(response.content.decode(), "Circulate the ToR")
    assert ">Dropped<" in row(page(client, ACTION_ITEMS), "Circulate the ToR")


def test_a_person_renamed_on_their_admin_page_shows_at_once(client, officer):
    person = factories.PersonFactory(full_name="Sam Okafor", email="sam@example.org")
    assert "Sam Okafor" in page(client, PEOPLE)

    response = client.post(
        reverse("admin:coordination_person_change", args=[person.pk]),
        {
            "full_name": "Samuel Okafor",
            "email": "sam@example.org",
            "organisation": person.organisation_id,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302

    html = page(client, PEOPLE)
    assert "Samuel Okafor" in html
    assert ">Sam Okafor<" not in html


def test_a_bounced_reminder_shows_in_the_peoples_list_at_once(client, officer):
    """The sweep marks a reminder failed with an update of the reminders' table, whose writes
    leave the record's generation alone: the list's rows say whose email failed."""
    reminder = factories.ReminderFactory(recipient__full_name="Sam Okafor")
    assert "icon-no.svg" in row(page(client, PEOPLE), "Sam Okafor")

    Reminder.objects.filter(pk=reminder.pk).update(failed_at=timezone.now())

    assert "icon-yes.svg" in row(page(client, PEOPLE), "Sam Okafor")


def test_a_reader_with_fewer_rights_never_sees_another_readers_list(client, officer):
    factories.ActionItemFactory(title="Circulate the ToR")
    viewer = factories.UserFactory(email="viewer@example.org", is_staff=True, password=None)
    viewer.user_permissions.add(Permission.objects.get(codename="view_actionitem"))
    viewers_client = Client()
    viewers_client.force_login(viewer)  # signing in is a write: before the officer's visit
    assert "Delete selected action items" in page(client, ACTION_ITEMS)

    html = page(viewers_client, ACTION_ITEMS)

    assert "Circulate the ToR" in html
    assert "Delete selected action items" not in html
    # nor the navigation of an officer, who may open every list
    assert reverse("admin:coordination_person_changelist") not in html


def test_each_page_filter_and_order_of_the_list_is_its_own(client, officer):
    factories.ActionItemFactory.create_batch(55, title="Routine item")
    factories.ActionItemFactory(title="Circulate the ToR", status=ActionItem.Status.DONE)
    first = page(client, ACTION_ITEMS)

    second = page(client, ACTION_ITEMS + "?p=2")
    done = page(client, ACTION_ITEMS + "?status__exact=done")

    assert second != first
    assert 'class="this-page">2<' in second
    assert "Circulate the ToR" in done
    assert "Routine item" not in done
    assert '<li class="selected">\n    <a href="?status__exact=done"' in done


@pytest.mark.parametrize(
    ("url", "most"),
    [
        # the session, the reader, the record's generation, the count
        (ACTION_ITEMS, 4),
        # and the count of every person, and whose email failed on the page
        (PEOPLE, 6),
    ],
)
def test_a_list_seen_again_runs_a_few_queries_whatever_its_length(
    client, officer, url, most, django_assert_max_num_queries
):
    factories.ActionItemFactory.create_batch(60)
    factories.MembershipFactory.create_batch(60)
    page(client, url)

    with django_assert_max_num_queries(most):
        page(client, url)
