"""Reminders show times in the reader's time zone, and name it; dates stay dates.

A consultation closes at 03:00 UTC on 18 December 2018: 04:00 on Tuesday in Zurich, 22:00 on
Monday in New York. A reader in New York who saw “Tuesday 18 December, 04:00” would send their
comments a day late.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail

from coordination import consultations
from coordination.reminders import sweep
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
CLOSES = datetime.datetime(2018, 12, 18, 3, 0, tzinfo=datetime.UTC)
NEW_YORK_TIME = "Monday 17 December 2018, 22:00 (America/New York)"
ZURICH_TIME = "Tuesday 18 December 2018, 04:00 (Europe/Zurich)"


def reader(group, name, time_zone, *, delivery="immediate"):
    user = factories.UserFactory(email=f"{name.lower()}@example.org", time_zone=time_zone)
    return factories.MembershipFactory(
        group=group,
        person__full_name=name,
        person__email=user.email,
        person__user=user,
        person__notification_delivery=delivery,
    ).person


@pytest.fixture
def consultation(gcg):
    version = factories.DocumentVersionFactory(
        document__owner_group=gcg, document__title="Guidance Note", text="One."
    )
    return consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )


def sweep_at(moment) -> dict:
    """The messages of one sweep, by recipient: (text, HTML)."""
    mail.outbox.clear()
    with time_machine.travel(moment, tick=False):
        sweep()
    return {m.to[0]: (m.body, m.alternatives[0][0]) for m in mail.outbox}


def test_a_single_reminder_shows_the_deadline_in_the_readers_zone_and_names_it(consultation, gcg):
    reader(gcg, "Nia", "America/New_York")
    reader(gcg, "Ueli", "Europe/Zurich")
    factories.MembershipFactory(  # no account: the site's time zone
        group=gcg, person__full_name="Guest", person__email="guest@example.org"
    )
    sent = sweep_at(OPENS)

    for body in sent["nia@example.org"]:
        assert f"until {NEW_YORK_TIME}." in body
        assert "04:00" not in body and "Tuesday" not in body
    for address in ("ueli@example.org", "guest@example.org"):
        for body in sent[address]:
            assert f"until {ZURICH_TIME}." in body
            assert "22:00" not in body


def test_a_digest_shows_the_deadline_in_the_readers_zone_and_due_dates_as_dates(consultation, gcg):
    nia = reader(gcg, "Nia", "America/New_York", delivery="daily")
    ueli = reader(gcg, "Ueli", "Europe/Zurich", delivery="daily")
    item = factories.ActionItemFactory(
        title="Send the country list",
        meeting__group=gcg,
        meeting__time_zone="Europe/Zurich",
        due_on=datetime.date(2018, 12, 10),
        created_at=datetime.datetime(2018, 11, 1, tzinfo=GENEVA),
    )
    item.owner_people.add(nia, ueli)
    assert sweep_at(OPENS) == {}  # recorded: the digests come tomorrow at 07:00
    sent = sweep_at(OPENS + datetime.timedelta(hours=22))

    text, html = sent["nia@example.org"]
    assert f"- Open for comment: Guidance Note – {NEW_YORK_TIME}\n" in text
    assert f"Open for comment: Guidance Note</a> – {NEW_YORK_TIME}</li>" in html
    # A due date is a date: no hour, no zone, the same day for every reader.
    assert "- Due soon: Send the country list – 10 December 2018\n" in text
    assert "Send the country list</a> – 10 December 2018</li>" in html
    for body in (text, html):
        assert "04:00" not in body
        assert not re.search(r"\d\d:\d\d(?! \(America/New York\))", body)

    text, html = sent["ueli@example.org"]
    assert f"- Open for comment: Guidance Note – {ZURICH_TIME}\n" in text
    assert f"Open for comment: Guidance Note</a> – {ZURICH_TIME}</li>" in html
    assert "22:00" not in text + html


def test_a_zone_the_system_does_not_know_falls_back_to_the_sites(consultation, gcg):
    nia = reader(gcg, "Nia", "America/New_York")
    type(nia.user).objects.filter(pk=nia.user_id).update(time_zone="Mars/Olympus_Mons")
    text, html = sweep_at(OPENS)["nia@example.org"]
    assert f"until {ZURICH_TIME}." in text
