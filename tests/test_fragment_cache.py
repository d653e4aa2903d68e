"""Fragments of pages kept until the record changes (coordination.caching): any write, from
any door, after it commits, and nothing else, makes them render again."""

import threading

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone, translation

from coordination import caching
from coordination.models import ActionItem, Organisation
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fragments_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600


def _fragment(vary=(), name="test"):
    """The fragment as a new request sees it, and whether it was rendered for it."""
    rendered = []

    def render():
        rendered.append(True)
        return f"<p>{Organisation.objects.count()} organisations</p>"

    html = caching.fragment(RequestFactory().get("/"), name, vary, render)
    return str(html), bool(rendered)


def test_a_fragment_is_rendered_once_then_served_until_a_write():
    assert _fragment() == ("<p>0 organisations</p>", True)
    assert _fragment() == ("<p>0 organisations</p>", False)
    factories.OrganisationFactory(acronym="ILO")
    assert _fragment() == ("<p>1 organisations</p>", True)
    assert _fragment() == ("<p>1 organisations</p>", False)


def test_every_kind_of_write_moves_the_generation_on(gcg):
    item = ActionItem.objects.create(title="Circulate the ToR")
    for write in (
        lambda: ActionItem.objects.filter(pk=item.pk).update(title="Circulate the revised ToR"),
        lambda: item.owner_groups.add(gcg),
        lambda: ActionItem.objects.bulk_create([ActionItem(title="Another")]),
        lambda: ActionItem.objects.filter(title="Another").delete(),
    ):
        before = caching.generation_read()
        write()
        assert caching.generation_read() > before


def test_the_generation_moves_on_once_when_the_transaction_commits():
    before = caching.generation_read()
    seen_inside = []
    with transaction.atomic():
        factories.OrganisationFactory(acronym="ILO")
        factories.OrganisationFactory(acronym="UNICEF")
        # another connection, as another process would: the new rows are not there yet
        thread = threading.Thread(target=lambda: seen_inside.append(caching.generation_read()))
        thread.start()
        thread.join()
    assert seen_inside == [before]
    assert caching.generation_read() == before + 1


def test_a_rolled_back_transaction_leaves_the_generation_and_the_next_one_moves_it():
    before = caching.generation_read()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.OrganisationFactory(acronym="ILO")
        raise RuntimeError
    assert caching.generation_read() == before
    factories.OrganisationFactory(acronym="UNICEF")
    assert caching.generation_read() > before


def test_writes_no_page_shows_leave_the_fragments_cached():
    _fragment()
    Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())
    assert _fragment() == ("<p>0 organisations</p>", False)


def test_a_fragment_varies_with_what_it_names_the_language_and_the_time_zone():
    _fragment(vary=(1,))
    assert _fragment(vary=(1,))[1] is False
    assert _fragment(vary=(2,))[1] is True
    with translation.override("fr"):
        assert _fragment(vary=(1,))[1] is True
    with timezone.override("America/New_York"):
        assert _fragment(vary=(1,))[1] is True


def test_the_watch_knows_a_write_to_the_record_from_anything_else():
    writes = [
        'INSERT OR IGNORE INTO "coordination_actionitem_owner_groups" ("a") VALUES (%s)',
        'update "coordination_meeting" set "venue" = %s',
        'WITH moved AS (SELECT 1) UPDATE "coordination_meeting" SET "venue" = %s',
        '/* a hint */ DELETE FROM "coordination_comment"',
        'TRUNCATE "axes_accessattempt", "coordination_meeting"',
        "COPY coordination_meeting FROM STDIN",  # no table named as Django quotes them
    ]
    others = [
        'SELECT "coordination_meeting"."id" FROM "coordination_meeting" FOR UPDATE',
        'WITH x AS (SELECT 1) SELECT "coordination_meeting"."id" FROM "coordination_meeting"',
        'DELETE FROM "django_session" WHERE "session_key" = %s',
        'UPDATE "coordination_outboundemail" SET "sent_at" = %s WHERE "id" = %s',
        'TRUNCATE "axes_accessattempt", "django_session"',
        'SAVEPOINT "s1"',
    ]
    assert [sql for sql in writes if not caching.writes_to_the_record(sql)] == []
    assert [sql for sql in others if caching.writes_to_the_record(sql)] == []
