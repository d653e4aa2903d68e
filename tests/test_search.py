"""Search: one box for the record, finding only what the reader may see, on both databases."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import ActionItem, AgendaItem, Meeting
from search import records
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def search(client, text, **params):
    response = client.get(SEARCH, {"q": text, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_groups_minutes(gcg, other_group):
    """Minutes of a GCG meeting and of another group's meeting, sharing a word."""
    ours = factories.AgendaItemFactory(
        meeting__group=gcg, title="Budget", minutes="The zanzibar plan of the GCG."
    )
    theirs = factories.AgendaItemFactory(
        meeting__group=other_group,
        title="Confidential",
        minutes="The zanzibar plan of the migration group, not for the GCG.",
    )
    return ours, theirs


# --- who may search, and what they find ---------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(SEARCH, {"q": "DFID"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_an_account_without_a_group_is_refused_like_every_members_page(client, no_membership):
    client.force_login(no_membership)
    assert client.get(SEARCH, {"q": "DFID"}).status_code == 403


def test_a_member_never_finds_another_groups_minutes(client, gcg_member, two_groups_minutes):
    ours, theirs = two_groups_minutes
    client.force_login(gcg_member)
    page = search(client, "zanzibar")
    assert "The <mark>zanzibar</mark> plan of the GCG." in page
    assert f"{ours.meeting.get_absolute_url()}#{ours.anchor}" in page
    assert "migration group" not in page
    assert "Confidential" not in page
    assert theirs.meeting.get_absolute_url() not in page


def test_the_other_group_finds_its_own_minutes_only(client, outsider, two_groups_minutes):
    client.force_login(outsider)
    page = search(client, "zanzibar")
    assert "migration group" in page
    assert "plan of the GCG." not in page


def test_the_secretariat_finds_both(client, secretariat, two_groups_minutes):
    client.force_login(secretariat)
    page = search(client, "zanzibar")
    assert "plan of the GCG." in page and "migration group" in page


def test_a_member_never_finds_another_groups_papers_items_or_decisions(
    client, gcg_member, other_group
):
    meeting = factories.MeetingFactory(group=other_group, objective="Quokka objective.")
    factories.DecisionFactory(meeting=meeting, text="Quokka decision.")
    factories.ActionItemFactory(meeting=meeting, title="Quokka action")
    version = factories.DocumentVersionFactory(
        document__owner_group=other_group, document__title="Quokka paper", text="Quokka text."
    )
    factories.EventFactory(title="Quokka event").notify_groups.add(other_group)
    client.force_login(gcg_member)
    page = search(client, "quokka")
    assert "Quokka" not in page
    assert version.get_absolute_url() not in page
    assert "Nothing you may see matches “quokka”" in page


def test_members_find_only_the_countries_marked_public(client, gcg_member, secretariat):
    factories.PathfinderCountryFactory(country="KE", is_public=True)
    factories.PathfinderCountryFactory(country="NE", is_public=False)  # Niger
    factories.NationalWorkshopFactory(country__country="NA", city="Windhoek")  # Namibia
    client.force_login(gcg_member)
    page = search(client, "Ke")  # Kenya, and every name holding "ke"
    assert "<mark>Kenya</mark>" in page  # the whole word that starts with it
    assert "Nothing you may see matches" in search(client, "Niger")
    assert "Nothing you may see matches" in search(client, "Windhoek")
    client.force_login(secretariat)
    assert "<mark>Niger</mark>" in search(client, "Niger")
    assert "<mark>Windhoek</mark>" in search(client, "Windhoek")


def test_script_in_minutes_comes_out_escaped(client, gcg_member, gcg):
    factories.AgendaItemFactory(
        meeting__group=gcg, minutes='Before <script>alert("x")</script> the DFID funding.'
    )
    client.force_login(gcg_member)
    page = search(client, "DFID")
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; the <mark>DFID</mark>" in page


def test_a_title_with_markup_is_escaped_before_it_is_marked(client, gcg_member, gcg):
    factories.ActionItemFactory(meeting__group=gcg, title="<b>Wombat</b> & <i>co</i>")
    client.force_login(gcg_member)
    page = search(client, "wombat")
    assert "&lt;b&gt;<mark>Wombat</mark>&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in page


