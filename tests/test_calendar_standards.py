"""Calendar entries and reminder emails read back with standard parsers, to the letter of
RFC 5545 (iCalendar), RFC 5546/6047 (iTIP by email), RFC 5322 and RFC 3834 (headers).

Each `.ics` is parsed by two parsers (icalendar and vobject): what one tolerates, the other
may not.
"""

import datetime
import email
import email.policy
import html.parser
import re
import zoneinfo

import pytest
import time_machine
import vobject
from django.core import mail
from icalendar import Calendar

from coordination import consultations
from coordination.models import Person, Reminder
from coordination.reminders import sweep
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime.datetime(2019, 2, 1, 9, 0, tzinfo=GENEVA)


def both_parsers(ics: bytes) -> list:
    """The VEVENTs as icalendar reads them, after vobject has read the same bytes whole."""
    parsed = vobject.readOne(ics.decode())
    assert parsed.name == "VCALENDAR"
    return Calendar.from_ical(ics).walk("VEVENT")


@pytest.fixture
def ana(gcg):
    return factories.MembershipFactory(
        group=gcg, person__full_name="Ana", person__email="ana@example.org"
    ).person


def invitation(gcg):
    meeting = factories.MeetingFactory(
        group=gcg, number=4, city="New York", status="confirmed",
        starts_on=datetime.date(2019, 4, 9), ends_on=datetime.date(2019, 4, 9),
    )  # fmt: skip
    sweep(now=NOW)
    assert len(mail.outbox) == 1
    return meeting, mail.outbox[0]


def test_an_invitation_is_a_clean_rfc_5322_message_with_an_itip_part(gcg, ana):
    _meeting, sent = invitation(gcg)
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    for part in message.walk():
        assert not part.defects, part.defects
    for name, value in message.items():
        assert not value.defects, (name, value.defects)
    assert message["From"].addresses[0].display_name == "Alliance 8.7 Secretariat"
    assert message["From"].startswith('"Alliance 8.7 Secretariat"')  # quoted: "." is special
    assert message["Auto-Submitted"] == "auto-generated"

    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == "meeting.ics"
    ics = part.get_payload(decode=True)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["METHOD"]) == "PUBLISH"
    (entry,) = both_parsers(ics)
    assert str(entry["ORGANIZER"]) == "mailto:noreply@alliance87.org"
    assert entry["ORGANIZER"].params["CN"] == "Alliance 8.7 Secretariat"
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert entry.decoded("DTEND") > entry.decoded("DTSTART")


def test_a_cancellation_says_cancel_in_its_part_and_its_entry(gcg, ana):
    meeting, _sent = invitation(gcg)
    meeting.refresh_from_db()
    meeting.status = "cancelled"
    meeting.save()
    mail.outbox.clear()
    sweep(now=NOW + datetime.timedelta(hours=1))
    (sent,) = mail.outbox
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"
    (entry,) = both_parsers(part.get_payload(decode=True))
    assert str(entry["STATUS"]) == "CANCELLED"
    assert "ORGANIZER" in entry


def test_the_feed_pencils_in_planned_meetings_and_gives_deadlines_a_duration(client, gcg, ana):
    member = factories.UserFactory(email="feed@example.org")
    person = factories.MembershipFactory(
        group=gcg, person__user=member, person__email=member.email
    ).person
    today = datetime.date.today()
    factories.MeetingFactory(
        group=gcg, number=5, status="planned", starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=60),
    )  # fmt: skip
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text="One.")
    consultations.consultation_open(version=version, audience=gcg)

    response = client.get(f"/calendar/{person.calendar_key}.ics")
    entries = {str(e["SUMMARY"]): e for e in both_parsers(response.content)}
    assert str(entries["5th GCG meeting"]["STATUS"]) == "TENTATIVE"
    deadline = next(e for name, e in entries.items() if name.startswith("Comments due"))
    assert deadline.decoded("DTEND") > deadline.decoded("DTSTART")


