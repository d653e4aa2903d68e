"""Events read in date order on both databases: a date, else the tentative window; undated last
(SQLite sorts NULL first, PostgreSQL last: the order says which it wants)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from coordination.models import Event
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(gcg):
    def event(title, **dates):
        made = factories.EventFactory(title=title, **{"starts_on": None, **dates})
        made.notify_groups.add(gcg)
        return made

    event("Undated side event")
    event("NGO Forum", starts_on=datetime.date(2018, 12, 3), ends_on=datetime.date(2018, 12, 5))
    event(
        "Regional consultation (tbc)",
        window_starts_on=datetime.date(2019, 3, 1),
        window_ends_on=datetime.date(2019, 4, 30),
    )
    event("Launch of the Global Estimates", starts_on=datetime.date(2017, 9, 19))
    event("Buenos Aires conference", starts_on=datetime.date(2017, 11, 14))


def in_page_order(page: str, titles: list[str]) -> bool:
    positions = [page.index(title) for title in titles]
    return positions == sorted(positions)


@time_machine.travel(datetime.datetime(2018, 11, 28, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_event_list_reads_by_date_with_undated_events_last(client, gcg_member, events):
    client.force_login(gcg_member)
    page = client.get(reverse("event_list")).content.decode()
    assert in_page_order(
        page,
        [
            "NGO Forum",  # upcoming, soonest first; a window counts as its first day
            "Regional consultation (tbc)",
            "Buenos Aires conference",  # then the past, latest first, undated last
            "Launch of the Global Estimates",
            "Undated side event",
        ],
    )


def test_every_list_of_events_puts_the_undated_last(events):
    """The model's own order too (the admin, the calendar feed): the same on both databases."""
    assert list(Event.objects.values_list("title", flat=True)) == [
        "Launch of the Global Estimates",
        "Buenos Aires conference",
        "NGO Forum",
        "Regional consultation (tbc)",
        "Undated side event",
    ]
