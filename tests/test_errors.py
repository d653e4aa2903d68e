"""Errors reach a person: a failed request is mailed to ADMINS and sent to Sentry when they are
set, and the visitor reads a page that is true either way. This module is also the URLconf of
its tests: the site's pages plus one that fails."""

import pytest
import sentry_sdk
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import path
from sentry_sdk.transport import Transport

from alliance87.sentry import sentry_init
from alliance87.settings import admins_from
from alliance87.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("The archive server fell over")


urlpatterns = [path("fails/", fails), *site_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_errors")]


def test_admins_are_written_as_in_an_email_header():
    assert admins_from("Ana Ops <ana@example.org>, ops@example.org") == [
        ("Ana Ops", "ana@example.org"),
        ("ops@example.org", "ops@example.org"),
    ]
    assert admins_from("") == []
    assert admins_from("ops@example.org,") == [("ops@example.org", "ops@example.org")]
    with pytest.raises(ImproperlyConfigured, match="not an email address"):
        admins_from("Ana Ops")


def test_a_failed_request_mails_its_traceback_to_the_admins_after_the_request(settings, delivered):
    settings.ADMINS = admins_from("Ana Ops <ana@example.org>")

    response = Client(raise_request_exception=False).get("/fails/")

    assert response.status_code == 500
    assert "Something went wrong on our side." in response.content.decode()
    assert mail.outbox == []  # recorded in the outbox: the failed request did not wait for SMTP
    [message] = delivered()
    assert message.to == ["ana@example.org"]
    assert "Internal Server Error: /fails/" in message.subject
    assert "The archive server fell over" in message.body


def test_without_admins_the_page_is_the_same_and_nobody_is_mailed(settings, delivered):
    settings.ADMINS = []

    response = Client(raise_request_exception=False).get("/fails/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Please try again in a few minutes; if it keeps happening, write to the" in page
    assert "has been told" not in page
    assert delivered() == []


class Captured(Transport):
    """Sentry's envelopes kept in a list instead of sent."""

    def __init__(self):
        super().__init__()
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [e.get_event() for e in self.envelopes if e.get_event() is not None]


@pytest.fixture
def sentry():
    transport = Captured()
    assert sentry_init(dsn="http://public@127.0.0.1:9/1", release="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_without_a_dsn_sentry_stays_off():
    assert not sentry_init(dsn="")
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_a_failed_request_reaches_sentry_without_personal_data(sentry, gcg_member):
    client = Client(raise_request_exception=False)
    client.force_login(gcg_member)

    assert client.post("/fails/", {"full_name": "Ana Example"}).status_code == 500

    [event] = sentry.events()
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "The archive server fell over"
    assert event["release"] == "test"
    assert {"DjangoIntegration", "CeleryIntegration"} <= {
        type(i).__name__ for i in sentry_sdk.get_client().integrations.values()
    }
    assert "user" not in event
    assert gcg_member.email not in str(event)
    assert "Ana Example" not in str(event)  # no request body
    assert "Cookie" not in event["request"].get("headers", {})
