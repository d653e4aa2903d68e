"""The admin's meeting page: one line per agenda item, attendee, decision, action point and
annex, every control in those tables named for a screen reader, and saving it unchanged
changes nothing."""

from html.parser import HTMLParser

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from coordination import consultations
from coordination.models import (
    ActionItem,
    ActionItemStatusChange,
    AgendaItem,
    Annex,
    Attendance,
    Decision,
    DocumentVersion,
    Meeting,
)
from tests import factories
from tests.admin_pages import change_page_data

pytestmark = pytest.mark.django_db

TABLES = ["agenda_items", "attendances", "decisions", "action_items", "annexes"]


class Controls(HTMLParser):
    """The page's form controls: {name: attributes}."""

    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and "name" in attrs:
            self.found[attrs["name"]] = attrs


def controls(response) -> dict[str, dict]:
    parser = Controls()
    parser.feed(response.content.decode())
    return parser.found


def meeting_state(meeting) -> dict:
    """Everything the meeting page can write, as stored."""
    return {
        "meeting": model_to_dict(Meeting.objects.get(pk=meeting.pk)),
        **{
            model.__name__: sorted(
                (model_to_dict(row) for row in model.objects.filter(meeting=meeting)),
                key=lambda row: row["id"],
            )
            for model in (AgendaItem, Attendance, Decision, ActionItem, Annex)
        },
        "status changes": ActionItemStatusChange.objects.count(),
        "versions": list(DocumentVersion.objects.values_list("pk", "status").order_by("pk")),
    }


@pytest.fixture
def meeting_url(client, demo):
    client.force_login(demo["secretariat"])
    return reverse("admin:coordination_meeting_change", args=[demo["meeting"].pk])


def test_saving_the_meeting_page_unchanged_changes_nothing(client, demo, meeting_url):
    meeting = demo["meeting"]
    before = meeting_state(meeting)
    response = client.post(meeting_url, change_page_data(client.get(meeting_url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert meeting_state(meeting) == before


def test_a_decision_added_on_the_meeting_page_adopts_its_version_through_the_service(
    client, demo, meeting_url
):
    meeting = demo["meeting"]
    document = factories.DocumentFactory(owner_group=meeting.group)
    version = consultations.version_publish(document=document, text="Text.", change_summary="")
    data = change_page_data(client.get(meeting_url))
    row = int(data["decisions-TOTAL_FORMS"])
    data.update({
        "decisions-TOTAL_FORMS": str(row + 1),
        f"decisions-{row}-order": "2",
        f"decisions-{row}-text": "The work plan was adopted.",
        f"decisions-{row}-adopts_version": str(version.pk),
    })  # fmt: skip
    response = client.post(meeting_url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    version.refresh_from_db()
    assert version.status == DocumentVersion.Status.ADOPTED
    assert version.history.first().history_user == demo["secretariat"]


def test_each_control_in_the_meeting_pages_tables_says_its_column_and_row(
    client, demo, meeting_url
):
    found = controls(client.get(meeting_url))
    in_tables = {
        name: attrs
        for name, attrs in found.items()
        if name.split("-")[0] in TABLES and attrs.get("type") != "hidden"
    }
    assert len(in_tables) > 36  # the 36 unnamed attendance controls, and the rest
    assert [name for name, attrs in in_tables.items() if not attrs.get("aria-label")] == []

    attendance = Attendance.objects.filter(meeting=demo["meeting"])
    for index, row in enumerate(attendance):  # in the page's order
        assert found[f"attendances-{index}-id"]["value"] == str(row.pk)
        assert found[f"attendances-{index}-status"]["aria-label"] == f"Status – {row}"
        assert found[f"attendances-{index}-DELETE"]["aria-label"] == f"Delete – {row}"
    # the template row the “Add another” button copies
    assert found["attendances-__prefix__-status"]["aria-label"] == "Status – new row"


def test_the_meeting_page_shows_one_line_per_record_and_the_details_elsewhere(
    client, demo, meeting_url
):
    found = controls(client.get(meeting_url))
    assert "agenda_items-0-title" in found and "agenda_items-0-minutes" not in found
    assert "action_items-0-due_on" in found and "action_items-0-status" not in found
    assert "action_items-0-trigger" not in found
    assert "annexes-0-title" in found and "annexes-0-file" not in found


def test_an_agenda_items_minutes_are_written_on_its_own_page(client, demo):
    client.force_login(demo["secretariat"])
    item = AgendaItem.objects.filter(meeting=demo["meeting"]).order_by("order").first()
    other = Meeting.objects.exclude(pk=demo["meeting"].pk).first()
    url = reverse("admin:coordination_agendaitem_change", args=[item.pk])
    data = change_page_data(client.get(url), minutes="The Chair opened the meeting.")
    data["meeting"] = str(other.pk)  # an item stays in its meeting
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.minutes, item.meeting) == ("The Chair opened the meeting.", demo["meeting"])


def test_the_meeting_page_takes_a_bounded_number_of_queries(
    client, demo, meeting_url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(35):
        assert client.get(meeting_url).status_code == 200
