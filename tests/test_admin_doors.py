"""The admin is a door like the site: each state change made there goes through the same
service and leaves the same record (trigger, status change, disposed_by, refusals)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from coordination import consultations, services
from coordination.models import (
    ActionItem,
    ActionItemStatusChange,
    Comment,
    Consultation,
    Decision,
    DocumentVersion,
    Meeting,
)
from pathfinders.models import InterestSubmission, PathfinderCountry
from tests import factories
from tests.admin_pages import change_page_data

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
TEXT = "Governments write to the Secretariat.\n\nResource mobilisation is key.\n"


@pytest.fixture
def officer(client, secretariat):
    client.force_login(secretariat)
    return secretariat


@pytest.fixture
def comment(gcg, gcg_member):
    """A member's comment on paragraph 1, in an open consultation."""
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    consultation = consultations.consultation_open(version=version, audience=gcg)
    comment = consultations.comment_submit(
        consultation=consultation, author=gcg_member.person, paragraph="1", text="Clarify."
    )
    return comment


def add_consultation(client, version, group, opens="2018-12-03", closes=("", "")):
    return client.post(
        reverse("admin:coordination_consultation_add"),
        {
            "version": version.pk,
            "audience": group.pk,
            "opens_at_0": opens,
            "opens_at_1": "09:00:00",
            "closes_at_0": closes[0],
            "closes_at_1": closes[1],
        },
    )


@time_machine.travel(NOW, tick=False)
def test_a_consultation_added_in_the_admin_shares_the_draft_and_starts_the_clock(
    client, officer, gcg, waiting_item
):
    draft = consultations.version_publish(
        document=waiting_item.trigger_document, text=TEXT, change_summary=""
    )
    response = add_consultation(client, draft, gcg)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation = Consultation.objects.get()
    draft.refresh_from_db()
    waiting_item.refresh_from_db()
    assert draft.status == DocumentVersion.Status.SHARED
    assert waiting_item.due_on == datetime.date(2018, 12, 17)  # as on the site
    assert consultation.closes_at == datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=GENEVA)
    assert consultation.created_by == officer