# --- the demo ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found",
    [
        ("DFID", "There are opportunities to work in Nigeria with <mark>DFID</mark> funding"),
        ("inaugural", "the word “<mark>inaugural</mark>” has been removed"),
        ("Madagascar", "<mark>Madagascar</mark>"),
    ],
)
def test_the_demo_member_finds_what_the_report_says(client, demo, text, found):
    client.force_login(demo["member"])
    page = search(client, text)
    assert found in page
    assert demo["meeting"].get_absolute_url() in page or text == "Madagascar"


def test_the_demo_groups_results_by_kind_with_links(client, demo):
    client.force_login(demo["member"])
    page = search(client, "inaugural")
    assert '<h2 class="h4" id="results-meetings">Meetings</h2>' in page
    assert '<h2 class="h4" id="results-documents">Documents</h2>' in page  # the ToR's text
    assert "II. Terms of Reference" in page
    # the current Terms of Reference say what changed: the word was removed
    assert page.count("<mark>inaugural</mark>") == 2


def test_the_navbar_has_the_search_box_for_members_only(client, demo):
    box = f'action="{SEARCH}" method="get"'
    assert box not in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(demo["member"])
    page = client.get(reverse("dashboard")).content.decode()
    assert box in page
    assert '<label class="visually-hidden" for="site-search-q">Search the record</label>' in page


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, answer",
    [
        ("", "Type a word or two to search for."),
        ("   ", "Type a word or two to search for."),
        ("x" * 5000, "Search for at most 200 characters (this search has 5000)"),
        ("'\"&<>|!:*()", "Type at least one word to look for: punctuation alone"),
        ("-DFID", "or only words to leave out, finds nothing."),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_bad_searches_get_a_clear_answer(client, gcg_member, text, answer):
    client.force_login(gcg_member)
    page = search(client, text)
    assert answer in page
    assert 'aria-invalid="true"' in page


@pytest.mark.parametrize(
    "text", ["DFID'\"&<>|!:*()", "(DFID", "DFID:*", "!DFID", '"DFID', "DFID & ! |", "-x DFID"]
)
def test_odd_characters_around_a_word_still_find_it(client, gcg_member, gcg, text):
    factories.AgendaItemFactory(meeting__group=gcg, minutes="Funded by DFID.")
    client.force_login(gcg_member)
    page = search(client, text)
    assert "Funded by <mark>DFID</mark>." in page


def test_the_search_box_keeps_what_was_typed_escaped(client, gcg_member):
    client.force_login(gcg_member)
    page = search(client, '"><script>x</script>')
    assert "<script>x</script>" not in page
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page


def test_an_unknown_kind_shows_every_kind(client, gcg_member, two_groups_minutes):
    client.force_login(gcg_member)
    assert "plan of the GCG" in search(client, "zanzibar", kind="nonsense")


# --- limits and queries -------------------------------------------------------------------


def test_each_kind_shows_a_few_and_links_to_more(client, gcg_member, gcg):
    meeting = factories.MeetingFactory(group=gcg)
    for n in range(records.PER_KIND + 3):
        factories.ActionItemFactory(meeting=meeting, title=f"Platypus task {n}")
    client.force_login(gcg_member)
    page = search(client, "platypus")
    assert page.count("Platypus</mark> task") == records.PER_KIND
    assert "More action items found" in page
    assert "kind=action_items" in page

    alone = search(client, "platypus", kind="action_items")
    assert alone.count("Platypus</mark> task") == records.PER_KIND + 3
    assert "More action items found" not in alone
    assert "Show every kind of record" in alone


def test_the_queries_of_a_search_do_not_grow_with_the_record(
    client, gcg_member, gcg, django_assert_max_num_queries
):
    client.force_login(gcg_member)

    def add(n):
        meeting = factories.MeetingFactory(group=gcg, objective="Echidna review.")
        ActionItem.objects.bulk_create(
            ActionItem(title=f"Echidna {i}", meeting=meeting) for i in range(n)
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, order=i + 1, title="Echidna", minutes="Echidna.")
            for i in range(n)
        )
        factories.DocumentVersionFactory(document__owner_group=gcg, text="Echidna.")
        factories.EventFactory(title="Echidna forum")

    add(3)
    with CaptureQueriesContext(connection) as small:
        search(client, "echidna")
    add(300)
    with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as large:
        page = search(client, "echidna")
    assert len(large) == len(small)
    assert "More action items found" in page


