"""The baseline page of `make bench-pages`: one query, and mounted only when asked for."""

import datetime
import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import alliance87.urls
from coordination.models import ActionItem
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

URL = "/bench/baseline/"


@pytest.fixture
def mounted():
    """Builds the URLconf again as settings.BENCH_BASELINE says (it is read once, at import);
    the settings' own URLconf is put back afterwards."""

    def mount(baseline: bool):
        with override_settings(BENCH_BASELINE=baseline):
            importlib.reload(alliance87.urls)
        clear_url_caches()

    yield mount
    importlib.reload(alliance87.urls)
    clear_url_caches()


def test_production_settings_do_not_mount_the_baseline(tmp_path):
    code = (
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/bench/baseline/')\nexcept Resolver404:\n    print('not mounted')"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, env=PRODUCTION, tmp_path=tmp_path)
    assert result.stdout.strip() == "not mounted", result.stdout + result.stderr


def test_baseline_is_not_served_unless_the_setting_is_on(client, mounted):
    ActionItem.objects.create(title="Send the draft", due_on=datetime.date(2026, 3, 2))
    mounted(False)
    assert client.get(URL).status_code == 404


def test_baseline_lists_fifty_rows_in_one_query(client, mounted, django_assert_num_queries):
    ActionItem.objects.bulk_create(
        ActionItem(title=f"Action {i}", due_on=datetime.date(2026, 3, 2)) for i in range(60)
    )
    mounted(True)
    with django_assert_num_queries(1):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>") == 50
    assert "Action 49" in response.content.decode()
    assert "Action 50" not in response.content.decode()