@time_machine.travel(NOW, tick=False)
def test_the_admin_refuses_an_overlapping_window_and_keeps_the_input(client, officer, gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    consultations.consultation_open(version=version, audience=gcg, opens_at=NOW)
    response = add_consultation(client, version, gcg, opens="2018-12-10")
    assert response.status_code == 200
    page = response.content.decode()
    assert "overlaps these dates" in page
    assert 'value="2018-12-10"' in page
    assert Consultation.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_admin_refuses_a_consultation_on_a_superseded_version(client, officer, gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    old = consultations.version_publish(document=document, text=TEXT, change_summary="")
    consultations.version_publish(document=document, text=TEXT + "More.\n", change_summary="")
    response = add_consultation(client, old, gcg)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["version"]  # not among the choices
    assert not Consultation.objects.exists()


def test_a_shared_versions_text_number_and_status_cannot_be_changed_in_the_admin(
    client, officer, gcg
):
    document = factories.DocumentFactory(owner_group=gcg)
    version = consultations.version_publish(document=document, text=TEXT, change_summary="")
    consultations.version_share(version=version)
    url = reverse("admin:coordination_documentversion_change", args=[version.pk])
    page = client.get(url)
    data = change_page_data(
        page, text="Rewritten after the comments.", number="7", status="adopted"
    )
    client.post(url, data)
    version.refresh_from_db()
    assert (version.text, version.number, version.status) == (TEXT, 1, "shared")


def test_a_draft_can_still_be_corrected_in_the_admin(client, officer, gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    version = consultations.version_publish(document=document, text=TEXT, change_summary="")
    url = reverse("admin:coordination_documentversion_change", args=[version.pk])
    response = client.post(url, change_page_data(client.get(url), text="Corrected draft."))
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.text, version.status) == ("Corrected draft.", "draft")
    assert version.history.first().history_user == officer


def test_a_disposition_given_in_the_admin_names_the_officer(client, officer, comment):
    url = reverse("admin:coordination_comment_change", args=[comment.pk])
    data = change_page_data(client.get(url), disposition="accepted", reply="Done in v2.")
    data["text"] = "Words put in the member's mouth."
    assert client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert (comment.disposition, comment.reply, comment.disposed_by) == (
        "accepted",
        "Done in v2.",
        officer,
    )
    assert comment.disposed_at is not None
    assert comment.text == "Clarify."
    assert comment.history.first().history_user == officer


def test_a_disposition_pointing_nowhere_is_refused_next_to_its_field(client, officer, comment):
    url = reverse("admin:coordination_comment_change", args=[comment.pk])
    data = change_page_data(
        client.get(url), disposition="accepted", reply="See v2.", answered_in_paragraph="2"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "There is no next version yet" in str(form.errors["answered_in_paragraph"])
    assert 'value="See v2."' in response.content.decode() or "See v2." in str(form["reply"])
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_comments_cannot_be_changed_or_disposed_from_the_consultation_inline(
    client, officer, comment
):
    consultation = comment.consultation
    url = reverse("admin:coordination_consultation_change", args=[consultation.pk])
    page = client.get(url)
    data = change_page_data(page)
    data.update(
        {
            "comments-0-id": str(comment.pk),
            "comments-0-consultation": str(consultation.pk),
            "comments-0-disposition": "not_accepted",
            "comments-0-text": "Changed.",
            "closes_at_0": "2030-01-01",
        }
    )
    client.post(url, data)
    comment.refresh_from_db()
    consultation.refresh_from_db()
    assert (comment.text, comment.disposition) == ("Clarify.", "")
    assert consultation.closes_at.year != 2030


def test_closing_a_consultation_in_the_admin_ends_the_window(client, officer, gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    yesterday = datetime.datetime.now(tz=GENEVA) - datetime.timedelta(days=1)
    consultation = consultations.consultation_open(
        version=version, audience=gcg, opens_at=yesterday
    )
    client.post(
        reverse("admin:coordination_consultation_changelist"),
        {"action": "close_now", "_selected_action": [consultation.pk]},
    )
    consultation.refresh_from_db()
    assert not consultation.is_open(datetime.datetime.now(tz=GENEVA))
    assert consultation.history.first().history_user == officer


def test_an_action_items_status_cannot_be_set_from_the_meeting_inline(client, officer, gcg):
    item = factories.ActionItemFactory(meeting__group=gcg, order=1)
    url = reverse("admin:coordination_meeting_change", args=[item.meeting_id])
    data = change_page_data(client.get(url))
    data["action_items-0-status"] = "done"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.status == "open"
    assert not item.status_changes.exists()


def test_a_stale_admin_page_cannot_set_an_action_item_back(client, officer, gcg, gcg_member):
    item = factories.ActionItemFactory(meeting__group=gcg, order=1)
    url = reverse("admin:coordination_actionitem_change", args=[item.pk])
    stale = change_page_data(client.get(url), title="Retitled", status="open")
    services.action_item_set_status(action_item=item, status="done", by=gcg_member, note="Sent")
    assert client.post(url, stale).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.status) == ("Retitled", "done")
    assert [c.changed_by for c in item.status_changes.all()] == [gcg_member]


def test_an_action_items_status_changed_by_an_admin_action_is_recorded(client, officer, gcg):
    item = factories.ActionItemFactory(meeting__group=gcg, order=1)
    client.post(
        reverse("admin:coordination_actionitem_changelist"),
        {"action": "mark_in_progress", "_selected_action": [item.pk]},
    )
    change = item.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "open",
        "in_progress",
        officer,
    )


def test_marking_items_done_in_the_admin_asks_for_the_note_first(client, officer, gcg):
    items = factories.ActionItemFactory.create_batch(2, meeting__group=gcg)
    url = reverse("admin:coordination_actionitem_changelist")
    chosen = {"action": "mark_done", "_selected_action": [item.pk for item in items]}
    page = client.post(url, chosen)
    assert page.status_code == 200
    assert "Every owner of these items reads the note" in page.content.decode()
    refused = client.post(url, {**chosen, "apply": "1", "note": "  "})
    assert "This field is required." in refused.content.decode()
    assert not ActionItemStatusChange.objects.exists()

    client.post(url, {**chosen, "apply": "1", "note": "Report sent to all members."})
    changes = ActionItemStatusChange.objects.filter(action_item__in=items)
    assert (
        sorted(changes.values_list("to_status", "note", "changed_by"))
        == [("done", "Report sent to all members.", officer.pk)] * 2
    )


def test_marking_an_item_done_in_the_admin_starts_the_clock_of_the_item_waiting_for_it(
    client, officer, gcg
):
    share = factories.ActionItemFactory(meeting__group=gcg, due_on=None)
    feedback = factories.ActionItemFactory(
        meeting=share.meeting,
        due_on=None,
        due_days_after_trigger=14,
        trigger="receipt of the revised draft",
        trigger_action=share,
    )
    url = reverse("admin:coordination_actionitem_changelist")
    chosen = {"action": "mark_done", "_selected_action": [share.pk], "apply": "1"}
    with time_machine.travel(NOW, tick=False):
        client.post(url, {**chosen, "note": "Revised draft sent to all members."})
    feedback.refresh_from_db()
    assert feedback.triggered_at == NOW
    assert feedback.due_on == feedback.due_date_from_trigger(NOW)
    assert feedback.history.get(triggered_at=NOW).history_user == officer  # the service, with who


def test_linking_an_item_in_the_admin_to_an_action_already_done_starts_its_clock(
    client, officer, gcg
):
    share = factories.ActionItemFactory(meeting__group=gcg, due_on=None)
    with time_machine.travel(NOW, tick=False):
        services.action_item_set_status(action_item=share, status="done", by=officer, note="Sent.")
    feedback = factories.ActionItemFactory(
        meeting=share.meeting, due_on=None, due_days_after_trigger=14,
        trigger="receipt of the revised draft",
    )  # fmt: skip
    url = reverse("admin:coordination_actionitem_change", args=[feedback.pk])
    data = change_page_data(client.get(url), trigger_action=str(share.pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feedback.refresh_from_db()
    assert feedback.triggered_at == NOW  # the day the awaited action was done
    assert feedback.due_on == feedback.due_date_from_trigger(NOW)


def test_an_action_item_added_as_done_in_the_admin_records_the_change(client, officer, gcg):
    meeting = factories.MeetingFactory(group=gcg)
    url = reverse("admin:coordination_actionitem_add")
    data = change_page_data(client.get(url), title="Send the report", status="done")
    data.update({"meeting": str(meeting.pk), "order": "1", "due_on": "2018-12-31"})
    response = client.post(url, data)
    assert response.status_code == 200  # done, but nothing says what was done
    assert "Say in a few words what was done" in response.content.decode()
    assert not ActionItem.objects.filter(title="Send the report").exists()

    response = client.post(url, {**data, "status_note": "Sent on 20 December."})
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = ActionItem.objects.get(title="Send the report")
    assert item.status == "done"
    change = item.status_changes.get()
    assert (change.changed_by, change.note) == (officer, "Sent on 20 December.")


def test_a_submission_triaged_in_the_admin_is_attributed_like_on_the_site(client, officer):
    submission = InterestSubmission.objects.create(
        country="GH", institution="Ministry of Employment", contact_name="A. Mensah",
        email="a.mensah@example.org",
    )  # fmt: skip
    url = reverse("admin:pathfinders_interestsubmission_change", args=[submission.pk])
    client.post(url, change_page_data(client.get(url), status="accepted"))
    submission.refresh_from_db()
    assert submission.status == "new"  # the status field is not a door

    client.post(
        reverse("admin:pathfinders_interestsubmission_changelist"),
        {"action": "accept", "_selected_action": [submission.pk]},
    )
    submission.refresh_from_db()
    country = PathfinderCountry.objects.get(country="GH")
    assert (submission.status, submission.triaged_by, submission.pathfinder) == (
        "accepted",
        officer,
        country,
    )
    assert country.stage_changes.get().changed_by == officer


def test_reminders_are_read_only_in_the_admin(client, officer):
    assert client.get(reverse("admin:coordination_reminder_add")).status_code == 403


def test_meeting_decision_adopting_a_version_is_attributed(client, officer, gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    version = consultations.version_publish(document=document, text=TEXT, change_summary="")
    meeting = factories.MeetingFactory(group=gcg)
    response = client.post(
        reverse("admin:coordination_decision_add"),
        {"meeting": meeting.pk, "order": 1, "text": "Adopted.", "adopts_version": version.pk},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    version.refresh_from_db()
    assert version.status == "adopted"
    assert version.history.first().history_user == officer
    assert Meeting.objects.count() == 1 and Comment.objects.count() == 0


def test_the_people_admin_says_who_holds_secretariat_powers(
    client, officer, secretariat_by_permission, staff_without_permissions
):
    response = client.get(reverse("admin:coordination_user_changelist"), {"o": "1"})
    rows = {user.email: user.in_secretariat for user in response.context["cl"].result_list}
    assert rows[secretariat_by_permission.email] is True
    assert rows[staff_without_permissions.email] is False
    assert rows[officer.email] is True  # a superuser


def test_saving_a_disposed_comment_unchanged_keeps_who_disposed_it(
    client, officer, comment, gcg_member
):
    other_officer = factories.UserFactory(email="other-officer@example.org", is_superuser=True)
    consultations.comment_dispose(comment=comment, disposition="noted", reply="", by=other_officer)
    url = reverse("admin:coordination_comment_change", args=[comment.pk])
    assert client.post(url, change_page_data(client.get(url))).status_code == 302
    comment.refresh_from_db()
    assert comment.disposed_by == other_officer


def test_a_consultations_privacy_cannot_be_lifted_in_the_admin(client, officer, gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    consultation = consultations.consultation_open(
        version=version, audience=gcg, comments_private=True
    )
    url = reverse("admin:coordination_consultation_change", args=[consultation.pk])
    data = change_page_data(client.get(url))
    data.pop("comments_private", None)  # unticked
    client.post(url, data)
    consultation.refresh_from_db()
    assert consultation.comments_private


def test_a_decisions_adopted_version_stays_once_set(client, officer, gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    first = consultations.version_publish(document=document, text=TEXT, change_summary="")
    decision = Decision.objects.create(meeting=factories.MeetingFactory(group=gcg), text="Adopted.")
    consultations.version_adopt(version=first, decision=decision)
    second = consultations.version_publish(
        document=document, text=TEXT + "More.\n", change_summary=""
    )
    url = reverse("admin:coordination_decision_change", args=[decision.pk])
    client.post(url, change_page_data(client.get(url), adopts_version=str(second.pk)))
    decision.refresh_from_db()
    second.refresh_from_db()
    assert decision.adopts_version == first
    assert second.status == "draft"


def test_showing_a_country_publicly_in_the_admin_is_attributed_and_its_stage_is_fixed(
    client, officer
):
    country = PathfinderCountry.objects.create(country="MG", stage="interest")
    url = reverse("admin:pathfinders_pathfindercountry_change", args=[country.pk])
    data = change_page_data(client.get(url), is_public="on", stage="roadmap")
    assert client.post(url, data).status_code == 302
    country.refresh_from_db()
    assert (country.is_public, country.stage) == (True, "interest")
    assert country.history.first().history_user == officer


def test_an_admin_action_says_what_it_did(client, officer, gcg):
    items = [factories.ActionItemFactory(meeting__group=gcg, order=n) for n in (1, 2)]
    response = client.post(
        reverse("admin:coordination_actionitem_changelist"),
        {"action": "mark_in_progress", "_selected_action": [item.pk for item in items]},
        follow=True,
    )
    assert "2 records updated." in response.content.decode()
