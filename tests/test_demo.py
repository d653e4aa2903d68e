"""load_demo: the demo says what the 3rd GCG meeting report says, checked against the
report's own text (tests/seed/, a copy of the shared seed); what it adds to make a flow
tryable is marked illustrative and written by no real organisation; loading is idempotent."""

import datetime
import io
import re
import zoneinfo
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actiongroups.models import ActionGroup, Activity
from coordination import services
from coordination.demo import EXAMPLE_ORGANISATION, NO_OWNER_NAMED
from coordination.models import (
    ActionItem,
    ActionItemStatusChange,
    Annex,
    Attendance,
    Comment,
    Decision,
    DocumentVersion,
    Event,
    Meeting,
    Organisation,
    Person,
    User,
)
from pathfinders.models import InterestSubmission, NationalWorkshop, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

REPORT = (Path(__file__).parent / "seed" / "gcg-3-meeting-report-2018-11-28.md").read_text()
NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ILLUSTRATIVE = "Illustrative example — not part of the record"

FORMAL_REQUESTS = {
    "Albania", "Chile", "Fiji", "Madagascar", "Malawi", "Mauritania", "Mexico", "Morocco",
    "Nepal", "Nigeria", "Sri Lanka", "Tunisia", "Uganda", "Vietnam",
}  # fmt: skip
WORKSHOPS_2019 = {"Nigeria", "Uganda", "Albania", "Nepal", "Chile", "Sri Lanka", "Peru", "Vietnam"}


