"""Action items on the site: the list and its filters, the page, status changes by the owner."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from coordination.models import ActionItem
from tests import factories

pytestmark = pytest.mark.django_db


def guidance_item(demo):
    return ActionItem.objects.get(meeting=demo["meeting"], order=1)


def test_owner_marks_the_item_done_and_the_history_shows_it(client, demo):
    item = guidance_item(demo)  # owned by the GCG, of which the member is part
    client.force_login(demo["member"])
    response = client.post(
        reverse("action_item_status", args=[item.pk]),
        {"status": "done", "note": "Sent our comments"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Open → Done" in page
    assert "Sent our comments" in page
    item.refresh_from_db()
    assert (item.status, item.status_changed_by) == ("done", demo["member"])


def test_an_unknown_status_is_refused_next_to_the_field_and_nothing_changes(client, demo):
    item = guidance_item(demo)
    client.force_login(demo["member"])
    response = client.post(
        reverse("action_item_status", args=[item.pk]), {"status": "finished", "note": "typed"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in page
    assert 'value="typed"' in page  # what was typed is kept
    item.refresh_from_db()
    assert item.status == "open"


def test_setting_the_current_status_again_says_so(client, demo):
    item = guidance_item(demo)
    client.force_login(demo["member"])
    response = client.post(reverse("action_item_status", args=[item.pk]), {"status": "open"})
    assert response.status_code == 400
    assert "already “Open”" in response.content.decode()


@time_machine.travel(datetime.date(2019, 1, 10))
def test_list_filters_mine_overdue_status_and_meeting(client, demo):
    client.force_login(demo["member"])
    url = reverse("action_item_list")

    page = client.get(url, {"mine": "on"}).content.decode()
    assert "Provide feedback on the Pathfinder Country Guidance Note" in page
    assert "Send notifications of upcoming events" not in page  # the Secretariat's

    overdue = factories.ActionItemFactory(
        meeting=demo["meeting"], title="Overdue thing", due_on=datetime.date(2019, 1, 1)
    )
    page = client.get(url, {"overdue": "on"}).content.decode()
    assert overdue.title in page
    assert "overdue by 9 days" in page
    assert "Provide feedback" not in page

    page = client.get(url, {"status": "done"}).content.decode()
    assert "No action items match." in page

    page = client.get(url, {"meeting": demo["meeting"].pk}).content.decode()
    assert "Meet to draft a communications strategy" in page


def test_a_bad_filter_value_is_explained_not_a_crash(client, demo):
    client.force_login(demo["member"])
    response = client.get(reverse("action_item_list"), {"meeting": "not-a-number"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_dashboard_shows_my_open_items_and_next_meetings(client, demo):
    client.force_login(demo["member"])
    with time_machine.travel(datetime.date(2019, 1, 10)):
        page = client.get(reverse("dashboard")).content.decode()
    assert "Provide feedback on the Pathfinder Country Guidance Note" in page
    assert "4th GCG meeting" in page
    assert "Pathfinder Country Guidance Note" in page  # latest documents of my groups
    assert "Supply Chain Action Group concept note" not in page  # not my group


def test_dashboard_lists_the_consultations_open_to_me(client, demo):
    client.force_login(demo["member"])
    page = client.get(reverse("dashboard")).content.decode()
    assert "Open for comment" in page
    assert "Version 2 · until" in page

    client.force_login(demo["chair"])  # not in the GCG
    assert "Open for comment" not in client.get(reverse("dashboard")).content.decode()