# --- PostgreSQL: the vectors the database keeps -----------------------------------------------


@pytest.mark.postgres
def test_every_door_keeps_the_vectors_current(client, gcg_member, gcg):
    item = factories.AgendaItemFactory(meeting__group=gcg, minutes="Nothing yet.")
    client.force_login(gcg_member)
    assert "Nothing you may see matches" in search(client, "kookaburra")

    AgendaItem.objects.filter(pk=item.pk).update(minutes="The kookaburras sang.")  # no save()
    assert "The <mark>kookaburras</mark> sang." in search(client, "kookaburra")  # stemmed

    Meeting.objects.filter(pk=item.meeting_id).update(group=factories.GroupFactory())
    assert "Nothing you may see matches" in search(client, "kookaburra")  # visibility, live

    item.meeting.group = gcg
    item.meeting.save()
    AgendaItem.objects.filter(pk=item.pk).delete()
    assert "Nothing you may see matches" in search(client, "kookaburra")


@pytest.mark.postgres
def test_english_stop_words_and_acronyms_still_match(client, gcg_member, gcg):
    factories.ActionItemFactory(meeting__group=gcg, title="Ask WHO about the data")
    client.force_login(gcg_member)
    assert "Ask <mark>WHO</mark> about" in search(client, "WHO")
    assert "Nothing you may see matches" in search(client, '"about WHO"')  # a phrase, in order


@pytest.mark.postgres
def test_a_search_at_volume_reads_the_gin_indexes(client, gcg_member, gcg):
    """10,000 action items of the GCG, 50 of which say "numbat": the search finds the matches
    in the action items' GIN index and reads the vectors of those 50 only. (How it then reads
    the 50 items is the planner's choice: at 10,000 a scan of the table costs less than 50
    lookups, 0.7 ms.)"""
    meeting = factories.MeetingFactory(group=gcg)
    ActionItem.objects.bulk_create(
        (
            ActionItem(
                title=f"Item {n}" + (" numbat" if n % 200 == 0 else ""),
                details="Follow up with the partners.",
                meeting=meeting,
                due_on=datetime.date(2030, 1, 1),
            )
            for n in range(10_000)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        # what autovacuum does after a bulk insert: the GIN index's pending entries merged
        cursor.execute("SELECT gin_clean_pending_list('search_entry_action_item_gin')")
        cursor.execute("ANALYZE")
    client.force_login(gcg_member)
    with CaptureQueriesContext(connection) as queries:
        page = search(client, "numbat", kind="action_items")
    assert page.count("<mark>numbat</mark>") == 50
    (sql,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "coordination_actionitem"' in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = list(_nodes(plan[0]["Plan"]))
    assert any(node.get("Index Name") == "search_entry_action_item_gin" for node in nodes), plan
    entries = [node for node in nodes if node.get("Relation Name") == "search_entry"]
    assert entries and all(node["Node Type"] != "Seq Scan" for node in entries), plan
    assert max(node["Actual Rows"] * node["Actual Loops"] for node in entries) <= 100, plan


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_trigger_leaves_the_fragment_cache_watch_working(client, settings, gcg_member, gcg):
    """The vector is written by the same statement as the minutes: that statement still moves
    the record's generation on once it commits, so the kept meeting page renders again."""
    from coordination import caching

    settings.FRAGMENT_CACHE_SECONDS = 3600
    item = factories.AgendaItemFactory(meeting__group=gcg, minutes="Before the change.")
    client.force_login(gcg_member)
    meeting_page = item.meeting.get_absolute_url()
    assert "Before the change." in client.get(meeting_page).content.decode()
    before = caching.generation_read()

    AgendaItem.objects.filter(pk=item.pk).update(minutes="After the cassowary change.")

    assert caching.generation_read() == before + 1
    assert "After the cassowary change." in client.get(meeting_page).content.decode()
    assert "After the <mark>cassowary</mark> change." in search(client, "cassowary")
