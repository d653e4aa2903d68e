"""Reminders: each lead time fires once, at the right moment; failures never duplicate."""

import datetime
import email
import logging
import os
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from coordination import consultations, services
from coordination.models import Comment, Reminder
from coordination.reminders import sweep
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
CLOSES = datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=GENEVA)
SECOND = datetime.timedelta(seconds=1)


def member(group, name):
    user = factories.UserFactory(email=f"{name.lower()}@example.org")
    return factories.MembershipFactory(
        group=group, person__full_name=name, person__email=user.email, person__user=user
    ).person


@pytest.fixture
def consultation(gcg):
    version = factories.DocumentVersionFactory(
        document__owner_group=gcg, document__title="Guidance Note", text="One.\n\nTwo."
    )
    return consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )


def sweep_at(moment):
    mail.outbox.clear()
    with time_machine.travel(moment, tick=False):
        sweep()
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_consultation_reminders_fire_once_each_at_their_moment(consultation, gcg):
    ana, ben = member(gcg, "Ana"), member(gcg, "Ben")
    factories.MembershipFactory(group=gcg, person__full_name="No Address")  # nobody to mail

    assert sweep_at(OPENS - SECOND) == []
    assert sweep_at(OPENS) == [
        ("ana@example.org", "Open for comment: Guidance Note"),
        ("ben@example.org", "Open for comment: Guidance Note"),
    ]
    assert sweep_at(OPENS + datetime.timedelta(hours=1)) == []  # never twice

    consultations.comment_submit(
        consultation=consultation, author=ana, paragraph="1", text="Fine", at=OPENS + SECOND
    )
    soon = "Reminder: comments on Guidance Note close soon"
    assert sweep_at(CLOSES - datetime.timedelta(days=7) - SECOND) == []
    assert sweep_at(CLOSES - datetime.timedelta(days=7)) == [("ben@example.org", soon)]
    assert sweep_at(CLOSES - datetime.timedelta(days=3)) == []
    assert sweep_at(CLOSES - datetime.timedelta(days=2)) == [("ben@example.org", soon)]
    assert sweep_at(CLOSES - datetime.timedelta(days=1)) == [("ben@example.org", soon)]
    assert sweep_at(CLOSES - SECOND) == []
    closed = "Consultation closed: Guidance Note"
    assert sweep_at(CLOSES) == [("ana@example.org", closed), ("ben@example.org", closed)]
    message = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert message.alternatives[0][1] == "text/html"
    assert consultation.get_absolute_url() in message.body
    assert sweep_at(CLOSES + datetime.timedelta(days=1)) == []

    milestones = sorted(Reminder.objects.filter(recipient=ben).values_list("milestone", flat=True))
    assert milestones == ["before-1d", "before-2d", "before-7d", "closed", "opened"]


def test_lead_times_are_configurable_per_consultation(consultation, gcg):
    member(gcg, "Ana")
    consultation.reminder_days = "3"
    consultation.save()
    sweep_at(OPENS)
    assert sweep_at(CLOSES - datetime.timedelta(days=7)) == []
    assert len(sweep_at(CLOSES - datetime.timedelta(days=3))) == 1
    assert sweep_at(CLOSES - datetime.timedelta(days=1)) == []


def test_a_lead_time_keeps_its_wall_clock_hour_across_daylight_saving(gcg):
    """Summer time starts on 31 March 2019 in Geneva: “one day before” a close at noon on
    31 March is noon on 30 March (11:00 UTC), not 24 hours earlier (10:00 UTC)."""
    member(gcg, "Ana")
    closes = datetime.datetime(2019, 3, 31, 12, 0, tzinfo=GENEVA)
    version = factories.DocumentVersionFactory(document__owner_group=gcg, document__title="ToR")
    consultations.consultation_open(
        version=version,
        audience=gcg,
        opens_at=closes - datetime.timedelta(days=5),
        closes_at=closes,
    )
    sweep_at(closes - datetime.timedelta(days=5))  # the opening notice
    utc = datetime.UTC
    assert sweep_at(datetime.datetime(2019, 3, 29, 11, 0, tzinfo=utc)) == [
        ("ana@example.org", "Reminder: comments on ToR close soon")  # 2 days before
    ]
    assert sweep_at(datetime.datetime(2019, 3, 30, 10, 59, 59, tzinfo=utc)) == []
    assert len(sweep_at(datetime.datetime(2019, 3, 30, 11, 0, tzinfo=utc))) == 1


