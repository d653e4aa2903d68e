"""The dashboard and the meeting report keep fragments rendered until the record changes
(coordination.caching): what a reader sees is what the record says, at once after a write from
the site, a service or the admin, and never another reader's.

Everyone signs in before the first page is read: signing in writes the account's last login,
which would make every fragment miss and hide a cache that serves too much."""

import datetime
import threading

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coordination import views
from coordination.models import ActionItem, Meeting
from coordination.services import action_item_set_status
from tests import factories
from tests.admin_pages import change_page_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fragments_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600


@pytest.fixture
def meeting(gcg):
    return factories.MeetingFactory(group=gcg, number=3, objective="Review the ToR.")


@pytest.fixture
def item(gcg, meeting):
    item = factories.ActionItemFactory(meeting=meeting, title="Circulate the revised ToR")
    item.owner_groups.add(gcg)
    return item


def signed_in(*users) -> list[Client]:
    clients = []
    for user in users:
        clients.append(Client())
        clients[-1].force_login(user)
    return clients


def _dashboard(client) -> str:
    return client.get(reverse("dashboard")).content.decode()


def test_an_item_renamed_in_the_admin_shows_at_once_on_the_dashboard(gcg_member, secretariat, item):
    member, officer = signed_in(gcg_member, secretariat)
    assert "Circulate the revised ToR" in _dashboard(member)
    url = reverse("admin:coordination_actionitem_change", args=[item.pk])
    response = officer.post(url, change_page_data(officer.get(url), title="Circulate the ToR v3"))
    assert response.status_code == 302
    page = _dashboard(member)
    assert "Circulate the ToR v3" in page
    assert "Circulate the revised ToR" not in page


def test_an_item_done_through_the_service_leaves_the_dashboard_at_once(
    gcg_member, secretariat, item
):
    (member,) = signed_in(gcg_member)
    assert "Circulate the revised ToR" in _dashboard(member)
    action_item_set_status(
        action_item=item, status=ActionItem.Status.DONE, by=secretariat, note="Sent."
    )
    assert "Circulate the revised ToR" not in _dashboard(member)


def test_a_reader_never_sees_another_readers_dashboard(gcg_member, outsider, secretariat, item):
    member, other, officer = signed_in(gcg_member, outsider, secretariat)
    assert "Circulate the revised ToR" in _dashboard(member)
    assert "Circulate the revised ToR" not in _dashboard(other)
    assert "Overdue action items (all groups)" not in _dashboard(member)
    assert "Overdue action items (all groups)" in _dashboard(officer)


def test_the_dashboard_knows_the_day_in_the_readers_time_zone(gcg_member, item):
    """Twenty minutes either side of midnight in Zurich, within the hour a fragment is kept."""
    ActionItem.objects.filter(pk=item.pk).update(due_on=datetime.date(2031, 5, 3))
    with time_machine.travel(datetime.datetime(2031, 5, 3, 21, 40, tzinfo=datetime.UTC)):
        (member,) = signed_in(gcg_member)
        assert "overdue since" not in _dashboard(member)
    with time_machine.travel(datetime.datetime(2031, 5, 3, 22, 20, tzinfo=datetime.UTC)):
        assert "overdue since 3 May 2031" in _dashboard(member)


def test_the_report_edited_in_the_admin_shows_at_once(gcg_member, secretariat, meeting):
    member, officer = signed_in(gcg_member, secretariat)
    report = reverse("meeting_detail", args=[meeting.pk])
    assert "Review the ToR." in member.get(report).content.decode()
    url = reverse("admin:coordination_meeting_change", args=[meeting.pk])
    response = officer.post(url, change_page_data(officer.get(url), objective="Adopt the ToR."))
    assert response.status_code == 302
    assert "Adopt the ToR." in member.get(report).content.decode()


def test_the_report_kept_for_all_its_readers_speaks_each_ones_language(gcg, gcg_member, meeting):
    french = factories.UserFactory(email="membre@example.org", language="fr")
    factories.MembershipFactory(person__user=french, person__email=french.email, group=gcg)
    member, membre = signed_in(gcg_member, french)
    report = reverse("meeting_detail", args=[meeting.pk])
    breadcrumb = '<li class="breadcrumb-item"><a href="{}">{}</a></li>'
    assert (
        breadcrumb.format(reverse("meeting_list"), "Meetings")
        in member.get(report).content.decode()
    )
    assert (
        breadcrumb.format(reverse("meeting_list"), "Réunions")
        in membre.get(report).content.decode()
    )


def test_a_report_kept_for_its_readers_is_still_refused_to_others(gcg_member, outsider, meeting):
    member, other = signed_in(gcg_member, outsider)
    report = reverse("meeting_detail", args=[meeting.pk])
    assert "Review the ToR." in member.get(report).content.decode()
    assert other.get(report).status_code == 404


def test_a_kept_dashboard_opens_and_closes_consultations_with_the_clock(gcg, gcg_member):
    """No write in between: the clock alone opens and closes the window on the dashboard, and
    the version's status in the latest documents follows."""
    opens = datetime.datetime(2031, 5, 3, 9, 0, tzinfo=datetime.UTC)
    factories.ConsultationFactory(
        version__document__title="Guidance Note",
        version__document__owner_group=gcg,
        version__number=1,
        audience=gcg,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(minutes=40),
    )
    with time_machine.travel(opens - datetime.timedelta(minutes=10)):
        (member,) = signed_in(gcg_member)
        assert "Open for comment" not in _dashboard(member)
    with time_machine.travel(opens + datetime.timedelta(minutes=10)):
        page = _dashboard(member)
        assert "Open for comment" in page
        assert "minutes left)" in page  # the time left, from the clock, not from the cache
        assert "Version 1 · Shared for comment" in page  # the latest documents
    with time_machine.travel(opens + datetime.timedelta(minutes=50)):
        page = _dashboard(member)
        assert "Open for comment" not in page
        assert "Version 1 · Consultation closed on 3 May 2031" in page


def test_a_write_committed_while_the_report_is_made_shows_on_the_next_request(
    monkeypatch, gcg_member, meeting
):
    """The meeting is read, then someone's edit commits, then the report is made from the
    meeting as it was: it must not be kept under the generation of that edit."""
    (member,) = signed_in(gcg_member)
    report = reverse("meeting_detail", args=[meeting.pk])
    read = views.access.get_meeting_for_user

    def read_then_someone_edits(user, pk):
        found = read(user, pk)
        edit = threading.Thread(  # another connection, as another process would
            target=lambda: Meeting.objects.filter(pk=pk).update(venue="Palais des Nations")
        )
        edit.start()
        edit.join()
        return found

    monkeypatch.setattr(views.access, "get_meeting_for_user", read_then_someone_edits)
    assert "Palais des Nations" not in member.get(report).content.decode()
    monkeypatch.undo()
    assert "Palais des Nations" in member.get(report).content.decode()
