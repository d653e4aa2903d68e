"""A version and the comment matrix as Word files: read back as a member's Word would show them
(python-docx) and as the importer reads them (mammoth, with its style map)."""

import datetime
import io
import re
from html.parser import HTMLParser

import docx
import mammoth
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from coordination.matrix import WORD_COLUMNS
from coordination.models import Comment, Consultation, DocumentVersion
from coordination.text import render_markdown
from coordination.word import writing
from coordination.word.drafts import STYLE_MAP
from tests import factories
from tests.test_permissions import GCG_ONLY, ROLES, outcome, visitors

pytestmark = pytest.mark.django_db

RICH = """\
# Annual report

An *introduction* with **strong words**, `inline code` and [a link](https://example.org/report?year=2024).

- First bullet
  - Nested bullet with *emphasis*
  - Second nested bullet
- Second bullet

1. First step
   1. Nested step
   2. Another nested step
2. Second step

> A quotation from the **Chair**.

| Country | Workshops |
| --- | ---: |
| Madagascar | 2 |
| *Nepal* | 1 |
"""


# --- helpers -------------------------------------------------------------------------------------


def download(client, user, version):
    client.force_login(user)
    response = client.get(reverse("version_docx", args=[version.document_id, version.number]))
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


def as_html(content: bytes) -> str:
    result = mammoth.convert_to_html(io.BytesIO(content), style_map=STYLE_MAP)
    assert not result.messages, result.messages
    return result.value


class _Shape(HTMLParser):
    """HTML as a list of tags and texts, without what differs between two writers of the same
    structure: attributes other than a link's address, a <p> inside a list item or a cell,
    the <code> inside a <pre>, and how whitespace is laid out."""

    DROPPED_INSIDE = {"p": ("li", "th", "td"), "code": ("pre",)}

    def __init__(self):
        super().__init__()
        self.shape, self.open, self.dropped = [], [], []

    def handle_starttag(self, tag, attrs):
        parent = self.open[-1] if self.open else ""
        drop = parent in self.DROPPED_INSIDE.get(tag, ())
        self.dropped.append(drop)
        self.open.append(tag)
        if not drop:
            href = dict(attrs).get("href") if tag == "a" else None
            self.shape.append(f"<{tag} href={href}>" if href else f"<{tag}>")

    def handle_endtag(self, tag):
        self.open.pop()
        if not self.dropped.pop():
            self.shape.append(f"</{tag}>")

    def handle_data(self, data):
        if "pre" in self.open:  # code keeps its lines; a blank line may come back as a space
            text = "\n".join(line.rstrip() for line in data.strip("\n").split("\n"))
        else:
            text = re.sub(r"\s+", " ", data)
        if self.shape and self.shape[-1].startswith("text:"):
            text = self.shape.pop()[5:] + text
        if text.strip():
            self.shape.append("text:" + text)
        elif text:
            self.shape.append("text: ")

    def result(self):
        texts = [item for item in self.shape if item != "text: "]
        return [f"text:{item[5:].strip()}" if item.startswith("text:") else item for item in texts]


def shape(html: str) -> list[str]:
    parser = _Shape()
    parser.feed(html)
    return parser.result()


def paragraph_number(paragraph) -> str | None:
    runs = [run for run in paragraph.runs if run.style.name == writing.PARAGRAPH_NUMBER]
    return runs[0].text.rstrip("\t") if runs else None


def guidance_note() -> DocumentVersion:
    return DocumentVersion.objects.get(document__kind="guidance_note", number=2)


# --- a version ----------------------------------------------------------------------------------


def test_the_guidance_note_comes_back_through_the_importer_as_its_text(client, demo):
    version = guidance_note()
    content, response = download(client, demo["member"], version)
    assert response["Content-Type"] == writing.CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="pathfinder-country-guidance-note-v2.docx"'
    )
    html = as_html(content)
    assert shape(html) == shape(render_markdown(version.text))
    assert html.startswith("<h1>Pathfinder Country Guidance Note</h1><h2>Becoming a pathfinder")
    assert "<p><em>Illustrative revision: the report does not say" in html
    assert "Version 2" not in html  # no title block
    assert not re.search(r">\s*\d+(\.\d+)?\s", html)  # no paragraph numbers


def test_a_rich_version_comes_back_with_nested_lists_quote_table_and_links(client, gcg, gcg_member):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=RICH)
    html = as_html(download(client, gcg_member, version)[0])
    assert shape(html) == shape(render_markdown(RICH))
    assert "<li>First bullet<ul><li>Nested bullet with <em>emphasis</em></li>" in html
    assert "<li>First step<ol><li>Nested step</li><li>Another nested step</li></ol></li>" in html
    assert "<blockquote><p>A quotation from the <strong>Chair</strong>.</p></blockquote>" in html
    assert '<a href="https://example.org/report?year=2024">a link</a>' in html
    assert "<code>inline code</code>" in html
    assert "<thead><tr><th><p>Country</p></th><th><p>Workshops</p></th></tr></thead>" in html
    assert "<td><p><em>Nepal</em></p></td>" in html