def test_members_who_said_no_comments_are_not_reminded(consultation, gcg):
    ana = member(gcg, "Ana")
    consultations.no_comments_state(consultation=consultation, person=ana, at=OPENS)
    assert sweep_at(OPENS) == []
    assert sweep_at(CLOSES - datetime.timedelta(days=1)) == []


def test_action_items_are_reminded_7_and_1_days_before_then_weekly(gcg):
    ana = member(gcg, "Ana")
    item = factories.ActionItemFactory(
        title="Draft the strategy",
        meeting__group=gcg,
        meeting__time_zone="Europe/Zurich",
        due_on=datetime.date(2019, 2, 15),
        created_at=datetime.datetime(2019, 1, 1, tzinfo=GENEVA),
    )
    item.owner_people.add(ana)
    day = lambda d: datetime.datetime(2019, 2, d, 0, 0, tzinfo=GENEVA)  # noqa: E731
    soon = [("ana@example.org", "Due soon: Draft the strategy")]
    late = [("ana@example.org", "Overdue: Draft the strategy")]
    assert sweep_at(day(7) + datetime.timedelta(hours=23)) == []
    assert sweep_at(day(8)) == soon
    assert sweep_at(day(9)) == []
    assert sweep_at(day(14)) == soon
    assert sweep_at(day(15)) == []  # due today
    assert sweep_at(day(16)) == late
    assert sweep_at(day(22)) == []
    assert sweep_at(day(23)) == late  # a week later
    with time_machine.travel(day(24)):
        item.status = "done"
        item.save()
    assert sweep_at(day(28) + datetime.timedelta(days=10)) == []


def test_a_relative_deadline_is_reminded_only_once_its_trigger_is_recorded(gcg):
    ana = member(gcg, "Ana")
    document = factories.DocumentFactory(owner_group=gcg)
    item = factories.ActionItemFactory(
        title="Comment on the note",
        meeting__group=gcg,
        due_on=None,
        due_days_after_trigger=14,
        trigger="receipt of the revised draft",
        trigger_document=document,
        created_at=datetime.datetime(2018, 11, 28, tzinfo=GENEVA),
    )
    item.owner_groups.add(gcg)
    assert sweep_at(OPENS + datetime.timedelta(days=30)) == []
    revised = consultations.version_publish(document=document, text="Revised", change_summary="")
    consultations.version_share(version=revised, at=OPENS)  # due 17 December
    assert sweep_at(datetime.datetime(2018, 12, 10, 8, 0, tzinfo=GENEVA)) == [
        ("ana@example.org", "Due soon: Comment on the note")
    ]
    assert ana.pk in Reminder.objects.values_list("recipient", flat=True)


def test_an_smtp_failure_is_retried_later_and_never_duplicated(consultation, gcg, settings):
    member(gcg, "Ana")
    member(gcg, "Ben")
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyBackend"
    from tests.mail_backends import FlakyBackend

    FlakyBackend.failing = True
    assert sweep_at(OPENS) == []
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 2
    errors = Reminder.objects.values_list("last_error", flat=True)  # on the one attempted
    assert any("Connection unexpectedly closed" in error for error in errors)

    FlakyBackend.failing = False
    assert sweep_at(OPENS + SECOND) == []  # not before its backoff delay
    assert len(sweep_at(OPENS + datetime.timedelta(minutes=5))) == 2
    assert sweep_at(OPENS + datetime.timedelta(minutes=10)) == []


