"""Tests pass at any hour: a request leaves no time zone or language behind it, and the tests
that read the date hold under a clock set to 00:30 UTC (`make test-clock`)."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from coordination import consultations
from coordination.models import Comment
from tests import factories
from tests.conftest import TEST_CLOCK

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
CLOSES = datetime.datetime(2030, 1, 15, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))


def open_consultation(group):
    version = factories.DocumentVersionFactory(document__owner_group=group, text="One.\n\nTwo.")
    return consultations.consultation_open(
        version=version,
        audience=group,
        opens_at=CLOSES - datetime.timedelta(days=14),
        closes_at=CLOSES,
    )


def test_a_new_york_readers_request_leaves_no_time_zone_or_language_active(client, gcg_member):
    consultation = open_consultation(gcg_member.person.memberships.get().group)
    gcg_member.time_zone = "America/New_York"
    gcg_member.language = "fr"  # the account's language is the pages'
    gcg_member.save()
    client.force_login(gcg_member)

    page = client.get(consultation.get_absolute_url())

    # The page was in the reader's zone and language: it opens at midnight less a second in
    # Geneva, 17:59 the day before in New York.
    assert "ouvrent le mardi 1 janvier 2030, 17:59 (America/New_York)" in page.content.decode()
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_a_streamed_export_is_written_in_the_readers_zone_and_language(client, gcg, secretariat):
    consultation = open_consultation(gcg)
    author = factories.MembershipFactory(group=gcg).person
    comment = Comment.objects.create(consultation=consultation, author=author, text="Agreed.")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime.datetime(2030, 1, 10, 3, 0, tzinfo=datetime.UTC)
    )
    secretariat.time_zone = "America/New_York"
    secretariat.language = "fr"
    secretariat.save()
    client.force_login(secretariat)

    response = client.get(reverse("matrix_csv", args=[consultation.pk]))
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE  # nothing active between
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert rows[1][0] == "Texte entier"
    assert rows[1][9] == "2030-01-09 22:00:00"  # 03:00 UTC, the evening before in New York
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    assert translation.get_language() == settings.LANGUAGE_CODE


@pytest.mark.skipif(not TEST_CLOCK, reason="only under TEST_CLOCK (make test-clock)")
def test_the_clock_starts_each_test_at_the_set_time_and_a_tests_own_travel_wins(clock_start):
    now = timezone.now()
    assert datetime.timedelta(0) <= now - clock_start < datetime.timedelta(minutes=1)
    own = datetime.datetime(2018, 11, 28, 17, 0, tzinfo=datetime.UTC)
    with time_machine.travel(own, tick=False):
        assert timezone.now() == own
    assert timezone.now() - now < datetime.timedelta(minutes=1)  # back on the set clock