def test_the_rich_version_in_word_numbers_each_unit_as_the_site(client, gcg, gcg_member):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=RICH)
    document = docx.Document(io.BytesIO(download(client, gcg_member, version)[0]))
    numbered = [(paragraph_number(p), p.style.name) for p in document.paragraphs]
    assert [(n, style) for n, style in numbered if n] == [
        ("1", "Normal"),
        ("2", "List Paragraph"),
        ("2.1", "List Paragraph"),
        ("2.2", "List Paragraph"),
        ("3", "List Paragraph"),
        ("4", "List Paragraph"),
        ("4.1", "List Paragraph"),
        ("4.2", "List Paragraph"),
        ("5", "List Paragraph"),
        ("6", "Quote"),
        ("7", "Normal"),  # the table's number, in its own paragraph before it
    ]
    assert [p.number for p in version.paragraphs if p.number][-1] == "7"
    levels = [
        p._p.pPr.numPr.ilvl.val for p in document.paragraphs if p.style.name == "List Paragraph"
    ]
    assert levels == [0, 1, 1, 0, 0, 1, 1, 0]
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Country", "Workshops"],
        ["Madagascar", "2"],
        ["Nepal", "1"],
    ]


def test_the_title_block_says_document_version_status_and_date(client, demo):
    version = guidance_note()
    document = docx.Document(io.BytesIO(download(client, demo["member"], version)[0]))
    details = [p.text for p in document.paragraphs if p.style.name == writing.VERSION_DETAILS]
    with timezone.override(demo["member"].time_zone or None):
        shared_on = date_format(timezone.localdate(version.shared_at))
    assert details == [
        "Pathfinder Country Guidance Note",
        f"Version 2 · Shared for comment · {shared_on}",
    ]
    assert document.paragraphs[0].style.name == writing.VERSION_DETAILS
    assert document.core_properties.title == "Pathfinder Country Guidance Note"


def test_paragraph_numbers_start_the_numbered_paragraphs_in_order_and_headings_have_none(
    client, demo
):
    document = docx.Document(io.BytesIO(download(client, demo["member"], guidance_note())[0]))
    body = [p for p in document.paragraphs if p.style.name != writing.VERSION_DETAILS]
    headings = [p for p in body if p.style.name.startswith("Heading")]
    numbered = [p for p in body if not p.style.name.startswith("Heading")]
    assert [p.text for p in headings] == [
        "Pathfinder Country Guidance Note",
        "Becoming a pathfinder country",
        "Support",
    ]
    assert all(paragraph_number(p) is None for p in headings)
    assert [paragraph_number(p) for p in numbered] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert numbered[0].text == "1\tA government writes to the Secretariat with a formal request."
    assert numbered[1].text == "2\tA pathfinder focal point is nominated by the government."
    assert numbered[3].text.startswith("4\tIllustrative revision")
    assert numbered[4].text == "5\tThere needs to be buy-in from UN Resident Coordinators."


def test_only_those_who_may_read_the_version_may_download_it(
    client, demo, no_membership, staff_without_permissions
):
    version = guidance_note()  # a GCG paper
    address = reverse("version_docx", args=[version.document_id, version.number])
    people = visitors(demo, no_membership, staff_without_permissions)
    got = []
    for role in ROLES:
        client.logout()
        if people[role]:
            client.force_login(people[role])
        got.append(outcome(client.get(address)))
    assert tuple(got) == GCG_ONLY


def test_a_french_reader_gets_the_title_block_in_french(client, demo):
    member = demo["member"]
    member.language = "fr"
    member.save(update_fields=["language"])
    version = guidance_note()
    document = docx.Document(io.BytesIO(download(client, member, version)[0]))
    line = next(p.text for p in document.paragraphs[1:] if p.style.name == "Version Details")
    with translation.override("fr"), timezone.override(member.time_zone or None):
        status = version.status_display
        shared_on = date_format(timezone.localdate(version.shared_at))
    assert line == f"Version 2 · {status} · {shared_on}"
    with timezone.override(member.time_zone or None):
        assert shared_on != date_format(timezone.localdate(version.shared_at))  # the month
    assert "Shared for comment" not in line


def test_a_link_word_should_not_follow_is_written_as_text(client, gcg, gcg_member):
    text = "See [the page](/documents/) and [the site](https://example.org/)."
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=text)
    html = as_html(download(client, gcg_member, version)[0])
    assert html == '<p>See the page and <a href="https://example.org/">the site</a>.</p>'


def test_a_character_xml_cannot_hold_does_not_break_the_export(client, gcg, gcg_member):
    text = "A line pasted from Word\x0bwith a vertical tab, and a \x07bell."
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=text)
    document = docx.Document(io.BytesIO(download(client, gcg_member, version)[0]))
    assert document.paragraphs[-1].text == (
        "1\tA line pasted from Word\nwith a vertical tab, and a \ufffdbell."
    )


