"""load_demo: every fact of the 3rd GCG meeting report is a record, and loading is idempotent."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actiongroups.models import ActionGroup
from coordination.models import (
    ActionItem,
    Annex,
    Attendance,
    Decision,
    Event,
    Meeting,
    Organisation,
    Person,
    User,
)
from pathfinders.models import NationalWorkshop, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

FORMAL_REQUESTS = {
    "Albania", "Chile", "Fiji", "Madagascar", "Malawi", "Mauritania", "Mexico", "Morocco",
    "Nepal", "Nigeria", "Sri Lanka", "Tunisia", "Uganda", "Vietnam",
}  # fmt: skip
WORKSHOPS_2019 = {"Nigeria", "Uganda", "Albania", "Nepal", "Chile", "Sri Lanka", "Peru", "Vietnam"}


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("coordination", "pathfinders", "actiongroups")
    }


def test_the_three_meetings_of_the_gcg(demo):
    meetings = {m.number: m for m in Meeting.objects.filter(group__slug="gcg")}
    third = meetings[3]
    assert (third.city, third.starts_on, third.status) == (
        "Geneva",
        datetime.date(2018, 11, 28),
        "held",
    )
    assert third.objective.startswith("Reassess the progress made by the Secretariat")
    assert (meetings[2].city, meetings[2].dates_display) == ("New York", "July 2018")
    assert meetings[4].city == "New York"
    assert meetings[4].dates_display == "March or April 2019, tbc"
    assert meetings[4].status == "planned"


def test_the_ten_agenda_items_with_their_minutes(demo):
    items = list(demo["meeting"].agenda_items.all())
    assert [i.numeral for i in items] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
    ]
    assert items[1].title == "Terms of Reference"
    assert "the word “inaugural” has been removed" in items[1].minutes
    assert "Supply Chain Action Group" in items[2].minutes
    assert "25th October 2018" in items[4].minutes
    assert "video presentation on the Delta 8.7 website" in items[5].minutes


def test_the_terms_of_reference_adopted_by_decision(demo):
    decision = Decision.objects.get(meeting=demo["meeting"], adopts_version__isnull=False)
    assert decision.text == "The Terms of Reference were adopted."
    assert decision.agenda_item.order == 2
    version = decision.adopts_version
    assert (version.number, version.status) == (2, "adopted")
    assert version.document.versions.get(number=1).status == "superseded"
    for change in ("rotated according to the wishes", "“inaugural”", "survivors/victims"):
        assert change in version.change_summary


def test_the_four_action_points(demo):
    items = list(ActionItem.objects.filter(meeting=demo["meeting"]).order_by("order"))
    assert len(items) == 4
    guidance = items[0]
    assert guidance.due_days_after_trigger == 14
    assert guidance.trigger == "receipt of the revised draft"
    assert guidance.trigger_document.title == "Pathfinder Country Guidance Note"
    # The demo shares the revised draft when it loads: the two weeks start then.
    revised = guidance.trigger_document.versions.get(number=2)
    assert guidance.triggered_at == revised.shared_at
    assert guidance.due_on == timezone.localdate(revised.shared_at) + datetime.timedelta(days=14)
    assert [g.slug for g in guidance.owner_groups.all()] == ["gcg"]
    assert [g.slug for g in items[1].owner_groups.all()] == ["communications"]
    assert "further in advance" in items[2].details
    assert "4th GCG meeting" in items[3].title


def test_the_annexes_participants_and_people(demo):
    annexes = list(Annex.objects.filter(meeting=demo["meeting"]))
    assert [a.label for a in annexes] == ["Annex I", "Annex II", "Annex III"]
    assert all(a.file for a in annexes)
    assert "Madagascar" in annexes[1].title
    tandra = Person.objects.get(full_name="Hyacinth Hermann Tandra")
    assert tandra.position == "Director General for Labour and Social Law"
    assert Attendance.objects.get(meeting=demo["meeting"], person=tandra).status == "present"
    assert Attendance.objects.get(organisation__acronym="UNU").status == "apologies"
    named = {
        "ILO",
        "OECD",
        "World Bank",
        "IOM",
        "UNICEF",
        "UNU",
        "Walk Free",
        "IOE",
        "ITUC",
        "DFID",
        "G20",
    }
    assert named <= set(Organisation.objects.values_list("acronym", flat=True))


def test_the_five_action_groups(demo):
    groups = {ag.group.slug: ag for ag in ActionGroup.objects.select_related("group")}
    assert set(groups) == {
        "supply-chains", "migration", "rule-of-law", "conflict-humanitarian", "communications"
    }  # fmt: skip
    assert groups["supply-chains"].chair_display == "ILO"
    assert groups["migration"].chair_display == "IOM"
    assert groups["communications"].run_by_secretariat
    assert groups["supply-chains"].activities.count() == 5
    assert groups["migration"].activities.get(kind="workshop").starts_on == datetime.date(
        2018, 11, 29
    )


def test_the_pathfinder_pipeline(demo):
    countries = {c.country.name: c for c in PathfinderCountry.objects.all()}
    with_request = {name for name, c in countries.items() if c.stage != "interest"}
    assert with_request == FORMAL_REQUESTS
    assert countries["Peru"].stage == "interest"
    assert countries["Madagascar"].stage == "workshop_held"
    held = NationalWorkshop.objects.get(status="held")
    assert (held.country.country.name, held.starts_on) == (
        "Madagascar",
        datetime.date(2018, 10, 25),
    )
    assert held.report_annex.label == "Annex II"
    planned = {w.country.country.name for w in NationalWorkshop.objects.filter(status="planned")}
    assert planned == WORKSHOPS_2019
    assert countries["Madagascar"].stage_changes.count() == 3


def test_the_three_upcoming_events(demo):
    events = {e.title: e for e in Event.objects.all()}
    assert set(events) == {
        "NGO Forum",
        "Expert group meeting on SDG 8",
        "High Level Political Forum",
    }
    assert events["NGO Forum"].city == "Bangkok"
    assert events["NGO Forum"].dates_display == "3–5 December 2018"
    assert events["High Level Political Forum"].dates_display == "July 2019"


def test_loading_twice_changes_nothing(settings):
    settings.DEBUG = True  # with the demo accounts
    call_command("load_demo", stdout=io.StringIO())
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
    assert before["coordination.User"] == 3


def test_loading_into_a_database_with_other_data_leaves_it_alone(settings):
    meeting = factories.MeetingFactory(group__slug="other", number=3, city="Bangkok")
    organisation = factories.OrganisationFactory(
        name="International Labour Organization", acronym=""
    )
    call_command("load_demo", stdout=io.StringIO())
    meeting.refresh_from_db()
    organisation.refresh_from_db()
    assert meeting.city == "Bangkok"
    assert organisation.acronym == ""
    assert Meeting.objects.filter(group__slug="gcg").count() == 3


def test_no_demo_accounts_when_debug_is_off():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert not User.objects.exists()
    assert "no demo accounts" in out.getvalue()


def test_demo_accounts_are_printed_and_cannot_log_in_with_debug_off(client, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "member@demo.alliance87.invalid" in out.getvalue()
    assert "demo-member-87" in out.getvalue()
    credentials = {"username": "member@demo.alliance87.invalid", "password": "demo-member-87"}
    assert client.post(reverse("login"), credentials).status_code == 302  # signed in

    settings.DEBUG = False
    client.logout()
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
    from django.core.checks import run_checks

    assert "coordination.E001" in [e.id for e in run_checks(include_deployment_checks=True)]


def test_the_terms_of_reference_consultation_with_its_three_points(demo):
    from coordination.models import Consultation

    consultation = Consultation.objects.get(version__document__kind="terms_of_reference")
    comments = {c.paragraph: c for c in consultation.comments.select_related("author")}
    assert "rotate" in comments["2"].text
    assert comments["2"].disposition == "partly"
    assert "“inaugural” should go" in comments["1"].text
    assert (comments["1"].disposition, comments["1"].answered_in_paragraph) == ("accepted", "2")
    assert "survivors" in comments["3"].text
    assert consultation.dispositions_published
    assert consultation.no_comment_statements.get().person.full_name == "Representative of the ITUC"


def test_the_guidance_note_is_out_for_a_fourteen_day_consultation(demo):
    from coordination.models import Consultation

    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    assert consultation.version.number == 2
    assert consultation.audience.slug == "gcg"
    assert consultation.is_open(timezone.now())
    days = (
        timezone.localdate(consultation.closes_at) - timezone.localdate(consultation.opens_at)
    ).days
    assert days == 14
