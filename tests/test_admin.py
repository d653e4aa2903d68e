"""The secretariat works in the admin: every changelist and change page renders with demo data."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from coordination.models import ActionItem, Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_admin_page_renders_with_demo_data(client, demo, rf):
    client.force_login(demo["secretariat"])
    request = rf.get("/admin/")
    request.user = demo["secretariat"]
    failures = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [reverse(f"{prefix}_changelist")]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{prefix}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append(reverse(f"{prefix}_change", args=[obj.pk]))
            if hasattr(model_admin, "history_view"):
                pages.append(reverse(f"{prefix}_history", args=[obj.pk]))
        for url in pages:
            status = client.get(url).status_code
            if status != 200:
                failures.append(f"{url}: {status}")
    assert not failures, "\n".join(failures)


def test_admin_search_and_filters_work(client, demo):
    client.force_login(demo["secretariat"])
    url = reverse("admin:coordination_actionitem_changelist")
    page = client.get(url, {"q": "Guidance Note", "status__exact": "open"}).content.decode()
    assert "Provide feedback on the Pathfinder Country Guidance Note" in page
    assert "Meet to draft a communications strategy" not in page


def test_status_changed_in_the_admin_is_recorded_with_who(client, demo):
    item = ActionItem.objects.get(meeting=demo["meeting"], order=2)
    client.force_login(demo["secretariat"])
    url = reverse("admin:coordination_actionitem_changelist")
    chosen = {"action": "mark_done", "_selected_action": [item.pk]}
    client.post(url, chosen)  # the page asking for the note
    client.post(url, {**chosen, "apply": "1", "note": "Strategy drafted."})
    item.refresh_from_db()
    assert item.status == "done"
    change = item.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "open",
        "done",
        demo["secretariat"],
        "Strategy drafted.",
    )


def test_secretariat_invites_a_person_from_the_admin(client, demo, delivered):
    person = Person.objects.create(full_name="Ana Pérez", email="ana@example.org")
    client.force_login(demo["secretariat"])
    response = client.post(
        reverse("admin:coordination_person_changelist"),
        {"action": "invite", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "1 invitation recorded; it goes out within a minute." in response.content.decode()
    assert len(delivered()) == 1
    assert delivered()[0].to == ["ana@example.org"]
    person.refresh_from_db()
    assert person.user.email == "ana@example.org"
    assert not person.user.has_usable_password()


def test_meeting_changes_keep_an_audit_history(client, demo):
    meeting = demo["meeting"]
    meeting.venue = "ILO headquarters"
    meeting.save()
    client.force_login(demo["secretariat"])
    page = client.get(reverse("admin:coordination_meeting_history", args=[meeting.pk]))
    assert page.status_code == 200
    assert meeting.history.count() == 2


def test_the_date_drill_down_lists_every_year_from_the_first_to_the_last(client, secretariat):
    for due_on in (datetime.date(2018, 3, 1), datetime.date(2020, 5, 1), datetime.date(2020, 7, 1)):
        factories.ActionItemFactory(due_on=due_on)
    client.force_login(secretariat)
    url = reverse("admin:coordination_actionitem_changelist")

    page = client.get(url).content.decode()
    assert [f"?due_on__year={year}" in page for year in (2017, 2018, 2019, 2020, 2021)] == [
        False, True, True, True, False,
    ]  # fmt: skip
    year = client.get(url, {"due_on__year": "2020"}).content.decode()
    assert "May 2020" in year and "July 2020" in year and "June 2020" not in year


def test_the_date_drill_down_opens_the_only_year_at_once(client, secretariat):
    for due_on in (datetime.date(2020, 5, 1), datetime.date(2020, 7, 1)):
        factories.ActionItemFactory(due_on=due_on)
    client.force_login(secretariat)

    page = client.get(reverse("admin:coordination_actionitem_changelist")).content.decode()
    assert "All dates" in page and "May 2020" in page and "July 2020" in page