def test_the_version_costs_a_few_queries(client, demo, django_assert_max_num_queries):
    client.force_login(demo["member"])
    version = guidance_note()
    with django_assert_max_num_queries(8):
        client.get(reverse("version_docx", args=[version.document_id, version.number]))


# --- the comment matrix -------------------------------------------------------------------------


def matrix(client, user, consultation):
    client.force_login(user)
    response = client.get(reverse("matrix_docx", args=[consultation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == writing.CONTENT_TYPE
    return docx.Document(io.BytesIO(b"".join(response.streaming_content))), response


def tor_consultation():
    return Consultation.objects.get(version__document__kind="terms_of_reference")


def test_the_matrix_is_one_landscape_table_with_a_repeated_header_row(client, demo):
    consultation = tor_consultation()
    document, response = matrix(client, demo["secretariat"], consultation)
    assert "terms-of-reference" in response["Content-Disposition"]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert len(document.tables) == 1
    rows = document.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [cell.text for cell in rows[0].cells] == [
        "Paragraph",
        "Paragraph excerpt",
        "Commenter",
        "Organisation (Constituency)",
        "Comment",
        "Disposition",
        "Reply",
        "Answered in paragraph",
    ]
    comments = Comment.objects.filter(consultation=consultation, withdrawn_at__isnull=True)
    assert len(rows) - 1 == comments.count() == 3
    assert [cell.text for cell in rows[1].cells] == [
        "1",
        "The ILO acts as the inaugural Secretariat of the Alliance.",
        "Example member B",
        "Example organisation (illustrative) (Other)",
        "The word “inaugural” could be removed, and the Secretariat could undergo a periodic "
        "review.",
        "Accepted",
        "“Inaugural” is removed, and the Secretariat undergoes a periodic review.",
        "2",
    ]
    title = [p.text for p in document.paragraphs[:2]]
    version = consultation.version
    assert title[0] == f"{version.document.title}, version {version.number}"
    assert title[1].startswith("Comments from the Global Coordinating Group – from ")


def test_a_french_reader_gets_the_matrix_in_french(client, demo):
    secretariat = demo["secretariat"]
    secretariat.language = "fr"
    secretariat.save(update_fields=["language"])
    document, _response = matrix(client, secretariat, tor_consultation())
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    with translation.override("fr"):
        assert header == [str(column.header) for column in WORD_COLUMNS]
    assert header[4] == "Commentaire"
    # the group's name is the record's, as on the pages
    assert document.paragraphs[1].text.startswith("Commentaires du Global Coordinating Group – du ")
    assert document.tables[0].rows[1].cells[5].text == "Accepté"


@pytest.fixture
def consultation_with_comments(gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, text="One.\n\nTwo.")
    consultation = Consultation.objects.create(
        version=version,
        audience=gcg,
        opens_at=datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2018, 1, 15, tzinfo=datetime.UTC),
    )
    people = [factories.MembershipFactory(group=gcg).person for _ in range(10)]

    def add(n):
        Comment.objects.bulk_create(
            Comment(consultation=consultation, author=people[i % 10], paragraph="2", text="x")
            for i in range(n)
        )

    return consultation, add


def test_the_matrix_costs_the_same_queries_for_5_and_50_comments(
    client, secretariat, consultation_with_comments, django_assert_max_num_queries
):
    consultation, add = consultation_with_comments
    client.force_login(secretariat)
    address = reverse("matrix_docx", args=[consultation.pk])

    def count(n):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
            rows = docx.Document(io.BytesIO(b"".join(response.streaming_content))).tables[0].rows
        return len(queries), len(rows) - 1

    add(5)
    with django_assert_max_num_queries(6):
        client.get(address)
    few, five = count(0)
    many, fifty = count(45)
    assert (five, fifty) == (5, 50)
    assert few == many


def test_the_matrix_is_the_secretariats(client, gcg_member, consultation_with_comments):
    consultation, add = consultation_with_comments
    add(1)
    client.force_login(gcg_member)
    assert client.get(reverse("matrix_docx", args=[consultation.pk])).status_code == 403


def test_a_comment_keeps_its_line_breaks_and_an_odd_character_does_not_break_the_matrix(
    client, secretariat, consultation_with_comments
):
    consultation, _add = consultation_with_comments
    author = consultation.audience.memberships.first().person
    Comment.objects.create(
        consultation=consultation,
        author=author,
        paragraph="1",
        text="First line.\r\nSecond line,\x0bpasted from Word\x07.",
    )
    document, _response = matrix(client, secretariat, consultation)
    row = document.tables[0].rows[1]
    assert row.cells[0].text == "1"
    assert row.cells[1].text == "One."
    assert row.cells[4].text == "First line.\nSecond line,\npasted from Word\ufffd."
