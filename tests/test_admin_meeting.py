"""The admin's meeting page: every control in its tables named for a screen reader."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from coordination.models import Attendance

pytestmark = pytest.mark.django_db

TABLES = ["attendances", "annexes"]
LABELLED_BY_DJANGO = ("-clear",)  # a file's “Clear” box has its <label>


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


@pytest.fixture
def meeting_url(client, demo):
    client.force_login(demo["secretariat"])
    return reverse("admin:coordination_meeting_change", args=[demo["meeting"].pk])


def test_each_control_in_the_meeting_pages_tables_says_its_column_and_row(
    client, demo, meeting_url
):
    found = controls(client.get(meeting_url))
    in_tables = {
        name: attrs
        for name, attrs in found.items()
        if name.split("-")[0] in TABLES
        and attrs.get("type") != "hidden"
        and not name.endswith(LABELLED_BY_DJANGO)
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