def uid(meeting) -> str:
    return f"meeting-{meeting.pk}@alliance87.org"


def test_a_digest_carries_the_calendar_part_of_each_meeting_and_event_it_lists(gcg):
    """Within one day a meeting is called, another moves and a third is cancelled: the reader
    on a daily digest gets each change into their calendar, as a reader of single messages."""
    from coordination.models import Event

    factories.MembershipFactory(
        group=gcg,
        person__full_name="Dana",
        person__email="dana@example.org",
        person__notification_delivery="daily",
    )
    called, moved, cancelled = (
        factories.MeetingFactory(
            group=gcg,
            number=number,
            status="confirmed",
            starts_on=datetime.date(2019, 4, day),
            ends_on=datetime.date(2019, 4, day),
        )
        for number, day in ((4, 9), (5, 16), (6, 23))
    )
    forum = Event.objects.create(
        title="NGO Forum", starts_on=datetime.date(2019, 2, 20), notify_days_before=30
    )
    forum.notify_groups.add(gcg)
    sweep(now=NOW)  # recorded for tomorrow's digest
    for meeting in (moved, cancelled):
        meeting.refresh_from_db()
    moved.starts_on = moved.ends_on = datetime.date(2019, 4, 17)
    moved.save()
    cancelled.status = "cancelled"
    cancelled.save()
    sweep(now=NOW + datetime.timedelta(hours=1))
    assert mail.outbox == []

    sweep(now=NOW + datetime.timedelta(hours=22))  # 07:00 the next day
    (sent,) = mail.outbox
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Alliance 8.7: 4 things for you"
    entries = {}
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        ics = part.get_payload(decode=True)
        (entry,) = both_parsers(ics)
        method = str(Calendar.from_ical(ics)["METHOD"])
        assert part.get_param("method") == method  # RFC 6047 §2.4
        assert part.get_content_disposition() == "attachment"
        assert str(entry["ORGANIZER"]) == "mailto:noreply@alliance87.org"
        entries[str(entry["UID"])] = (
            method, int(entry.get("SEQUENCE", 0)), str(entry.get("STATUS", "")),
            entry.decoded("DTSTART"),
        )  # fmt: skip
    april = datetime.date(2019, 4, 1)
    assert entries == {
        uid(called): ("PUBLISH", 0, "CONFIRMED", april.replace(day=9)),
        uid(moved): ("PUBLISH", 1, "CONFIRMED", april.replace(day=17)),
        uid(cancelled): ("CANCEL", 1, "CANCELLED", april.replace(day=23)),
        f"event-{forum.pk}@alliance87.org": ("PUBLISH", 0, "", datetime.date(2019, 2, 20)),
    }
    text = message.get_body(("plain",)).get_content()
    assert "New dates: 5th GCG meeting, 17 April 2019" in text
    assert "Invitation: 5th GCG meeting" not in text  # the dates it had are gone
    assert f"http://127.0.0.1:8000/events/#event-{forum.pk}" in text


# --- every kind of message, read back as a mail program would ---------------------------------

SITE = "https://alliance87.example"
WEEK = "2019-W05"  # NOW's, for the secretariat's weekly list


URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s<>\"')]+", re.IGNORECASE)


