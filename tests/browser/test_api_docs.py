"""The API's docs page works in a browser under the site's CSP, from the site alone."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_the_endpoints_with_no_csp_violation_and_no_other_host(
    page, live_server, watch_csp
):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    watch_csp(page)
    page.goto(live_server.url + reverse("api:docs"))
    expect(page.get_by_text("Alliance 8.7 coordination API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/meetings/{id}/").first).to_be_visible()
    expect(page.get_by_text("/api/v1/pathfinder-countries/").first).to_be_visible()
    assert hosts == {urlsplit(live_server.url).netloc}
