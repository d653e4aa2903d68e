"""What stays open long after its due date goes on the secretariat's weekly list.

Owners are reminded the day after the due date, then weekly, four times in all; after that the
item is no longer theirs to be mailed about but the secretariat's to chase: once a week each
officer gets one message listing every such item, while it is true.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination import services
from coordination.models import Person, Reminder
from coordination.reminder_kinds import LongOverdueReminders
from coordination.reminders import digest_message, reminders_record, sweep
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
DUE = datetime.date(2018, 12, 10)  # a Monday
SIX_WEEKS_ON = datetime.datetime(2019, 1, 21, 9, 0, tzinfo=GENEVA)  # Monday, ISO week 2019-W04


def sweep_at(moment) -> list[tuple[str, str]]:
    mail.outbox.clear()
    with time_machine.travel(moment, tick=False):
        sweep()
    return sorted((m.to[0], m.subject) for m in mail.outbox)


@pytest.fixture
def officer(secretariat):
    return factories.PersonFactory(
        user=secretariat, email=secretariat.email, full_name="Olga Officer"
    )


@pytest.fixture
def ana(gcg):
    user = factories.UserFactory(email="ana@example.org")
    return factories.MembershipFactory(
        group=gcg, person__full_name="Ana", person__email=user.email, person__user=user
    ).person


def overdue_item(owner, title="Country report", due_on=DUE):
    item = factories.ActionItemFactory(
        title=title,
        meeting__time_zone="Europe/Zurich",
        due_on=due_on,
        created_at=datetime.datetime(2018, 11, 1, tzinfo=GENEVA),
    )
    item.owner_people.add(owner)
    return item


def test_owners_are_reminded_four_times_then_the_secretariat_lists_the_item_weekly(officer, ana):
    """Swept every morning for six weeks: the owner's four reminders, then from the first
    day without one (29 days after the due date) the secretariat's list, once a week."""
    overdue_item(ana, title="Country report <draft> & annex")
    sent = []
    for day in range(1, 43):
        moment = datetime.datetime.combine(
            DUE + datetime.timedelta(days=day), datetime.time(9), tzinfo=GENEVA
        )
        sent += [(moment.date(), to, subject) for to, subject in sweep_at(moment)]

    late = "Overdue: Country report <draft> & annex"
    listed = "Long overdue: 1 action item"
    assert sent == [
        (datetime.date(2018, 12, 11), "ana@example.org", late),
        (datetime.date(2018, 12, 18), "ana@example.org", late),
        (datetime.date(2018, 12, 25), "ana@example.org", late),
        (datetime.date(2019, 1, 1), "ana@example.org", late),
        (datetime.date(2019, 1, 8), "officer@example.org", listed),  # Tuesday, week 2
        (datetime.date(2019, 1, 14), "officer@example.org", listed),  # Monday, week 3
        (datetime.date(2019, 1, 21), "officer@example.org", listed),
    ]
    milestones = Reminder.objects.filter(kind="long_overdue").values_list("milestone", flat=True)
    assert sorted(milestones) == ["2019-W02", "2019-W03", "2019-W04"]


def test_the_weekly_list_names_each_item_its_owners_due_date_and_weeks_overdue(officer, ana, gcg):
    item = overdue_item(ana, title="Country report <draft> & annex")
    item.owner_groups.add(gcg)
    overdue_item(ana, title="Not yet long overdue", due_on=DUE + datetime.timedelta(weeks=3))
    assert sweep_at(SIX_WEEKS_ON) == [
        ("ana@example.org", "Overdue: Not yet long overdue"),
        ("officer@example.org", "Long overdue: 1 action item"),
    ]
    (message,) = [m for m in mail.outbox if m.to == ["officer@example.org"]]
    text, html = message.body, message.alternatives[0][0]
    url = f"http://127.0.0.1:8000/actions/{item.pk}/"
    assert (
        "- Country report <draft> & annex\n"
        "  Owners: Ana, Global Coordinating Group\n"
        "  Due on 10 December 2018, 6 weeks overdue\n"
        f"  {url}\n"
    ) in text
    assert "Not yet long overdue" not in text + html
    assert f'<a href="{url}"><strong>Country report &lt;draft&gt; &amp; annex</strong></a>' in html
    assert "<draft>" not in html
    assert "Due on 10 December 2018, 6 weeks overdue" in html
    assert "http://127.0.0.1:8000/actions/?overdue=on" in text


