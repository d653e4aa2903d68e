"""Action items on the site: the list and its filters, the page, status changes by the owner."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from coordination.models import ActionItem, Person
from tests import factories

pytestmark = pytest.mark.django_db


def guidance_item(demo):
    return ActionItem.objects.get(meeting=demo["meeting"], order=1)


def status_url(item):
    return reverse("action_item_status", args=[item.pk])


def named_owner(demo, item):
    """The demo's member, named as an owner of the item (not only through the GCG)."""
    item.owner_people.add(Person.objects.get(user=demo["member"]))
    return demo["member"]


def test_a_named_owner_confirms_and_every_owner_reads_the_note(client, demo):
    item = guidance_item(demo)
    client.force_login(named_owner(demo, item))
    typed = {"status": "done", "note": "Sent our comments"}
    confirm = client.post(status_url(item), typed)
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Mark it “Done”?" in page
    assert "Open → <strong>Done</strong>" in page
    assert "Sent our comments" in page
    item.refresh_from_db()
    assert item.status == "open"  # nothing changes before the confirmation

    response = client.post(status_url(item), {**typed, "confirm": "1"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The status is now “Done”." in page
    assert "Open → Done" in page
    assert "Sent our comments" in page
    item.refresh_from_db()
    assert (item.status, item.status_changed_by) == ("done", demo["member"])


def test_back_from_the_confirmation_keeps_what_was_typed(client, demo):
    item = guidance_item(demo)
    client.force_login(named_owner(demo, item))
    response = client.post(
        status_url(item), {"status": "in_progress", "note": "Drafting", "back": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="in_progress" selected>' in page
    assert "Drafting</textarea>" in page
    item.refresh_from_db()
    assert item.status == "open"


def test_done_without_a_note_is_refused_next_to_the_note(client, demo):
    item = guidance_item(demo)
    client.force_login(demo["secretariat"])
    for confirmed in ({}, {"confirm": "1"}):
        response = client.post(status_url(item), {"status": "done", "note": " ", **confirmed})
        page = response.content.decode()
        assert response.status_code == 400
        assert 'id="error_1_id_note"' in page  # at its field
        assert "Say in a few words what was done" in page
        assert '<option value="done" selected>' in page  # what was chosen is kept
    item.refresh_from_db()
    assert item.status == "open"
    assert not item.status_changes.exists()


def test_a_member_of_the_owning_group_cannot_change_the_groups_status(client, demo):
    """The GCG owns the item; its members read it, only its chairs change it."""
    item = guidance_item(demo)
    client.force_login(demo["member"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Save status" not in page
    assert "The status is changed by the people and organisations named as owners" in page
    typed = {"status": "done", "note": "Done for everyone", "confirm": "1"}
    assert client.post(status_url(item), typed).status_code == 403
    item.refresh_from_db()
    assert item.status == "open"
    assert not item.status_changes.exists()


@pytest.mark.parametrize("role", ["chair", "co_chair"])
def test_the_chair_of_the_owning_group_changes_its_status(client, demo, role):
    item = guidance_item(demo)
    chair = factories.UserFactory(email="gcg-chair@example.org")
    factories.MembershipFactory(
        person__user=chair, person__email=chair.email, group=item.meeting.group, role=role
    )
    client.force_login(chair)
    assert "Save status" in client.get(item.get_absolute_url()).content.decode()
    client.post(status_url(item), {"status": "in_progress", "confirm": "1"})
    item.refresh_from_db()
    assert (item.status, item.status_changed_by) == ("in_progress", chair)


def test_an_unknown_status_is_refused_next_to_the_field_and_nothing_changes(client, demo):
    item = guidance_item(demo)
    client.force_login(demo["secretariat"])
    response = client.post(status_url(item), {"status": "finished", "note": "typed"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in page
    assert "typed</textarea>" in page  # what was typed is kept
    item.refresh_from_db()
    assert item.status == "open"


def test_setting_the_current_status_again_says_so(client, demo):
    item = guidance_item(demo)
    client.force_login(demo["secretariat"])
    response = client.post(status_url(item), {"status": "open"})
    assert response.status_code == 400
    assert "already “Open”" in response.content.decode()


def test_waiting_on_links_the_action_that_starts_the_clock_until_it_has(client, demo):
    item = guidance_item(demo)
    share = item.trigger_action
    client.force_login(demo["member"])
    link = f'<a href="{share.get_absolute_url()}">{share.title}</a>'
    assert link in client.get(item.get_absolute_url()).content.decode()
    # The demo recorded the sharing: the two weeks run, and the rows give the date instead.
    assert item.triggered_at and item.due_on
    for page in (reverse("dashboard"), reverse("action_item_list")):
        assert f"Waiting on: {link}" not in client.get(page).content.decode()
    ActionItem.objects.filter(pk=item.pk).update(triggered_at=None, due_on=None)
    for page in (reverse("dashboard"), reverse("action_item_list")):
        assert f"Waiting on: {link}" in client.get(page).content.decode()


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
    assert "overdue since 1 January 2019" in page
    assert "Provide feedback" not in page

    page = client.get(url, {"status": "done"}).content.decode()
    assert "Share the revised draft" in page  # the demo's illustrative sharing
    assert "Meet to draft a communications strategy" not in page

    page = client.get(url, {"status": "dropped"}).content.decode()
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


def test_on_a_phone_the_filters_fold_behind_a_toggle(client, demo):
    client.force_login(demo["member"])
    page = client.get(reverse("action_item_list")).content.decode()
    assert 'data-bs-toggle="collapse" data-bs-target="#filters"' in page
    assert '<div class="collapse d-md-block" id="filters">' in page  # folded below md only
    assert ">Filters</button>" in page

    page = client.get(reverse("action_item_list"), {"mine": "on", "status": "all"})
    assert ">Filters (2 on)</button>" in page.content.decode()

    page = client.get(reverse("action_item_list"), {"meeting": "x"}).content.decode()
    assert '<div class="collapse d-md-block show" id="filters">' in page  # the error in view


def test_empty_choices_say_what_they_mean(client, demo):
    client.force_login(demo["member"])
    page = client.get(reverse("action_item_list")).content.decode()
    assert '<option value="" selected>Any group</option>' in page
    assert '<option value="" selected>Any meeting</option>' in page
    assert "---------" not in page


@time_machine.travel(datetime.date(2019, 1, 10))
def test_undated_items_come_after_dated_ones(client, demo):
    meeting = demo["meeting"]
    for title, due_on in [("Undated task", None), ("Later task", datetime.date(2019, 3, 1))]:
        item = factories.ActionItemFactory(meeting=meeting, title=title, due_on=due_on)
        item.owner_groups.add(meeting.group)
    client.force_login(demo["member"])
    for url in (reverse("action_item_list"), reverse("dashboard")):
        page = client.get(url).content.decode()
        assert page.index("Later task") < page.index("Undated task"), url


def test_the_meeting_filter_offers_the_latest_meetings(client, demo):
    """After years of meetings the filter lists the latest 40, not hundreds of options."""
    gcg = demo["meeting"].group
    start = datetime.date(2020, 1, 15)
    meetings = [
        factories.MeetingFactory(
            group=gcg,
            number=100 + n,
            starts_on=start.replace(year=2020 + n // 12, month=n % 12 + 1),
        )
        for n in range(45)
    ]
    client.force_login(demo["member"])
    page = client.get(reverse("action_item_list")).content.decode()
    assert page.count("<option") < 60
    assert f'value="{meetings[-1].pk}"' in page
    assert f'value="{meetings[0].pk}"' not in page


def test_a_long_list_counts_to_its_cap_and_says_how_to_find_the_rest(client, demo, monkeypatch):
    """Counting 12,000 open items on every page costs more than the page: the list counts up to
    its cap ("page 1 of 2+") and its last page says to narrow the filters."""
    from coordination import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "LIST_CAP", 4)
    for n in range(6):
        factories.ActionItemFactory(meeting=demo["meeting"], title=f"Follow-up {n}")
    client.force_login(demo["member"])
    first = client.get(reverse("action_item_list")).content.decode()
    assert "Page 1 of 2+" in first
    assert "narrow the filters" not in first
    last = client.get(reverse("action_item_list") + "?page=2").content.decode()
    assert "Page 2 of 2+" in last
    assert "Only the first 4 are listed: narrow the filters to find the others." in last
    everything = client.get(reverse("action_item_list") + "?status=done").content.decode()
    assert "+</span>" not in everything


def test_an_item_waiting_for_another_gets_its_date_when_that_one_is_marked_done(client, demo):
    """“Two weeks after receipt of the revised draft”: the clock starts the day the
    Secretariat's “share the revised draft” is done, not before."""
    meeting = demo["meeting"]
    share = factories.ActionItemFactory(meeting=meeting, due_on=None, title="Send the draft")
    feedback = factories.ActionItemFactory(
        meeting=meeting,
        due_on=None,
        due_days_after_trigger=14,
        trigger="receipt of the draft",
        trigger_action=share,
    )
    client.force_login(demo["secretariat"])
    done_at = datetime.datetime(2019, 1, 10, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(done_at, tick=False):
        client.post(status_url(share), {"status": "in_progress", "confirm": "1"})
        feedback.refresh_from_db()
        assert (feedback.triggered_at, feedback.due_on) == (None, None)  # not done yet

        client.post(status_url(share), {"status": "done", "note": "Sent", "confirm": "1"})
        page = client.get(feedback.get_absolute_url()).content.decode()

    feedback.refresh_from_db()
    assert feedback.triggered_at == done_at
    assert feedback.due_on == datetime.date(2019, 1, 24)
    assert (
        feedback.deadline_display() == "two weeks after receipt of the draft (by 24 January 2019)"
    )
    assert f'<a href="{share.get_absolute_url()}">{share.title}</a>' in page


def test_only_a_relative_deadline_waits_for_another_item(demo):
    from django.core.exceptions import ValidationError

    share = factories.ActionItemFactory(meeting=demo["meeting"])
    fixed = factories.ActionItemFactory.build(meeting=demo["meeting"], trigger_action=share)
    with pytest.raises(ValidationError, match="Only a relative deadline"):
        fixed.full_clean()


def test_items_cannot_wait_for_each_other_in_a_ring(demo):
    from django.core.exceptions import ValidationError

    relative = {"due_on": None, "due_days_after_trigger": 14, "trigger": "the other one"}
    first = factories.ActionItemFactory(meeting=demo["meeting"], **relative)
    second = factories.ActionItemFactory(meeting=demo["meeting"], trigger_action=first, **relative)
    first.trigger_action = second
    with pytest.raises(ValidationError, match="cannot wait for itself"):
        first.full_clean()


def test_the_database_refuses_an_item_waiting_for_two_things_or_for_itself(demo):
    from django.db import IntegrityError, transaction

    share = factories.ActionItemFactory(meeting=demo["meeting"])
    document = factories.DocumentVersionFactory().document
    relative = {"due_on": None, "due_days_after_trigger": 14, "trigger": "the draft"}
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ActionItemFactory(
            meeting=demo["meeting"], trigger_action=share, trigger_document=document, **relative
        )
    item = factories.ActionItemFactory(meeting=demo["meeting"], **relative)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(trigger_action=item)
