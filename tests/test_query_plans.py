"""The heavy action-item queries use an index at volume, on PostgreSQL.

50,000 action items owned by the GCG (one in eight open), as a busy secretariat has after a few
years: the dashboard's first items and the action item list (its rows and its count) must not
read the whole table. A query count cannot see this; EXPLAIN ANALYZE can (what each query did,
with the rows it read).
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination.models import ActionItem
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ITEMS = 50_000
BIG_TABLE = "coordination_actionitem"


@pytest.fixture
def member_of_a_busy_group(client):
    group = factories.GroupFactory()
    user = factories.UserFactory()
    person = factories.PersonFactory(user=user)
    factories.MembershipFactory(person=person, group=group)
    meeting = factories.MeetingFactory(group=group)
    today = timezone.localdate()
    statuses = [ActionItem.Status.DONE] * 7 + [ActionItem.Status.OPEN]
    items = ActionItem.objects.bulk_create(
        (
            ActionItem(
                title=f"Item {n}",
                meeting=meeting if n % 2 else None,
                status=statuses[n % len(statuses)],
                due_on=today + datetime.timedelta(days=n % 300 - 100),
            )
            for n in range(ITEMS)
        ),
        batch_size=5000,
    )
    ActionItem.owner_groups.through.objects.bulk_create(
        (ActionItem.owner_groups.through(actionitem=item, group=group) for item in items),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(user)
    return client


def scans_of_the_big_table(client, url) -> dict[str, list[tuple[str, str, int]]]:
    """SQL → how it reads the action items and who owns them (node type, rows read), for each
    query of the page that reads coordination_actionitem: (table, node type, rows read)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    plans = {}
    for query in queries.captured_queries:
        sql = query["sql"]
        if f'FROM "{BIG_TABLE}"' not in sql or not sql.startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        plans[sql] = sorted(
            (node["Relation Name"], node["Node Type"], node["Actual Rows"] * node["Actual Loops"])
            for node in _nodes(plan[0]["Plan"])
            if node.get("Relation Name", "").startswith(BIG_TABLE)
        )
    assert plans, "the page read no action items"
    return plans


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def test_the_dashboards_first_items_read_a_few_rows_not_the_groups_50000(
    member_of_a_busy_group,
):
    plans = scans_of_the_big_table(member_of_a_busy_group, reverse("dashboard"))
    rows = [rows for scans in plans.values() for _table, _node, rows in scans]
    assert max(rows) <= 100, plans


@pytest.mark.parametrize("query", ["", "?mine=on", "?mine=on&overdue=on"])
def test_the_action_item_list_and_its_count_use_an_index(member_of_a_busy_group, query):
    plans = scans_of_the_big_table(member_of_a_busy_group, reverse("action_item_list") + query)
    assert any("COUNT(*)" in sql for sql in plans)
    scans = {node for scans in plans.values() for table, node, _rows in scans if table == BIG_TABLE}
    assert "Seq Scan" not in scans, plans
