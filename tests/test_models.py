import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coordination.models import ActionItem, Attendance, Meeting, Membership
from coordination.services import (
    ActionItemError,
    action_item_record_trigger,
    action_item_set_status,
)
from coordination.text import ordinal, render_markdown, to_roman
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")


def relative_item(**kwargs):
    return factories.ActionItemFactory(
        due_on=None, due_days_after_trigger=14, trigger="receipt of the revised draft", **kwargs
    )


def test_relative_due_date_is_fixed_when_the_trigger_is_recorded():
    item = relative_item(meeting__time_zone="Europe/Zurich")
    assert item.due_label(datetime.date(2018, 12, 1)) == (
        "due 14 days after receipt of the revised draft"
    )

    # 23:30 in Geneva on 10 December is already the 10th there, whatever UTC says.
    shared_at = datetime.datetime(2018, 12, 10, 23, 30, tzinfo=GENEVA)
    action_item_record_trigger(action_item=item, at=shared_at)

    item.refresh_from_db()
    assert item.due_on == datetime.date(2018, 12, 24)
    assert item.triggered_at == shared_at
    assert item.due_label(datetime.date(2018, 12, 21)) == "due in 3 days"
    assert item.due_label(datetime.date(2018, 12, 24)) == "due today"
    assert item.due_label(datetime.date(2018, 12, 26)) == "overdue since 24 December 2018"
    assert item.is_overdue(datetime.date(2018, 12, 26))


def test_recording_the_trigger_twice_keeps_the_first_date():
    item = relative_item()
    first = datetime.datetime(2018, 12, 10, 9, 0, tzinfo=GENEVA)
    action_item_record_trigger(action_item=item, at=first)
    action_item_record_trigger(action_item=item, at=first + datetime.timedelta(days=5))
    item.refresh_from_db()
    assert item.due_on == datetime.date(2018, 12, 24)


def test_a_fixed_due_date_has_no_trigger_to_record():
    item = factories.ActionItemFactory(due_on=datetime.date(2019, 1, 1))
    with pytest.raises(ActionItemError):
        action_item_record_trigger(action_item=item)


def test_done_items_are_never_overdue():
    item = factories.ActionItemFactory(due_on=datetime.date(2019, 1, 1), status="done")
    assert not item.is_overdue(datetime.date(2020, 1, 1))
    assert item.due_label(datetime.date(2020, 1, 1)) == "was due on 1 January 2019"


def test_status_change_records_who_and_when(secretariat):
    item = factories.ActionItemFactory()
    action_item_set_status(action_item=item, status="in_progress", by=secretariat, note="Started")
    action_item_set_status(action_item=item, status="done", by=secretariat, note="Sent")

    item.refresh_from_db()
    assert item.status == "done"
    assert item.status_changed_by == secretariat
    assert item.status_changed_at is not None
    changes = list(item.status_changes.values_list("from_status", "to_status", "note"))
    assert changes == [("open", "in_progress", "Started"), ("in_progress", "done", "Sent")]


def test_status_change_to_the_same_status_is_refused(secretariat):
    item = factories.ActionItemFactory()
    with pytest.raises(ActionItemError, match="already"):
        action_item_set_status(action_item=item, status="open", by=secretariat)
    assert item.status_changes.count() == 0


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_database_refuses_a_second_meeting_with_the_same_number():
    meeting = factories.MeetingFactory(number=3)
    _refused(lambda: factories.MeetingFactory(group=meeting.group, number=3))


def test_database_refuses_a_meeting_ending_before_it_starts():
    _refused(
        lambda: factories.MeetingFactory(
            starts_on=datetime.date(2018, 11, 28), ends_on=datetime.date(2018, 11, 27)
        )
    )


def test_database_refuses_an_unknown_status():
    _refused(lambda: factories.MeetingFactory(status="postponed"))
    _refused(lambda: factories.ActionItemFactory(status="finished"))


def test_database_refuses_a_confirmed_meeting_without_dates():
    _refused(lambda: factories.MeetingFactory(status="confirmed", starts_on=None, ends_on=None))


def test_database_refuses_two_agenda_items_in_the_same_place():
    item = factories.AgendaItemFactory(order=2)
    _refused(lambda: factories.AgendaItemFactory(meeting=item.meeting, order=2))


def test_database_refuses_a_second_membership_of_the_same_group():
    membership = factories.MembershipFactory()
    _refused(lambda: Membership.objects.create(person=membership.person, group=membership.group))


def test_database_refuses_attendance_naming_nobody():
    meeting = factories.MeetingFactory()
    _refused(lambda: Attendance.objects.create(meeting=meeting))


def test_database_refuses_a_relative_deadline_without_trigger():
    _refused(lambda: factories.ActionItemFactory(due_on=None, due_days_after_trigger=14))


def test_meeting_form_validation_explains_the_date_rules():
    meeting = factories.MeetingFactory.build(
        group=factories.GroupFactory(),
        status="confirmed",
        starts_on=datetime.date(2019, 3, 5),
        ends_on=datetime.date(2019, 3, 4),
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "cannot end before it starts" in str(error.value)


def test_a_tentative_meeting_reads_as_written_and_later_confirmed():
    meeting = factories.MeetingFactory(
        number=4,
        starts_on=None,
        ends_on=None,
        status="planned",
        window_starts_on=datetime.date(2019, 3, 1),
        window_ends_on=datetime.date(2019, 4, 30),
        dates_note="March or April 2019, tbc",
    )
    assert meeting.dates_display == "March or April 2019, tbc"
    assert not meeting.has_confirmed_dates

    meeting.starts_on = meeting.ends_on = datetime.date(2019, 4, 9)
    meeting.status = Meeting.Status.CONFIRMED
    meeting.full_clean()
    meeting.save()
    assert meeting.dates_display == "9 April 2019"


def test_meeting_titles_and_numerals():
    meeting = factories.MeetingFactory(number=3, group__short_name="GCG")
    assert meeting.title == "3rd GCG meeting"
    assert [to_roman(n) for n in (1, 4, 9, 10, 14)] == ["I", "IV", "IX", "X", "XIV"]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"
    ]  # fmt: skip


def test_markdown_from_users_is_sanitised():
    html = render_markdown(
        'Hi <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) [ok](https://alliance87.org)"
    )
    assert "<script" not in html  # shown as text, never as a tag
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://alliance87.org"' in html


def test_action_item_queryset_finds_owners_through_person_organisation_and_group(gcg):
    user = factories.UserFactory()
    person = factories.PersonFactory(user=user)
    factories.MembershipFactory(person=person, group=gcg)
    by_person = factories.ActionItemFactory()
    by_person.owner_people.add(person)
    by_org = factories.ActionItemFactory()
    by_org.owner_organisations.add(person.organisation)
    by_group = factories.ActionItemFactory()
    by_group.owner_groups.add(gcg)
    factories.ActionItemFactory()  # someone else's

    owned = set(ActionItem.objects.owned_by(user))
    assert owned == {by_person, by_org, by_group}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_marking_an_item_done_at_once_record_one_change():
    """The row lock makes the second request see the first one's change, not overwrite it."""
    import threading

    from django.db import connection

    secretariat = factories.UserFactory(is_staff=True)
    item = factories.ActionItemFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def mark_done():
        try:
            barrier.wait()
            action_item_set_status(action_item=item, status="done", by=secretariat, note="Sent")
            outcomes.append("done")
        except ActionItemError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=mark_done) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["done", "refused"]
    assert item.status_changes.count() == 1
