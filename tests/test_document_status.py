"""A version's status as every door shows it: once its consultation has closed, a version
shared for comment reads “Consultation closed on …”, not “Shared for comment”."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from coordination import consultations
from coordination.models import Decision, DocumentVersion
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
OPENS = datetime.datetime(2018, 7, 15, 12, 0, tzinfo=GENEVA)
CLOSES = datetime.datetime(2018, 7, 29, 23, 59, 59, tzinfo=GENEVA)
CLOSED = "Consultation closed on 29 July 2018"


@pytest.fixture
def concept_note(gcg):
    document = factories.DocumentFactory(owner_group=gcg, title="Concept note")
    version = consultations.version_publish(
        document=document, text="1. Supply chains.", change_summary="", at=OPENS
    )
    consultations.consultation_open(version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES)
    return version


def member_pages(version):
    document = version.document
    return {
        "documents": reverse("document_list"),
        "document": document.get_absolute_url(),
        "version": version.get_absolute_url(),
        "dashboard": reverse("dashboard"),
    }


def test_a_version_whose_consultation_closed_says_so_on_every_page(
    client, gcg_member, concept_note
):
    client.force_login(gcg_member)
    for name, url in member_pages(concept_note).items():
        page = client.get(url).content.decode()
        assert CLOSED in page, name
        assert "Shared for comment" not in page, name


def test_while_the_window_is_open_the_version_is_shared_for_comment(
    client, gcg_member, concept_note
):
    client.force_login(gcg_member)
    with time_machine.travel(CLOSES - datetime.timedelta(seconds=1), tick=False):
        for name, url in member_pages(concept_note).items():
            page = client.get(url).content.decode()
            assert "Shared for comment" in page, name
            assert "Consultation closed" not in page, name
    with time_machine.travel(CLOSES, tick=False):  # closes to the second
        assert CLOSED in client.get(concept_note.get_absolute_url()).content.decode()


def test_the_date_is_the_readers_day_of_the_close(client, gcg_member, concept_note):
    gcg_member.time_zone = "Asia/Tokyo"  # 23:59:59 in Geneva is the next morning in Tokyo
    gcg_member.save(update_fields=["time_zone"])
    client.force_login(gcg_member)
    page = client.get(concept_note.get_absolute_url()).content.decode()
    assert "Consultation closed on 30 July 2018" in page


def test_an_adopted_version_reads_adopted_whatever_its_consultations(gcg, concept_note):
    meeting = factories.MeetingFactory(group=gcg)
    decision = Decision.objects.create(meeting=meeting, text="Adopted.")
    consultations.version_adopt(version=concept_note, decision=decision)
    version = DocumentVersion.objects.with_consultations_close().get(pk=concept_note.pk)
    assert version.status_display == "Adopted"


def test_a_version_never_consulted_keeps_its_status(gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    version = consultations.version_publish(document=document, text="1. Text.", change_summary="")
    consultations.version_share(version=version)
    assert DocumentVersion.objects.get(pk=version.pk).status_display == "Shared for comment"


def test_the_label_is_the_same_loaded_with_the_annotation_or_the_consultations(concept_note):
    annotated = DocumentVersion.objects.with_consultations_close().get(pk=concept_note.pk)
    plain = DocumentVersion.objects.get(pk=concept_note.pk)
    assert annotated.status_display == plain.status_display == CLOSED


def test_the_admin_lists_and_shows_the_same_label(client, secretariat, concept_note):
    client.force_login(secretariat)
    urls = [
        reverse("admin:coordination_documentversion_changelist"),
        reverse("admin:coordination_documentversion_change", args=[concept_note.pk]),
        reverse("admin:coordination_document_change", args=[concept_note.document_id]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert CLOSED in page, url
        assert "Shared for comment" not in page.split('id="changelist-filter"')[0], url