def test_a_refused_or_malformed_address_is_recorded_and_the_batch_goes_on(
    consultation, gcg, settings
):
    member(gcg, "Ana")
    factories.MembershipFactory(group=gcg, person__email="bounce@example.org")
    factories.MembershipFactory(group=gcg, person__email="not-an-address")
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    assert sweep_at(OPENS) == [("ana@example.org", "Open for comment: Guidance Note")]
    failed = dict(
        Reminder.objects.filter(failed_at__isnull=False).values_list(
            "recipient__email", "last_error"
        )
    )
    assert set(failed) == {"bounce@example.org", "not-an-address"}
    assert (
        "No such user" in failed["bounce@example.org"] or "bounce" in failed["bounce@example.org"]
    )
    assert sweep_at(OPENS + datetime.timedelta(days=1)) == []  # given up, not retried


def test_a_reminder_for_a_deleted_object_is_dropped_with_a_log_line(gcg, caplog):
    caplog.set_level(logging.INFO, logger="coordination.reminders")
    ana = member(gcg, "Ana")
    item = factories.ActionItemFactory(
        due_on=datetime.date(2019, 2, 15),
        title="Gone",
        created_at=datetime.datetime(2019, 1, 1, tzinfo=GENEVA),
    )
    item.owner_people.add(ana)
    with time_machine.travel(datetime.datetime(2019, 2, 14, 9, 0, tzinfo=GENEVA), tick=False):
        from coordination.reminders import reminders_record

        assert reminders_record(datetime.datetime(2019, 2, 14, 9, 0, tzinfo=GENEVA)) == 1
        item.delete()
        sweep()
    assert mail.outbox == []
    assert "no longer exists" in caplog.text
    assert Reminder.objects.get().dropped_at is not None  # not an address problem


def test_the_management_command_and_the_celery_task_run_the_same_sweep(consultation, gcg):
    from coordination.tasks import send_reminders

    member(gcg, "Ana")
    with time_machine.travel(OPENS, tick=False):
        call_command("send_reminders", stdout=open(os.devnull, "w"))  # noqa: SIM115
        assert len(mail.outbox) == 1
        send_reminders.apply()
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_every_reminder_exactly_once(gcg, tmp_path):
    """Two `send_reminders` processes over the same 300 due reminders, on PostgreSQL, with
    batches (200 × 10 ms) slower than the claim timeout (1 s)."""
    version = factories.DocumentVersionFactory(document__owner_group=gcg, document__title="Note")
    now = datetime.datetime.now(datetime.UTC)
    consultations.consultation_open(
        version=version,
        audience=gcg,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=14),
    )
    for i in range(300):
        factories.MembershipFactory(group=gcg, person__email=f"m{i}@example.org")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**database),
        "EMAIL_BACKEND": "tests.mail_backends.SlowFileBackend",
        "TEST_MAIL_DIR": str(tmp_path),
        "TEST_MAIL_DELAY": "0.01",
        "REMINDER_CLAIM_TIMEOUT": "1",
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
    }
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "manage.py", "send_reminders"]
    first = subprocess.Popen(command, cwd=root, env=env)  # noqa: S603
    time.sleep(2.5)  # the next beat's sweep, once the first one's claims look expired
    second = subprocess.Popen(command, cwd=root, env=env)  # noqa: S603
    assert [p.wait(timeout=120) for p in (first, second)] == [0, 0]

    recipients = [
        email.message_from_bytes(path.read_bytes())["To"] for path in tmp_path.glob("*.eml")
    ]
    assert len(recipients) == 300
    assert len(set(recipients)) == 300
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 300
    assert not Comment.objects.exists()


def test_the_secretariat_sees_addresses_that_failed(
    client, consultation, gcg, settings, secretariat
):
    factories.MembershipFactory(
        group=gcg, person__full_name="Bouncing Member", person__email="bounce@example.org"
    )
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    sweep_at(OPENS)
    client.force_login(secretariat)
    page = client.get("/admin/coordination/reminder/", {"state": "failed"}).content.decode()
    assert "Bouncing Member" in page
    assert "No such user" in page or "bounce@example.org" in page
    people = client.get("/admin/coordination/person/", {"o": "-6"}).content.decode()
    assert "Bouncing Member" in people


