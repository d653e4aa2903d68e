"""Every change to a record with history leaves a history row naming who made it."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from coordination import consultations
from coordination.models import Decision, DocumentVersion
from pathfinders import services as pathfinder_services
from pathfinders.models import PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
TEXT = "Governments write to the Secretariat.\n\nResource mobilisation is key.\n"


@time_machine.travel(OPENS + datetime.timedelta(days=1), tick=False)
def test_a_comments_history_holds_every_text_withdrawal_and_disposition(
    gcg, gcg_member, secretariat
):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    consultation = consultations.consultation_open(version=version, audience=gcg, opens_at=OPENS)
    person = gcg_member.person
    comment = consultations.comment_submit(
        consultation=consultation, author=person, paragraph="1", text="First thought."
    )
    comment = consultations.comment_edit(
        comment=comment, author=person, text="Second thought.", revision=1
    )
    comment = consultations.comment_edit(
        comment=comment, author=person, text="Third thought.", revision=2
    )
    comment = consultations.comment_dispose(
        comment=comment, disposition="noted", reply="Thank you.", by=secretariat
    )
    consultations.comment_withdraw(comment=comment, author=person)

    rows = list(comment.history.order_by("history_date", "history_id"))
    assert [row.text for row in rows] == [
        "First thought.",
        "Second thought.",
        "Third thought.",
        "Third thought.",
        "Third thought.",
    ]
    assert [row.revision for row in rows] == [1, 2, 3, 3, 4]
    assert [row.disposition for row in rows] == ["", "", "", "noted", "noted"]
    assert rows[-1].withdrawn_at is not None and rows[-2].withdrawn_at is None
    assert [row.history_user for row in rows] == [
        gcg_member,
        gcg_member,
        gcg_member,
        secretariat,
        gcg_member,
    ]


def test_superseding_sharing_and_adopting_versions_leave_history(gcg, secretariat):
    document = factories.DocumentFactory(owner_group=gcg)
    first = consultations.version_publish(
        document=document, text=TEXT, change_summary="", by=secretariat
    )
    consultations.version_share(version=first, by=secretariat)
    second = consultations.version_publish(
        document=document, text=TEXT + "More.\n", change_summary="", by=secretariat
    )
    assert [row.status for row in first.history.order_by("history_date", "history_id")] == [
        "draft",
        "shared",
        "superseded",
    ]
    assert first.history.first().history_user == secretariat
    decision = Decision.objects.create(
        meeting=factories.MeetingFactory(group=gcg), text="The text was adopted."
    )
    consultations.version_adopt(version=second, decision=decision, by=secretariat)
    adopted = second.history.first()
    assert (adopted.status, adopted.history_user) == (DocumentVersion.Status.ADOPTED, secretariat)


def test_publishing_dispositions_and_showing_a_country_publicly_leave_history(gcg, secretariat):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    opens = timezone.now() - datetime.timedelta(days=20)
    consultation = consultations.consultation_open(
        version=version, audience=gcg, opens_at=opens, closes_at=opens + datetime.timedelta(days=14)
    )  # closed, and without comments: nothing waits for a disposition
    consultations.dispositions_publish(consultation=consultation, by=secretariat)
    latest = consultation.history.first()
    assert (latest.dispositions_published, latest.history_user) == (True, secretariat)

    country = PathfinderCountry.objects.create(country="MG", stage="interest")
    pathfinder_services.pathfinder_set_public(country=country, is_public=True, by=secretariat)
    latest = country.history.first()
    assert (latest.is_public, latest.history_user) == (True, secretariat)
