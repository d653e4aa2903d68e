"""The secret calendar address: a person can get a new one, and it closes with the account.

Each feed is read back with icalendar, as a calendar program would read it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coordination.models import Person
from tests import factories
from tests.admin_pages import change_page_data

pytestmark = pytest.mark.django_db


def feed(client, person):
    return client.get(reverse("calendar_feed", args=[person.calendar_key]))


def entries(response) -> set[str]:
    return {str(entry["SUMMARY"]) for entry in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def member(gcg_member, gcg):
    return Person.objects.get(user=gcg_member)


@pytest.fixture
def meeting(gcg):
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    return factories.MeetingFactory(group=gcg, starts_on=next_month, ends_on=next_month)


def test_a_new_address_from_preferences_closes_the_old_one(client, member, meeting):
    old = member.calendar_key
    client.force_login(member.user)

    response = client.post(reverse("calendar_key_new"), follow=True)

    member.refresh_from_db()
    assert member.calendar_key != old
    page = response.content.decode()
    assert "The old one no longer works" in page
    assert str(member.calendar_key) in page and str(old) not in page
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert str(meeting.title) in entries(feed(client, member))


def test_getting_a_new_address_takes_a_post_from_the_person_signed_in(client, member):
    old = member.calendar_key
    assert client.post(reverse("calendar_key_new")).status_code == 302  # to sign in
    client.force_login(member.user)
    assert client.get(reverse("calendar_key_new")).status_code == 405  # a link cannot do it
    member.refresh_from_db()
    assert member.calendar_key == old


def test_an_account_without_a_person_has_no_address_to_renew(client, no_membership):
    client.force_login(no_membership)
    assert client.post(reverse("calendar_key_new")).status_code == 404


def test_the_address_stops_working_when_the_account_is_deactivated_in_the_admin(
    client, secretariat, member
):
    assert feed(client, member).status_code == 200
    client.force_login(secretariat)
    url = reverse("admin:coordination_user_change", args=[member.user.pk])
    data = change_page_data(client.get(url))
    data.pop("is_active")  # the box unticked
    assert client.post(url, data).status_code == 302
    client.logout()

    assert feed(client, member).status_code == 404
    member.user.is_active = True  # back from leave: the same address works again
    member.user.save(update_fields=["is_active"])
    assert feed(client, member).status_code == 200


def test_a_person_whose_account_was_removed_has_no_calendar(client, member):
    member.user.delete()
    member.refresh_from_db()
    assert feed(client, member).status_code == 404


def test_the_secretariat_gives_people_a_new_address_from_the_admin(client, secretariat, member):
    old = member.calendar_key
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:coordination_person_changelist"),
        {"action": "calendar_key_rotate", "_selected_action": [member.pk]},
        follow=True,
    )
    assert "1 person has a new calendar address" in response.content.decode()
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    member.refresh_from_db()
    assert feed(client, member).status_code == 200


def test_staff_who_may_only_view_people_cannot_renew_their_addresses(client, member):
    """Staff status gives the admin, not the secretariat's powers: the action needs the right
    to change people."""
    from django.contrib.auth.models import Permission

    viewer = factories.UserFactory(email="viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_person"))
    old = member.calendar_key
    client.force_login(viewer)
    changelist = reverse("admin:coordination_person_changelist")
    assert "calendar_key_rotate" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "calendar_key_rotate", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert member.calendar_key == old