# --- preferences, unsubscribe, digests ------------------------------------------------------


def test_every_email_has_a_one_click_unsubscribe_that_needs_no_login(client, consultation, gcg):
    ana = member(gcg, "Ana")
    sweep_at(OPENS)
    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    path = link.removeprefix("http://127.0.0.1:8000")

    page = client.get(path)  # a link checker opening it changes nothing
    assert "do you want to stop receiving" in page.content.decode()
    ana.refresh_from_db()
    assert ana.muted_kinds == []

    response = client.post(path)  # the mail program's one-click button: no CSRF token
    assert "You will no longer receive" in response.content.decode()
    ana.refresh_from_db()
    assert ana.muted_kinds == ["consultation"]
    assert sweep_at(CLOSES - datetime.timedelta(days=7)) == []  # not sent any more


def test_a_forged_unsubscribe_link_is_refused_politely(client):
    response = client.post("/notifications/unsubscribe/forged-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_preferences_choose_kinds_and_a_digest(client, gcg):
    ana = member(gcg, "Ana")
    client.force_login(ana.user)
    page = client.get("/accounts/preferences/").content.decode()
    assert "My action items: due soon, overdue" in page
    response = client.post(
        "/accounts/preferences/",
        {
            "account-first_name": "Ana",
            "account-last_name": "P",
            "account-language": "en",
            "account-time_zone": "Europe/Zurich",
            "mail-notification_delivery": "daily",
            "mail-receive": ["consultation"],
        },
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.notification_delivery == "daily"
    assert ana.muted_kinds == ["action_item", "meeting", "event"]


@pytest.fixture
def ana_on_digest(gcg):
    """Ana takes a daily digest, and owns an item overdue since 1 December 2018."""
    ana = member(gcg, "Ana")
    ana.notification_delivery = "daily"
    ana.save()
    late = factories.ActionItemFactory(
        title="Overdue report", meeting__group=gcg, due_on=datetime.date(2018, 12, 1),
        created_at=datetime.datetime(2018, 11, 1, tzinfo=GENEVA),
    )  # fmt: skip
    late.owner_people.add(ana)
    return ana, late


def test_a_daily_digest_groups_what_needs_action_first_then_by_deadline(
    consultation, gcg, ana_on_digest
):
    ana, late = ana_on_digest
    other = factories.DocumentVersionFactory(
        document__owner_group=gcg, document__title="Closed one"
    )
    consultations.consultation_open(
        version=other,
        audience=gcg,
        opens_at=OPENS - datetime.timedelta(days=20),
        closes_at=OPENS - datetime.timedelta(days=1),
    )

    assert sweep_at(OPENS) == []  # 09:00: nothing now, all of it tomorrow at 07:00
    assert sweep_at(OPENS + datetime.timedelta(hours=21, minutes=59)) == []
    digest = sweep_at(OPENS + datetime.timedelta(hours=22))  # 07:00 the next day
    assert digest == [("ana@example.org", "Alliance 8.7: 3 things for you")]
    body = mail.outbox[0].body
    action, info = body.split("For your information")
    assert action.index("Overdue: Overdue report") < action.index("Open for comment: Guidance Note")
    assert "Consultation closed: Closed one" in info
    assert sweep_at(OPENS + datetime.timedelta(hours=23)) == []  # one digest a day
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


# --- meetings and events --------------------------------------------------------------------


def test_meeting_invitation_update_papers_and_reminder_carry_one_calendar_entry(gcg):
    from icalendar import Calendar

    member(gcg, "Ana")
    meeting = factories.MeetingFactory(
        group=gcg, number=4, city="New York", status="planned", starts_on=None, ends_on=None,
        time_zone="America/New_York",
    )  # fmt: skip
    now = datetime.datetime(2019, 2, 1, 9, 0, tzinfo=GENEVA)
    assert sweep_at(now) == []  # tentative: nobody is invited yet

    meeting.starts_on = meeting.ends_on = datetime.date(2019, 4, 9)
    meeting.status = "confirmed"
    meeting.save()
    assert sweep_at(now) == [("ana@example.org", "Invitation: 4th GCG meeting, 9 April 2019")]
    first = Calendar.from_ical(mail.outbox[0].attachments[0].get_payload(decode=True)).walk(
        "VEVENT"
    )[0]

    meeting.refresh_from_db()
    meeting.starts_on = meeting.ends_on = datetime.date(2019, 4, 10)
    meeting.save()
    assert sweep_at(now + datetime.timedelta(hours=1)) == [
        ("ana@example.org", "New dates: 4th GCG meeting, 10 April 2019")
    ]
    second = Calendar.from_ical(mail.outbox[0].attachments[0].get_payload(decode=True)).walk(
        "VEVENT"
    )[0]
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second.decoded("DTSTART") == datetime.date(2019, 4, 10)

    meeting.papers_published_at = now + datetime.timedelta(days=1)
    meeting.save()
    assert sweep_at(now + datetime.timedelta(days=1)) == [
        ("ana@example.org", "Papers available: 4th GCG meeting")
    ]
    before = datetime.datetime(2019, 4, 3, 0, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    assert sweep_at(before - SECOND) == []
    assert sweep_at(before) == [("ana@example.org", "Next week: 4th GCG meeting")]
    assert sweep_at(before + datetime.timedelta(days=1)) == []


def test_events_are_announced_as_far_in_advance_as_they_say(gcg):
    from coordination.models import Event

    member(gcg, "Ana")
    forum = Event.objects.create(
        title="NGO Forum",
        city="Bangkok",
        starts_on=datetime.date(2018, 12, 3),
        ends_on=datetime.date(2018, 12, 5),
        notify_days_before=30,
    )
    forum.notify_groups.add(gcg)
    notice = datetime.datetime(2018, 11, 3, 0, 0, tzinfo=GENEVA)
    assert sweep_at(notice - SECOND) == []
    assert sweep_at(notice) == [("ana@example.org", "Coming up: NGO Forum, 3–5 December 2018")]
    assert mail.outbox[0].attachments[0].get_filename() == "event.ics"
    assert sweep_at(notice + datetime.timedelta(days=10)) == []


def test_each_person_has_a_secret_calendar_feed(client, demo):
    from icalendar import Calendar

    from coordination.models import Person

    person = Person.objects.get(user=demo["member"])
    client.force_login(demo["member"])
    assert str(person.calendar_key) in client.get("/accounts/preferences/").content.decode()
    client.logout()
    response = client.get(f"/calendar/{person.calendar_key}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    entries = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in entries}
    assert "Comments due: Pathfinder Country Guidance Note" in summaries
    assert "Due: Provide feedback on the Pathfinder Country Guidance Note" in summaries
    assert client.get("/calendar/00000000-0000-0000-0000-000000000000.ics").status_code == 404


def test_finding_what_is_due_takes_a_bounded_number_of_queries(gcg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coordination.reminders import reminders_record

    now = datetime.datetime(2019, 2, 14, 9, 0, tzinfo=GENEVA)

    def add(n):
        for i in range(n):
            person = member(gcg, f"Owner{Reminder.objects.count()}x{i}")
            item = factories.ActionItemFactory(
                due_on=datetime.date(2019, 2, 15),
                created_at=datetime.datetime(2019, 1, 1, tzinfo=GENEVA),
            )
            item.owner_people.add(person)
            version = factories.DocumentVersionFactory(document__owner_group=gcg)
            consultations.consultation_open(
                version=version, audience=gcg, opens_at=now - datetime.timedelta(days=1)
            )
        with CaptureQueriesContext(connection) as queries:
            reminders_record(now)
        return [q["sql"].split()[0] for q in queries.captured_queries]

    few = add(5)
    many = add(45)
    assert Reminder.objects.count() > 50 * 50 / 2  # every member of every consultation
    # Finding what is due: at most a few reads per kind (4 kinds), however many objects;
    # recording it: batched INSERTs (1,000 rows each; SQLite's variable limit makes them smaller).
    assert few.count("SELECT") <= 22
    assert many.count("SELECT") <= 22
    assert many.count("INSERT") <= Reminder.objects.count() // 50


def test_emails_are_in_the_persons_language(consultation, gcg):
    ana, ben = member(gcg, "Ana"), member(gcg, "Ben")
    ana.user.language = "fr"
    ana.user.save()
    ben.user.language = "es"
    ben.user.save()
    assert sweep_at(OPENS) == [
        ("ana@example.org", "Ouvert aux commentaires : Guidance Note"),
        ("ben@example.org", "Abierto a comentarios: Guidance Note"),
    ]
    french = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "Bonjour Ana" in french.body
    assert "Ne plus recevoir ces courriels" in french.body


def test_the_site_speaks_french_and_spanish(client, gcg_member):
    client.force_login(gcg_member)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/dashboard/"})
    assert "Mes points d’action ouverts" in client.get("/dashboard/").content.decode()
    client.post("/i18n/setlang/", {"language": "es", "next": "/dashboard/"})
    assert "Mis puntos de acción abiertos" in client.get("/dashboard/").content.decode()


def test_the_calendar_feed_follows_the_pages_rules_for_items_and_events(client, gcg, other_group):
    from icalendar import Calendar

    from coordination.models import Event

    member = factories.UserFactory(email="feed@example.org")
    person = factories.MembershipFactory(
        person__user=member, person__email=member.email, group=gcg
    ).person
    owned = factories.ActionItemFactory(meeting__group=other_group, title="Ours to do")
    owned.owner_groups.add(gcg)
    factories.ActionItemFactory(meeting__group=other_group, title="Theirs to do")
    start = timezone.localdate() + datetime.timedelta(days=20)
    for title, group in (("For the GCG", gcg), ("For the other group", other_group)):
        Event.objects.create(title=title, starts_on=start).notify_groups.add(group)
    Event.objects.create(title="For every member", starts_on=start)

    response = client.get(f"/calendar/{person.calendar_key}.ics")
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert "Due: Ours to do" in summaries
    assert "Due: Theirs to do" not in summaries
    assert {"For the GCG", "For every member"} <= summaries
    assert "For the other group" not in summaries


def test_the_secretariat_in_the_group_is_not_asked_to_respond(consultation, gcg):
    member(gcg, "Ana")
    officer = member(gcg, "Officer")
    officer.memberships.update(role="secretariat")
    assert sweep_at(OPENS) == [("ana@example.org", "Open for comment: Guidance Note")]
    two_days = CLOSES - datetime.timedelta(days=2)
    assert [to for to, _subject in sweep_at(two_days)] == ["ana@example.org"]
    rows = consultations.responses(consultation)
    assert [row["person"].full_name for row in rows] == ["Ana"]


def test_a_row_whose_claim_was_taken_over_is_skipped_not_sent(consultation, gcg):
    import uuid

    from coordination.reminders import reminders_claim, reminders_record, reminders_send

    member(gcg, "Ana")
    member(gcg, "Ben")
    mail.outbox.clear()
    with time_machine.travel(OPENS, tick=False):
        reminders_record(OPENS)
        token, batch = reminders_claim(OPENS)
        assert len(batch) == 2
        # Another sweep took the first row over (its claim had expired) before it went out.
        Reminder.objects.filter(pk=batch[0].pk).update(claim_token=uuid.uuid4())
        counts = reminders_send(token, batch)
    assert (counts["sent"], counts["lost"]) == (1, 1)
    assert [m.to for m in mail.outbox] == [[batch[1].recipient.email]]
    assert not Reminder.objects.get(pk=batch[0].pk).sent_at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_leaves_the_work_to_one_already_running(consultation, gcg):
    import psycopg

    from coordination.reminders import SWEEP_LOCK

    member(gcg, "Ana")
    database = connection.settings_dict
    other = psycopg.connect(
        host=database["HOST"], port=database["PORT"], dbname=database["NAME"],
        user=database["USER"], password=database["PASSWORD"], autocommit=True,
    )  # fmt: skip
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [SWEEP_LOCK])  # a sweep still sending
        assert sweep_at(OPENS) == []
        assert not Reminder.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])
        assert sweep_at(OPENS) == [("ana@example.org", "Open for comment: Guidance Note")]
    finally:
        other.close()


def test_an_unsubscribe_between_recording_and_sending_sends_nothing(consultation, gcg):
    from coordination.reminders import reminders_claim, reminders_record, reminders_send

    ana = member(gcg, "Ana")
    mail.outbox.clear()
    with time_machine.travel(OPENS, tick=False):
        reminders_record(OPENS)
        token, batch = reminders_claim(OPENS)
        ana.muted_kinds = ["*"]  # the one-click unsubscribe, while the sweep was on its way
        ana.save(update_fields=["muted_kinds"])
        batch[0].recipient.refresh_from_db()
        counts = reminders_send(token, batch)
    assert (counts["sent"], counts["dropped"]) == (0, 1)
    assert mail.outbox == []
    assert Reminder.objects.get().dropped_at is not None


def test_an_item_done_between_recording_and_sending_is_not_reminded(gcg, settings):
    from coordination.reminders import reminders_record

    ana = member(gcg, "Ana")
    item = factories.ActionItemFactory(
        meeting__group=gcg,
        due_on=datetime.date(2018, 12, 10),
        created_at=datetime.datetime(2018, 11, 1, tzinfo=GENEVA),
    )
    item.owner_people.add(ana)
    moment = datetime.datetime(2018, 12, 9, 0, 0, tzinfo=GENEVA)
    with time_machine.travel(moment, tick=False):
        reminders_record(moment)
    assert Reminder.objects.count() == 1
    services.action_item_set_status(action_item=item, status="done", by=ana.user, note="Sent")
    assert sweep_at(moment + SECOND) == []
    assert Reminder.objects.get().dropped_at is not None


def test_overdue_reminders_stop_after_four(gcg):
    ana = member(gcg, "Ana")
    item = factories.ActionItemFactory(meeting__group=gcg, due_on=datetime.date(2018, 12, 10))
    item.owner_people.add(ana)
    day_after = datetime.datetime(2018, 12, 11, 0, 0, tzinfo=GENEVA)
    sent = [sweep_at(day_after + datetime.timedelta(weeks=w)) for w in range(8)]
    assert [len(s) for s in sent] == [1, 1, 1, 1, 0, 0, 0, 0]


def test_a_digest_leaves_out_what_was_done_and_is_not_sent_after_an_unsubscribe(
    consultation, gcg, ana_on_digest
):
    ana, late = ana_on_digest
    assert sweep_at(OPENS) == []  # recorded, waiting for tomorrow's digest
    services.action_item_set_status(action_item=late, status="done", by=ana.user, note="Sent")
    digest = sweep_at(OPENS + datetime.timedelta(hours=22))
    assert digest == [("ana@example.org", "Alliance 8.7: 1 thing for you")]
    assert "Overdue report" not in mail.outbox[0].body

    consultations.consultation_open(
        version=factories.DocumentVersionFactory(document__owner_group=gcg, text="Two."),
        audience=gcg,
        opens_at=OPENS + datetime.timedelta(days=1),
    )
    assert sweep_at(OPENS + datetime.timedelta(days=1, hours=1)) == []  # recorded
    ana.muted_kinds = ["*"]
    ana.save(update_fields=["muted_kinds"])
    assert sweep_at(OPENS + datetime.timedelta(days=1, hours=22)) == []  # nothing after it
