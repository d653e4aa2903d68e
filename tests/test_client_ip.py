"""Who the client is, directly and behind trusted proxies: what every limit counts by."""

import pytest
from django.test import RequestFactory

from coordination.clients import client_ip

PROXY = "10.0.0.1"


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_without_a_proxy_the_connection_is_the_client_and_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("198.51.100.7", "203.0.113.99")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),  # what the proxy wrote
        ("203.0.113.99, 198.51.100.7", "198.51.100.7"),  # an address the client typed, then it
        ("not-an-address, 198.51.100.7", "198.51.100.7"),
        ("2001:db8::7", "2001:db8::7"),
    ],
)
def test_behind_one_proxy_the_client_is_who_the_proxy_saw(settings, forwarded_for, client):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, forwarded_for)) == client


def test_behind_two_proxies_the_client_is_who_the_outer_one_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from(PROXY, "203.0.113.99, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"


def test_a_request_that_did_not_pass_the_proxies_counts_as_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, "198.51.100.7")) == PROXY
    assert client_ip(request_from(PROXY)) == PROXY
