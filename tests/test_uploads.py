"""Annexes: allowed types and size, checked by content too, refused with a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordination.demo import placeholder_pdf
from coordination.models import Annex
from coordination.uploads import validate_annex_file
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_real_pdf_is_accepted():
    validate_annex_file(SimpleUploadedFile("report.pdf", placeholder_pdf("Annex II")))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "“.exe” files are not accepted"),
        ("page.html", b"<script>", "“.html” files are not accepted"),
        ("report.pdf", b"<html>not a pdf</html>", "does not look like a real .pdf file"),
        ("noextension", b"%PDF-1.4", "“.?” files are not accepted"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_annex_file(SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.messages)


def test_a_file_over_the_limit_is_refused(settings):
    settings.ANNEX_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_annex_file(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000))
    assert "the limit is 1000" in error.value.messages[0]


def test_the_admin_refuses_a_bad_annex_and_keeps_the_rest_of_the_form(client, secretariat):
    meeting = factories.MeetingFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:coordination_annex_add"),
        {
            "meeting": meeting.pk,
            "number": 4,
            "title": "Typed title",
            "file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“.exe” files are not accepted" in page
    assert 'value="Typed title"' in page
    assert not Annex.objects.exists()


def test_annex_files_are_not_served_without_permission(client, settings, outsider):
    meeting = factories.MeetingFactory()
    annex = Annex.objects.create(meeting=meeting, number=1, title="Participants")
    annex.file.save("p.pdf", SimpleUploadedFile("p.pdf", placeholder_pdf("x")))
    client.force_login(outsider)
    assert client.get(reverse("annex_download", args=[meeting.pk, 1])).status_code == 404
    # Media is never served as static files.
    assert client.get(settings.MEDIA_URL + annex.file.name).status_code == 404