class Links(html.parser.HTMLParser):
    """Every address in an HTML part: in links and images, and in the text itself."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]

    def handle_data(self, data):
        self.urls += URL.findall(data)


def every_message(gcg, reader):
    """(name, addresses it must link to, message) for each kind and milestone, and a digest of
    them all."""
    from coordination.models import Event
    from coordination.reminder_kinds import MAX_OVERDUE_REMINDERS
    from coordination.reminders import KINDS, digest_message

    version = factories.DocumentVersionFactory(
        document__owner_group=gcg, document__title="Guidance Note – 2019", text="One."
    )
    consultation = consultations.consultation_open(
        version=version, audience=gcg, opens_at=NOW, closes_at=NOW + datetime.timedelta(days=14)
    )
    meeting = factories.MeetingFactory(
        group=gcg, number=4, city="Genève", status="confirmed",
        starts_on=datetime.date(2019, 4, 9), ends_on=datetime.date(2019, 4, 10),
    )  # fmt: skip
    item = factories.ActionItemFactory(
        meeting=meeting, title="Send the list", due_on=datetime.date(2019, 2, 8)
    )
    item.owner_people.add(reader)
    event = Event.objects.create(
        title="NGO Forum\r\nBcc: someone@example.org", city="Bangkok",
        starts_on=datetime.date(2019, 2, 20), description="Side events <b>TBC</b>.",
    )  # fmt: skip
    factories.ActionItemFactory(  # on the secretariat's list
        title="Old report",
        due_on=NOW.date() - datetime.timedelta(weeks=MAX_OVERDUE_REMINDERS + 2),
    ).owner_people.add(reader)
    cases = [
        ("consultation", consultation, ["opened", "before-7d", "closed"]),
        ("action_item", item, ["before-7d", "overdue-w1"]),
        (
            "meeting",
            meeting,
            ["invitation-0", "invitation-1", "cancelled-1", "papers", "before-7d"],
        ),
        ("event", event, ["notice"]),
        ("long_overdue", reader, [WEEK]),
    ]
    entries, addresses = [], set()
    for name, obj, milestones in cases:
        kind = KINDS[name]
        obj = kind.objects([obj.pk])[obj.pk]
        address = kind.url(obj)  # the object's page (the list, for the secretariat's list)
        addresses.add(address)
        for milestone in milestones:
            message = kind.message(obj=obj, milestone=milestone, person=reader)
            yield f"{name} {milestone}", {address}, message
            entries.append((kind, obj, Reminder(milestone=milestone)))
    yield "digest", addresses, digest_message(reader, entries)


def test_every_kind_of_message_reads_back_without_a_defect_and_links_only_to_the_site(
    gcg, secretariat, settings
):
    settings.SITE_URL = SITE + "/"
    reader = factories.PersonFactory(
        user=secretariat, email=secretariat.email, full_name="Zoë Officer"
    )
    factories.MembershipFactory(group=gcg, person=reader)
    secretariat.time_zone = "America/New_York"
    secretariat.save()
    reader = Person.objects.select_related("user").get(pk=reader.pk)

    names = []
    with time_machine.travel(NOW, tick=False):
        for name, addresses, sent in every_message(gcg, reader):
            names.append(name)
            raw = sent.message().as_bytes()
            message = email.message_from_bytes(raw, policy=email.policy.default)
            for part in message.walk():
                assert not part.defects, (name, part.get_content_type(), part.defects)
                for header, value in part.items():
                    assert not value.defects, (name, header, value.defects)
            assert "\nBcc:" not in raw.decode("ascii", "replace").split("\n\n")[0]

            assert message["From"].addresses[0].display_name == "Alliance 8.7 Secretariat", name
            assert message["Auto-Submitted"] == "auto-generated", name
            assert message["List-Unsubscribe"].strip().startswith(f"<{SITE}/notif"), name
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", name
            (alternative,) = [
                p for p in message.walk() if p.get_content_type() == "multipart/alternative"
            ]
            text, html_part = alternative.iter_parts()
            assert (text.get_content_type(), html_part.get_content_type()) == (
                "text/plain",
                "text/html",
            ), name

            text_urls = URL.findall(text.get_content())
            links = Links()
            links.feed(html_part.get_content())
            assert addresses <= set(text_urls) and addresses <= set(links.urls), name
            for url in text_urls + links.urls:
                assert url.startswith(SITE + "/"), (name, url)
            for part in message.walk():
                if part.get_content_type() == "text/calendar":
                    (entry,) = both_parsers(part.get_payload(decode=True))
                    assert str(entry["URL"]).startswith(SITE + "/"), name
    assert len(names) == 13
