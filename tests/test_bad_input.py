"""Bad input gets a clear answer, never a 500; what was typed is kept."""

import pytest
from django.urls import reverse

from pathfinders.models import PathfinderCountry

pytestmark = pytest.mark.django_db

MEETING_INLINES = ["agenda_items", "attendances", "decisions", "action_items", "annexes"]


def meeting_form(group, **fields):
    """The admin's add-meeting form as a browser posts it, with empty inlines."""
    data = {"group": group.pk, "status": "planned", "time_zone": "Europe/Zurich", **fields}
    for prefix in MEETING_INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = 0
    return data


JUNK = ["", "-1", "0", "abc", "<script>alert(1)</script>", "9" * 30, "%00", "' OR 1=1 --"]


def test_junk_query_parameters_never_cause_a_server_error(client, demo):
    client.force_login(demo["member"])
    pages = [
        reverse("meeting_list"),
        reverse("group_meetings", args=["gcg"]),
        reverse("action_item_list"),
        reverse("document_list"),
        reverse("event_list"),
        reverse("pathfinder_list"),
        reverse("dashboard"),
    ]
    for url in pages:
        for value in JUNK:
            for name in ("page", "status", "meeting", "group", "mine", "overdue"):
                response = client.get(url, {name: value})
                assert response.status_code == 200, (url, name, value)


def test_junk_in_the_consultation_pages_parameters_is_left_out_or_a_404(client, demo):
    from coordination.models import Consultation

    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    client.force_login(demo["secretariat"])
    manage = reverse("consultation_manage", args=[consultation.pk])
    names = ("page", "paragraph", "disposition", "order", "state", "responses_page")
    for value in JUNK:
        for name in names:
            assert client.get(manage, {name: value}).status_code == 200, (name, value)
        page = client.get(consultation.get_absolute_url(), {"paragraph": value, "page": value})
        assert page.status_code == (200 if value == "" else 404), value


def test_junk_in_the_path_is_a_404_in_the_layout(client, demo):
    client.force_login(demo["member"])
    for url in ["/meetings/0/", "/documents/1/v/0/", "/pathfinders/zz/", "/actions/99999999/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We could not find this page." in response.content.decode()


def test_admin_meeting_with_end_before_start_is_explained_and_kept(client, demo):
    client.force_login(demo["secretariat"])
    response = client.post(
        reverse("admin:coordination_meeting_add"),
        meeting_form(
            demo["meeting"].group,
            number=5,
            status="confirmed",
            objective="Typed objective",
            city="Geneva",
            starts_on="2019-04-10",
            ends_on="2019-04-09",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The meeting cannot end before it starts." in page
    assert "Typed objective" in page


def test_admin_refuses_a_duplicate_meeting_number_with_a_message(client, demo):
    client.force_login(demo["secretariat"])
    response = client.post(
        reverse("admin:coordination_meeting_add"),
        meeting_form(demo["meeting"].group, number=3),
    )
    assert response.status_code == 200
    assert "Meeting with this Group and Number already exists." in response.content.decode()


def test_admin_rejects_an_unknown_time_zone(client, demo):
    client.force_login(demo["secretariat"])
    response = client.post(
        reverse("admin:coordination_meeting_add"),
        meeting_form(demo["meeting"].group, number=6, time_zone="Europe/Geneva"),
    )
    assert "“Europe/Geneva” is not a known time zone." in response.content.decode()


def test_the_admin_page_does_not_move_a_stage_the_country_page_does_with_who(client, demo):
    country = PathfinderCountry.objects.get(country="PE")
    client.force_login(demo["secretariat"])
    url = reverse("admin:pathfinders_pathfindercountry_change", args=[country.pk])
    data = {
        "country": "PE",
        "stage": "formal_request",
        "notes": country.notes,
        "is_public": "on",
        "stage_changed_at_0": "2018-11-28",
        "stage_changed_at_1": "12:00:00",
        **{f"{prefix}-TOTAL_FORMS": 0 for prefix in PATHFINDER_INLINES},
        **{f"{prefix}-INITIAL_FORMS": 0 for prefix in PATHFINDER_INLINES},
    }
    data["workshops-TOTAL_FORMS"] = data["workshops-INITIAL_FORMS"] = 1
    data["workshops-0-id"] = country.workshops.get().pk
    data["workshops-0-country"] = country.pk
    data["workshops-0-title"] = "National Strategic Workshop"
    data["workshops-0-status"] = "planned"
    data["workshops-0-tentative_period"] = "2019"
    data["stage_changes-INITIAL_FORMS"] = data["stage_changes-TOTAL_FORMS"] = 1
    data["stage_changes-0-id"] = country.stage_changes.get().pk
    data["stage_changes-0-country"] = country.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    country.refresh_from_db()
    assert country.stage == "interest"  # read-only there: a stale page cannot move it back
    client.post(
        reverse("pathfinder_stage", args=["PE"]),
        {"stage": "formal_request", "is_public": "on", "note": "Letter received."},
    )
    country.refresh_from_db()
    assert country.stage == "formal_request"
    change = country.stage_changes.latest("pk")
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        "interest",
        "formal_request",
        demo["secretariat"],
    )


PATHFINDER_INLINES = ["stage_changes", "workshops", "roadmap"]
