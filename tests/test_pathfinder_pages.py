"""A country's page is where the secretariat works on it: the dates its stages imply, its
workshops and roadmap, and the interest form it came from; triage decides nothing by itself."""

import datetime

import pytest
from django.urls import reverse

from pathfinders.models import InterestSubmission, NationalWorkshop, PathfinderCountry, Roadmap
from tests.test_public_forms import submitted, triage

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenya(db):
    return PathfinderCountry.objects.create(country="KE", stage="interest")


def move(client, stage, on=""):
    return client.post(
        reverse("pathfinder_stage", args=["KE"]), {"stage": stage, "on": on}, follow=True
    )


def test_a_stage_move_sets_the_date_it_implies_once(client, secretariat, kenya):
    client.force_login(secretariat)
    page = move(client, "formal_request", "2019-03-04").content.decode()
    kenya.refresh_from_db()
    assert kenya.request_received_on == datetime.date(2019, 3, 4)
    assert "4 March 2019" in page
    move(client, "interest")
    move(client, "formal_request", "2020-01-01")  # back and forth: the known date stays
    kenya.refresh_from_db()
    assert kenya.request_received_on == datetime.date(2019, 3, 4)

    move(client, "rc_engaged")
    move(client, "roadmap_adopted", "2021-06-30")
    kenya.refresh_from_db()
    assert kenya.resident_coordinator_engaged_on is not None  # today, as nothing was given
    assert Roadmap.objects.get(country=kenya).adopted_on == datetime.date(2021, 6, 30)


def test_workshops_are_added_and_edited_from_the_country_page(client, secretariat, kenya):
    client.force_login(secretariat)
    page = client.get(kenya.get_absolute_url()).content.decode()
    assert reverse("workshop_add", args=["KE"]) in page
    response = client.post(
        reverse("workshop_add", args=["KE"]),
        {"title": "National Strategic Workshop", "status": "planned", "city": "Nairobi",
         "tentative_period": "June 2019"},
        follow=True,
    )  # fmt: skip
    assert "June 2019, Nairobi" in response.content.decode()
    workshop = NationalWorkshop.objects.get(country=kenya)
    assert workshop.history.first().history_user == secretariat

    client.post(
        reverse("workshop_edit", args=["KE", workshop.pk]),
        {"title": "National Strategic Workshop", "status": "held", "city": "Nairobi",
         "starts_on": "2019-06-11", "ends_on": "2019-06-12", "participants_count": "85"},
    )  # fmt: skip
    workshop.refresh_from_db()
    assert (workshop.status, workshop.participants_count) == ("held", 85)


def test_a_refused_workshop_keeps_what_was_typed_with_the_error_at_its_field(
    client, secretariat, kenya
):
    client.force_login(secretariat)
    response = client.post(
        reverse("workshop_add", args=["KE"]),
        {"title": "Validation workshop", "status": "held", "city": "Mombasa",
         "organisers": "Ministry of Labour and ILO"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Validation workshop"' in page and 'value="Ministry of Labour and ILO"' in page
    assert 'id="error_1_id_starts_on"' in page  # crispy ties the error to its field
    assert "A held workshop needs its date." in page
    assert not NationalWorkshop.objects.exists()


def test_the_roadmap_is_written_from_the_country_page(client, secretariat, kenya):
    client.force_login(secretariat)
    client.post(
        reverse("roadmap_edit", args=["KE"]),
        {"adopted_on": "2020-02-20", "priorities": "- Birth registration\n- Labour inspection"},
    )
    page = client.get(kenya.get_absolute_url()).content.decode()
    assert "Adopted on 20 February 2020." in page
    assert "<li>Labour inspection</li>" in page


def test_members_cannot_edit_workshops_or_roadmaps(client, gcg_member, kenya):
    client.force_login(gcg_member)
    assert client.get(reverse("workshop_add", args=["KE"])).status_code == 403
    assert client.post(reverse("roadmap_edit", args=["KE"]), {}).status_code == 403
    page = client.get(kenya.get_absolute_url())
    assert "Add a workshop" not in page.content.decode()


def test_the_accepted_form_shows_its_contact_on_the_country_page_and_links_to_it(
    client, secretariat, gcg_member
):
    submission = submitted("KE", phone="+254 20 000 000", message="We wish to join.")
    client.force_login(secretariat)
    page = triage(client, submission, "accept").content.decode()
    country = PathfinderCountry.objects.get(country="KE")
    assert f'href="{country.get_absolute_url()}">Open the country&#x27;s page</a>' in page
    page = client.get(country.get_absolute_url()).content.decode()
    assert "c@example.org" in page and "+254 20 000 000" in page and "We wish to join." in page

    client.force_login(gcg_member)  # members see the country, not the people who wrote
    assert "c@example.org" not in client.get(country.get_absolute_url()).content.decode()


def test_triage_presets_no_decision_and_says_how_many_wait(client, secretariat):
    submitted("KE")
    submitted("GH")
    client.force_login(secretariat)
    page = client.get(reverse("pathfinder_triage")).content.decode()
    assert "2 submissions wait for a decision." in page
    choices = page.split("<select")[1].split("</select>")[0]
    assert choices.count("selected") == 1 and 'value="" selected>Choose…' in choices


def test_a_refused_decision_keeps_the_reason_typed_next_to_its_field(client, secretariat):
    submission = submitted("KE")
    client.force_login(secretariat)
    response = client.post(
        reverse("pathfinder_triage_submission", args=[submission.pk]),
        {f"{submission.pk}-action": "", f"{submission.pk}-reason": "A letter came by post"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="error_1_id_{submission.pk}-action"' in page
    assert "Choose a decision first." in page
    assert 'value="A letter came by post"' in page
    assert InterestSubmission.objects.get().status == "new"
