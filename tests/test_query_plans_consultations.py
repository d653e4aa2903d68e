"""At ten years of consultations the responses queries read an index, not the comment table.

A hundred consultations of 500 comments each, from 2,000 members: the consultation page asks
for one member's response, the dashboard for the user's response to each consultation they see.
Each is run as the page runs it, and PostgreSQL's plan of every statement it sends is read
after ANALYZE: a sequential scan of the comment table would grow with every consultation ever
held.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coordination import selectors
from coordination.models import (
    Comment,
    Consultation,
    Document,
    DocumentVersion,
    Membership,
    Person,
    ResponseState,
    paragraph_sort_key,
)
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CONSULTATIONS = 100
COMMENTS_EACH = 500
MEMBERS = 2_000


@pytest.fixture
def ten_years(gcg):
    """100 consultations of the GCG with 500 comments each (50,000), and a member who wrote a
    few of them; returns (member's user, member's person, one consultation)."""
    start = timezone.now() - datetime.timedelta(days=3650)
    documents = Document.objects.bulk_create(
        Document(title=f"Paper {n}", kind=Document.Kind.CONCEPT_NOTE, owner_group=gcg)
        for n in range(CONSULTATIONS // 10)
    )
    versions = DocumentVersion.objects.bulk_create(
        DocumentVersion(document=document, number=number, text="One.\n\nTwo.\n\nThree.")
        for document in documents
        for number in range(1, 11)
    )
    consultations = Consultation.objects.bulk_create(
        Consultation(
            version=version,
            audience=gcg,
            opens_at=start + datetime.timedelta(days=36 * n),
            closes_at=start + datetime.timedelta(days=36 * n + 14),
        )
        for n, version in enumerate(versions)
    )
    people = Person.objects.bulk_create(Person(full_name=f"Member {n}") for n in range(MEMBERS))
    Membership.objects.bulk_create(Membership(person=person, group=gcg) for person in people)
    user = factories.UserFactory()
    me = people[0]
    me.user = user
    me.save(update_fields=["user"])
    paragraphs = ["", "1", "2", "3"]
    Comment.objects.bulk_create(
        (
            Comment(
                consultation=consultation,
                author=people[(7 * n + c) % MEMBERS],
                paragraph=paragraphs[n % 4],
                paragraph_key=paragraph_sort_key(paragraphs[n % 4]),
                text="Clarify the roles of the focal points.",
            )
            for c, consultation in enumerate(consultations)
            for n in range(COMMENTS_EACH)
        ),
        batch_size=5_000,
    )
    assert Comment.objects.count() >= 50_000
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return user, me, consultations[-1]


def plans_reading_comments(run) -> list[str]:
    """PostgreSQL's plan of each statement `run` sends that reads the comment table."""
    with CaptureQueriesContext(connection) as queries:
        run()
    table = Comment._meta.db_table
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if f'"{table}"' in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert plans, "no statement read the comments"
    return plans


def assert_read_through_the_index(plans):
    """No sequential scan of the comments, and the responses read through the index made for
    them (Comment.Meta.indexes: comment_response), one probe per member and consultation."""
    for plan in plans:
        assert f"Seq Scan on {Comment._meta.db_table}" not in plan, plan
    assert any("comment_response" in plan for plan in plans), plans


def test_the_consultation_page_reads_a_members_response_through_an_index(ten_years):
    _user, me, consultation = ten_years
    plans = plans_reading_comments(
        lambda: selectors.consultation_responses([consultation.pk], person_ids=[me.pk])
    )
    assert_read_through_the_index(plans)


def test_the_dashboard_reads_the_users_responses_through_an_index(ten_years):
    user, _me, _consultation = ten_years
    plans = plans_reading_comments(
        lambda: list(selectors.with_response_of(Consultation.objects.visible_to(user), user))
    )
    assert_read_through_the_index(plans)


def test_the_secretariats_list_reads_each_members_response_through_an_index(ten_years):
    _user, _me, consultation = ten_years

    def the_list():
        selectors.response_counts(consultation)
        members = selectors.respondents_with_responses(consultation, ResponseState.NOT_YET)
        list(members.order_by("person__full_name")[:25])

    assert_read_through_the_index(plans_reading_comments(the_list))
