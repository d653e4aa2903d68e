"""The comment matrix, as the secretariat downloads it: checked cell by cell on the demo."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from coordination.models import Comment, Consultation, Membership
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = [
    "Paragraph", "Paragraph excerpt", "Commenter", "Organisation", "Constituency", "Comment",
    "Disposition", "Reply", "Answered in paragraph", "Submitted", "Last edited", "Disposed",
]  # fmt: skip

EXPECTED = [
    [
        "1",
        "The ILO acts as the inaugural Secretariat of the Alliance.",
        "Example member B",
        "Example organisation (illustrative)",
        "Other",
        "The word “inaugural” could be removed, and the Secretariat could undergo a periodic "
        "review.",
        "Accepted",
        "“Inaugural” is removed, and the Secretariat undergoes a periodic review.",
        "2",
        datetime.datetime(2018, 11, 4, 9, 0),
        None,
        datetime.datetime(2018, 11, 28, 17, 0),
    ],
    [
        "2",
        "Regional groups are represented in the Global Coordinating Group.",
        "Example member A",
        "Example organisation (illustrative)",
        "Other",
        "Representatives from regional groups should be rotated according to the wishes of the "
        "group, if at all.",
        "Accepted",
        "Representatives are rotated according to the wishes of the group, if at all.",
        "3",
        datetime.datetime(2018, 11, 4, 9, 0),
        None,
        datetime.datetime(2018, 11, 28, 17, 0),
    ],
    [
        "3",
        "Partners are governments, UN agencies, workers' and employers' organisations and civil "
        "society organisations.",
        "Example member C",
        "Example organisation (illustrative)",
        "Other",
        "Representatives of survivors/victims could be included in the list of partners.",
        "Accepted",
        "Representatives of survivors and victims may be included in the list of partners.",
        "4",
        datetime.datetime(2018, 11, 4, 9, 0),
        None,
        datetime.datetime(2018, 11, 28, 17, 0),
    ],
]


def tor_consultation():
    return Consultation.objects.get(version__document__kind="terms_of_reference")


def test_xlsx_matrix_cell_by_cell(client, demo):
    client.force_login(demo["secretariat"])
    response = client.get(reverse("matrix_xlsx", args=[tor_consultation().pk]))
    assert response.status_code == 200
    assert "terms-of-reference" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1:] == EXPECTED
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width == 60
    assert sheet["F2"].alignment.wrap_text
    assert sheet["A1"].font.bold


def test_csv_matrix_cell_by_cell(client, demo):
    client.force_login(demo["secretariat"])
    response = client.get(reverse("matrix_csv", args=[tor_consultation().pk]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    as_text = [
        [v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime.datetime) else (v or "")
         for v in row]
        for row in EXPECTED
    ]  # fmt: skip
    assert rows == [HEADER, *as_text]


def test_withdrawn_comments_are_not_in_the_matrix(client, demo):
    consultation = tor_consultation()
    Comment.objects.filter(consultation=consultation, paragraph="2").update(
        withdrawn_at=datetime.datetime(2018, 11, 10, tzinfo=datetime.UTC)
    )
    client.force_login(demo["secretariat"])
    text = b"".join(client.get(reverse("matrix_csv", args=[consultation.pk])).streaming_content)
    assert "rotate every two years" not in text.decode()


@pytest.mark.parametrize("kind", ["matrix_csv", "matrix_xlsx"])
def test_matrix_query_count_does_not_grow_with_comments(client, gcg, secretariat, kind):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, text="One.\n\nTwo.")
    consultation = Consultation.objects.create(
        version=version,
        audience=gcg,
        opens_at=datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2018, 1, 15, tzinfo=datetime.UTC),
    )
    people = [factories.MembershipFactory(group=gcg).person for _ in range(20)]
    client.force_login(secretariat)

    def count(n):
        Comment.objects.bulk_create(
            Comment(consultation=consultation, author=people[i % 20], paragraph="2", text="x")
            for i in range(n)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(kind, args=[consultation.pk]))
            body = b"".join(response.streaming_content)
        return len(queries), body

    few, _ = count(10)
    many, body = count(990)
    assert Comment.objects.count() == 1000
    assert many == few <= 8
    if kind == "matrix_csv":
        assert body.decode().count("\n") == 1001
    assert Membership.objects.filter(group=gcg).count() >= 20