def test_the_secretariat_is_not_mailed_as_an_owner_of_a_long_overdue_item(officer, ana):
    overdue_item(officer)
    overdue_item(ana, title="Another report")
    assert sweep_at(SIX_WEEKS_ON) == [("officer@example.org", "Long overdue: 2 action items")]


def test_an_item_done_before_the_list_goes_out_sends_nothing(officer, ana):
    item = overdue_item(ana)
    with time_machine.travel(SIX_WEEKS_ON, tick=False):
        assert reminders_record(SIX_WEEKS_ON) == 1
    services.action_item_set_status(action_item=item, status="done", by=ana.user, note="Sent")
    assert sweep_at(SIX_WEEKS_ON + datetime.timedelta(minutes=5)) == []
    assert Reminder.objects.get(kind="long_overdue").dropped_at is not None


def test_an_officer_who_left_the_secretariat_is_not_sent_the_list(officer, ana):
    overdue_item(ana)
    with time_machine.travel(SIX_WEEKS_ON, tick=False):
        assert reminders_record(SIX_WEEKS_ON) == 1
    officer.user.is_superuser = False
    officer.user.save()
    assert sweep_at(SIX_WEEKS_ON + datetime.timedelta(minutes=5)) == []


def test_an_officer_on_a_digest_gets_the_list_as_one_line(officer, ana):
    officer.notification_delivery = "weekly"
    officer.last_digest_at = datetime.datetime(2019, 1, 14, 7, 0, tzinfo=GENEVA)
    officer.save()
    overdue_item(ana)
    overdue_item(ana, title="Another report")
    monday = datetime.datetime(2019, 1, 21, 7, 0, tzinfo=GENEVA)
    assert sweep_at(monday) == [("officer@example.org", "Alliance 8.7: 1 thing for you")]
    assert (
        "- Long overdue: 2 action items\n  http://127.0.0.1:8000/actions/?overdue=on\n"
        in mail.outbox[0].body
    )


def test_only_officers_with_an_address_and_only_officers_are_sent_the_list(
    officer, ana, secretariat_by_permission, staff_without_permissions
):
    by_permission = factories.PersonFactory(
        user=secretariat_by_permission, email=secretariat_by_permission.email
    )
    factories.PersonFactory(user=staff_without_permissions, email=staff_without_permissions.email)
    factories.PersonFactory(user=factories.UserFactory(is_superuser=True), email="")
    overdue_item(ana)
    assert [to for to, _subject in sweep_at(SIX_WEEKS_ON)] == [
        by_permission.email,
        "officer@example.org",
    ]


def test_the_preferences_page_offers_the_list_to_the_secretariat_only(client, officer, ana):
    client.force_login(officer.user)
    assert (
        "the secretariat&#x27;s weekly list"
        in client.get("/accounts/preferences/").content.decode()
    )
    client.force_login(ana.user)
    assert "weekly list" not in client.get("/accounts/preferences/").content.decode()


def test_the_list_takes_as_many_queries_for_30_items_as_for_3(officer, ana, gcg):
    kind = LongOverdueReminders()

    def build() -> tuple[str, int]:
        person = Person.objects.select_related("user").get(pk=officer.pk)
        with CaptureQueriesContext(connection) as captured:
            assert kind.is_still_true(person, "2019-W04", person)
            message = kind.message(obj=person, milestone="2019-W04", person=person)
            digest_message(person, [(kind, person, Reminder(milestone="2019-W04"))])
        return message.body, len(captured)

    def add(n):
        for i in range(n):
            item = overdue_item(ana, title=f"Report {i}")
            item.owner_groups.add(gcg)
            item.owner_organisations.add(factories.OrganisationFactory())

    add(3)
    with time_machine.travel(SIX_WEEKS_ON, tick=False):
        few_body, few = build()
        add(27)
        many_body, many = build()
    assert (few_body.count("\n- "), many_body.count("\n- ")) == (3, 30)
    assert few == many


def test_a_week_missed_in_an_outage_is_not_sent_as_well_as_the_next(officer, ana):
    overdue_item(ana)
    last_week = SIX_WEEKS_ON - datetime.timedelta(weeks=1)
    with time_machine.travel(last_week, tick=False):
        assert reminders_record(last_week) == 1  # and then the mail relay was down all week
    assert sweep_at(SIX_WEEKS_ON) == [("officer@example.org", "Long overdue: 1 action item")]
    assert Reminder.objects.get(milestone="2019-W03").dropped_at is not None