def plain_lines(markdown: str) -> list[str]:
    """Markdown as the lines a reader reads: no headings' or lists' marks, emphasis,
    superscripts, escapes or link targets."""
    text = re.sub(r"</?sup>", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\", "").replace("**", "")
    lines = (re.sub(r"^\s*(#+|-|\d+\.)\s*", "", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


REPORT_LINES = plain_lines(REPORT)
REPORT_TEXT = " ".join(REPORT_LINES)


def report_agenda() -> list[tuple[str, str]]:
    """The lines under the report's “Agenda:”, as (numeral, title)."""
    start = REPORT_LINES.index("Agenda:") + 1
    end = REPORT_LINES.index("Action points for follow up")
    return [tuple(line.split(". ", 1)) for line in REPORT_LINES[start:end]]


def report_sections() -> dict[str, list[str]]:
    """The report's numbered sections after “Action points for follow up”: numeral → lines."""
    sections, numeral = {}, None
    for line in REPORT_LINES[REPORT_LINES.index("Action points for follow up") + 1 :]:
        head, dot, _title = line.partition(". ")
        if dot and head in NUMERALS:
            numeral = head
            sections[numeral] = []
        elif numeral:
            sections[numeral].append(line)
    return sections


def own_words(details: str) -> str:
    """An action item's details without the demo's note that the report names no owner."""
    return details.removesuffix(NO_OWNER_NAMED).strip()


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


def test_the_agenda_is_the_reports_nine_items(demo):
    items = [(i.numeral, i.title) for i in demo["meeting"].agenda_items.all()]
    assert items == report_agenda()
    assert len(items) == 9  # “X. Action Items” is a section of the report, not on its agenda


def test_the_minutes_of_each_item_are_the_reports_section(demo):
    sections = report_sections()
    for item in demo["meeting"].agenda_items.all():
        assert plain_lines(item.minutes) == sections[item.numeral], item.numeral


def test_the_video_sentence_is_in_the_minutes_without_a_link(demo):
    delta = demo["meeting"].agenda_items.get(title="Progress on Delta 8.7 Knowledge Platform")
    sentence = "A link to the video can be found here."
    assert sentence in REPORT_TEXT
    assert sentence in delta.minutes
    assert "](" not in delta.minutes and "http" not in delta.minutes  # the report gives none


def test_the_terms_of_reference_adopted_by_decision(demo):
    decision = Decision.objects.get(meeting=demo["meeting"], adopts_version__isnull=False)
    assert decision.text == "The Terms of Reference were adopted."
    assert decision.agenda_item.order == 2
    version = decision.adopts_version
    assert (version.number, version.status) == (2, "adopted")
    assert version.document.versions.get(number=1).status == "superseded"
    for change in ("rotated according to the wishes", "“inaugural”", "survivors/victims"):
        assert change in version.change_summary


def owners(item) -> tuple[list[str], list[str], list[str]]:
    return (
        [str(p) for p in item.owner_people.all()],
        [o.acronym for o in item.owner_organisations.all()],
        [g.slug for g in item.owner_groups.all()],
    )


def test_section_x_is_four_action_points_in_the_reports_words_and_order(demo):
    items = ActionItem.objects.filter(meeting=demo["meeting"], agenda_item=None).order_by("order")
    assert [own_words(i.details) for i in items] == report_sections()["X"]
    assert [owners(i) for i in items] == [
        ([], [], ["gcg"]),  # “Participants”: the GCG's members
        ([], [], ["communications"]),  # “Communications Action Group to meet”
        ([], [], []),  # the report names no owner
        ([], [], []),
    ]
    assert items[3].due_on == datetime.date(2019, 4, 30)  # “March or April 2019, tbc”
    assert "March or April 2019, tbc" in items[3].title


@pytest.mark.parametrize(
    "title, numeral, owned_by",
    [
        ("Share the revised draft of the Pathfinder Country Guidance Note", "IV", ["Secretariat"]),
        ("Finalise the Pathfinder Country Guidance Note", "IV", []),
        ("Establish a more systematic communications strategy", "III", ["Secretariat"]),
        ("Allow more consultation time on Action Group activities", "III", []),
        ("Inform the IOE and ITUC of initiatives undertaken by other UN agencies", "IV", []),
    ],
)
def test_the_minutes_commitments_are_action_points_with_the_reports_owners(
    demo, title, numeral, owned_by
):
    item = ActionItem.objects.get(meeting=demo["meeting"], title=title)
    assert item.agenda_item.numeral == numeral
    words = own_words(item.details)
    assert words in " ".join(report_sections()[numeral])
    assert owners(item) == ([], owned_by, [])
    if not owned_by:
        assert item.details.endswith(NO_OWNER_NAMED)  # said, not guessed
    elif owned_by == ["Secretariat"]:
        assert "Secretariat" in words  # the report says who


def test_the_two_weeks_start_when_the_secretariat_has_shared_the_revised_draft(demo):
    meeting = demo["meeting"]
    feedback = ActionItem.objects.get(meeting=meeting, order=1)
    share = ActionItem.objects.get(
        meeting=meeting, title="Share the revised draft of the Pathfinder Country Guidance Note"
    )
    assert "two weeks after receipt of the revised draft" in REPORT_TEXT
    assert (feedback.due_days_after_trigger, feedback.trigger) == (
        14,
        "receipt of the revised draft",
    )
    assert feedback.trigger_action == share
    # The demo records the sharing as done as it loads, saying so: the clock starts then.
    assert share.status == "done"
    change = share.status_changes.get()
    assert change.is_illustrative
    assert feedback.triggered_at == share.status_changed_at
    shared_on = timezone.localtime(share.status_changed_at, zoneinfo.ZoneInfo("Europe/Zurich"))
    assert feedback.due_on == shared_on.date() + datetime.timedelta(days=14)


def test_the_demo_adds_only_illustrative_records_by_no_real_organisation(demo):
    example = Organisation.objects.get(name=EXAMPLE_ORGANISATION)
    comments = Comment.objects.all()
    assert comments.exists()
    assert all(c.is_illustrative for c in comments)
    assert {c.author.organisation for c in comments} == {example}
    assert all(p.organisation == example for p in Person.objects.filter(user__isnull=False))
    assert example.name not in REPORT and "Example" not in REPORT
    # the texts the report does not give are illustrative
    illustrative = {
        (v.document.title, v.number) for v in DocumentVersion.objects.filter(is_illustrative=True)
    }
    assert illustrative == {
        ("Terms of Reference of Alliance 8.7 and the Global Coordinating Group", 1),
        ("Pathfinder Country Guidance Note", 1),
        ("Pathfinder Country Guidance Note", 2),
        ("Supply Chain Action Group concept note", 1),
    }
    # the one version the report records: the Terms of Reference it adopted
    assert DocumentVersion.objects.filter(is_illustrative=False).get().status == "adopted"
    assert list(ActionItemStatusChange.objects.filter(is_illustrative=False)) == []
    submissions = InterestSubmission.objects.all()
    assert all(s.is_illustrative for s in submissions)
    assert "Example" in " ".join(s.institution for s in submissions if s.status != "spam")


def test_illustrative_records_say_so_on_their_pages(client, demo):
    client.force_login(demo["secretariat"])
    tor_draft = DocumentVersion.objects.get(document__kind="terms_of_reference", number=1)
    revised = DocumentVersion.objects.get(document__kind="guidance_note", number=2)
    share = ActionItem.objects.get(title__startswith="Share the revised draft")
    for url in (
        tor_draft.get_absolute_url(),
        tor_draft.consultations.get().get_absolute_url(),
        revised.get_absolute_url(),
        share.get_absolute_url(),
        share.following_action_items.get().get_absolute_url(),  # its clock, started by it
        demo["meeting"].get_absolute_url(),  # the sharing's row in section X
        reverse("action_item_list") + "?status=done",
        reverse("pathfinder_triage"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert ILLUSTRATIVE in response.content.decode(), url
    adopted = DocumentVersion.objects.get(document__kind="terms_of_reference", number=2)
    assert ILLUSTRATIVE not in client.get(adopted.get_absolute_url()).content.decode()


def test_the_report_page_has_the_reports_headings_and_links(client, demo):
    client.force_login(demo["member"])
    page = client.get(demo["meeting"].get_absolute_url()).content.decode()
    assert "Action points for follow up" in REPORT_LINES
    assert '<h2 id="minutes">Action points for follow up</h2>' in page
    assert "X. Action Items" in REPORT_LINES
    assert '<h3 id="action-points">X. Action items</h3>' in page
    for text, _href in re.findall(r"\[([^\]]+)\]\((https?://[^)]+)\)", REPORT):
        text = text.replace("\\", "")
        assert f">{text}</a>" in page, text
    assert 'href="https://www.alliance87.org"' in page
    assert 'href="https://twitter.com/Alliance8_7"' in page


def test_the_reports_approximate_dates_are_periods_with_their_wording(demo):
    for when, starts_on, ends_on in [
        ("early 2019", datetime.date(2019, 1, 1), datetime.date(2019, 4, 30)),
        ("March 2019", datetime.date(2019, 3, 1), datetime.date(2019, 3, 31)),
    ]:
        assert when in REPORT_TEXT
        activity = Activity.objects.get(when=when)
        assert (activity.starts_on, activity.ends_on) == (starts_on, ends_on)
    # a deadline without a start: kept as the report words it
    assert "by September 2019" in REPORT_TEXT
    assert Activity.objects.get(when="by September 2019").ends_on is None


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


def test_the_terms_of_reference_consultation_is_illustrative_and_says_the_reports_changes(
    demo,
):
    from coordination.models import Consultation

    consultation = Consultation.objects.get(version__document__kind="terms_of_reference")
    assert consultation.version.is_illustrative
    comments = {c.paragraph: c for c in consultation.comments.select_related("author")}
    assert "rotated according to the wishes of the group, if at all" in comments["2"].text
    assert "“inaugural”" in comments["1"].text
    assert "survivors/victims" in comments["3"].text
    assert "every two years" not in " ".join(c.text for c in comments.values())
    assert {c.disposition for c in comments.values()} == {"accepted"}
    assert {c.author.full_name for c in comments.values()} == {
        "Example member A",
        "Example member B",
        "Example member C",
    }
    assert consultation.dispositions_published
    assert not consultation.no_comment_statements.exists()


def test_the_guidance_note_is_out_for_a_fourteen_day_consultation(demo):
    from coordination.models import Consultation

    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    assert consultation.version.number == 2
    assert consultation.version.is_illustrative
    assert consultation.audience.slug == "gcg"
    assert consultation.is_open(timezone.now())
    days = (
        timezone.localdate(consultation.closes_at) - timezone.localdate(consultation.opens_at)
    ).days
    assert days == 14


def test_section_x_on_the_page_lists_only_the_reports_four_and_the_minutes_keep_theirs(
    client, demo
):
    client.force_login(demo["member"])
    page = client.get(demo["meeting"].get_absolute_url()).content.decode()
    section_x = page.split('<section id="action-items"', 1)[1].split("</section>", 1)[0]
    in_x = ActionItem.objects.filter(meeting=demo["meeting"], agenda_item=None)
    commitments = ActionItem.objects.filter(meeting=demo["meeting"], agenda_item__isnull=False)
    assert in_x.count() == 4 and commitments.count() == 5
    assert all(escape(item.title) in section_x for item in in_x)
    assert not any(escape(item.title) in section_x for item in commitments)
    for item in commitments:  # under the minutes of their own agenda item
        minutes = page.split(f'<section id="{item.agenda_item.anchor}"', 1)[1]
        assert escape(item.title) in minutes.split("</section>", 1)[0]


def test_a_real_status_change_after_the_demos_is_the_records_again(client, demo):
    share = ActionItem.objects.get(title__startswith="Share the revised draft")
    client.force_login(demo["secretariat"])
    row = re.compile(rf"{re.escape(escape(share.title))}</a>.*?</li>", re.S)
    page = client.get(demo["meeting"].get_absolute_url()).content.decode()
    assert ILLUSTRATIVE in row.search(page).group(0)
    services.action_item_set_status(action_item=share, status="open", by=demo["secretariat"])
    page = client.get(demo["meeting"].get_absolute_url()).content.decode()
    assert ILLUSTRATIVE not in row.search(page).group(0)
