"""The meeting page is the report of the 3rd GCG meeting, in the shape of the seed."""

from unittest import mock

import pytest
from django.urls import reverse

from coordination import text
from tests.admin_pages import change_page_data

pytestmark = pytest.mark.django_db


def test_report_page_shows_the_whole_meeting(client, demo):
    meeting = demo["meeting"]
    client.force_login(demo["member"])

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert "Report of the 3rd Meeting of the Alliance 8.7 Global Coordinating Group" in page
    assert "Geneva, 28 November 2018" in page
    assert "Reassess the progress made by the Secretariat" in page
    assert "See attached list. (Annex I)" in page
    assert "Mr Hyacinth Hermann Tandra" in page
    for numeral, title in [
        ("I.", "Welcome and progress report from the Chair"),
        ("IV.", "Update on Pathfinder Countries and Pathfinder Country Note"),
        ("IX.", "Upcoming events and work plan for 2019"),
    ]:
        assert f'<span class="agenda-numeral">{numeral}</span> <a href="#' in page
        assert title in page
    assert '<span class="agenda-numeral">X.</span>' not in page  # a section, not on the agenda
    assert "X. Action items</h3>" in page
    assert "the word “inaugural” has been removed" in page
    assert "The Terms of Reference were adopted." in page
    assert "Provide feedback on the Pathfinder Country Guidance Note" in page
    assert "due in 14 days" in page  # the demo shares the revised draft as it loads
    assert "Meet to draft a communications strategy" in page
    for annex in ("Annex I", "Annex II", "Annex III"):
        assert annex in page
    assert "NGO Forum" in page
    assert "2nd GCG meeting" in page and "4th GCG meeting" in page
    assert 'href="/static/css/print.css" media="print"' in page


def test_minutes_are_rendered_as_markdown_without_raw_html(client, demo):
    item = demo["meeting"].agenda_items.get(order=1)
    item.minutes += '\n\n<script>alert("x")</script> **bold**'
    item.save()
    client.force_login(demo["member"])
    page = client.get(demo["meeting"].get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_an_edit_to_the_minutes_in_the_admin_shows_at_once(client, demo):
    """Rendered Markdown is cached under the hash of its text: the page read after an edit shows
    the new text, never the cached rendering of the old one (the same item, the same length)."""
    meeting, item = demo["meeting"], demo["meeting"].agenda_items.get(order=1)
    item.minutes = item.minutes.strip()  # as the admin's form saves it
    item.save()
    client.force_login(demo["member"])
    assert "has made great progress" in client.get(meeting.get_absolute_url()).content.decode()

    client.force_login(demo["secretariat"])
    url = reverse("admin:coordination_agendaitem_change", args=[item.pk])
    minutes = item.minutes.replace("has made great progress", "has made solid progress")
    assert client.post(url, change_page_data(client.get(url), minutes=minutes)).status_code == 302
    item.refresh_from_db()
    assert item.minutes == minutes

    client.force_login(demo["member"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "has made solid progress" in page
    assert "has made great progress" not in page


def report(page: bytes) -> bytes:
    """The report itself, without the navbar (whose forms carry a new CSRF token each time)."""
    return page[page.index(b"<article") : page.index(b"</article>")]


def test_the_report_renders_its_markdown_once(client, demo):
    """The objective and each item's minutes are rendered on the first reading only."""
    client.force_login(demo["member"])
    url = demo["meeting"].get_absolute_url()
    with mock.patch.object(text._markdown, "render", wraps=text._markdown.render) as render:
        first = client.get(url).content
        assert render.call_count == 1 + demo["meeting"].agenda_items.count()
        render.reset_mock()
        again = client.get(url).content
        assert render.call_count == 0
    assert report(again) == report(first)


@pytest.mark.parametrize(("role", "queries"), [("member", 15), ("secretariat", 13)])
def test_the_report_takes_a_fixed_number_of_queries(
    client, demo, role, queries, django_assert_num_queries
):
    """Session, user, whether the user is the secretariat (none for the demo's officer, a
    superuser), whether they belong to a group (the navbar asks; not the secretariat), the
    meeting, its agenda, the previous and next meetings, attendance, decisions, action points
    and their owners (three), events, annexes."""
    client.force_login(demo[role])
    with django_assert_num_queries(queries):
        assert client.get(demo["meeting"].get_absolute_url()).status_code == 200


def test_previous_and_next_meetings_link_to_each_other(client, demo):
    client.force_login(demo["member"])
    page = client.get(demo["meeting"].get_absolute_url()).content.decode()
    assert 'rel="prev"' in page and 'rel="next"' in page


def test_adopted_version_page_says_where_it_was_adopted(client, demo):
    client.force_login(demo["member"])
    decision = demo["meeting"].decisions.get(adopts_version__isnull=False)
    page = client.get(decision.adopts_version.get_absolute_url()).content.decode()
    assert "Adopted at the 3rd GCG meeting, 28 November 2018" in page


def test_annex_is_downloaded_by_a_member(client, demo):
    client.force_login(demo["member"])
    response = client.get(reverse("annex_download", args=[demo["meeting"].pk, 2]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_the_page_of_a_meeting_not_held_says_so_and_is_no_report(client, demo):
    """The page and its PDF keep one rule (Meeting.report_title): an agenda printed from the
    page of the next meeting must not pass for the report of a meeting that took place."""
    from coordination.models import Meeting

    fourth = Meeting.objects.get(group__slug="gcg", number=4)
    client.force_login(demo["member"])

    page = client.get(fourth.get_absolute_url()).content.decode()

    assert "Report of" not in page
    assert "This meeting has not been held yet (March or April 2019, tbc)" in page
    assert '<h1 class="h2">4th GCG meeting</h1>' in page
