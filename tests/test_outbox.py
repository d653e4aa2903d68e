"""The outbox: no email is sent inside a request; each is recorded with what caused it and sent
after the commit, once, even when the mail server was down when it was recorded.

Every kind of outbox message is read back with `email.policy.default` (RFC 5322) and must have
no defect, a quoted From, `Auto-Submitted: auto-generated` (RFC 3834), a text and an HTML part,
and links that start with SITE_URL.
"""

import datetime
import email
import email.policy
import re
import subprocess
import sys
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coordination.models import OutboundEmail, Person
from coordination.outbox import outbox_flush
from coordination.services import person_invite
from tests.services import ROOT, SmtpSink, free_port
from tests.test_public_forms import NOW, interest, post

pytestmark = pytest.mark.django_db

SITE = "https://coordination.alliance87.org"


@pytest.fixture
def smtp_settings(settings):
    """Django's SMTP backend, towards a sink that is not listening yet."""
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return sink


def parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_with_the_mail_server_down_the_sender_is_thanked_and_told_when_it_returns(
    client, secretariat, smtp_settings
):
    response = post(client, interest())
    assert response.status_code == 302  # to the thanks page, not a 500
    assert "Thank you" in client.get(response["Location"]).content.decode()

    with time_machine.travel(NOW + datetime.timedelta(seconds=5), tick=False):
        assert outbox_flush()["sent"] == 0  # nothing listens: the two emails wait
    assert OutboundEmail.objects.filter(sent_at=None, failed_at=None).count() == 2

    with smtp_settings as sink, time_machine.travel(NOW + datetime.timedelta(minutes=2)):
        assert outbox_flush()["sent"] == 2  # the server is back: the next run sends them
        assert outbox_flush()["sent"] == 0  # and never again
        received = {to: parsed(envelope) for envelope in sink.messages for to in envelope.rcpt_tos}
    assert sorted(sink.recipients()) == ["ama@example.gov.gh", "officer@example.org"]
    thanks = received["ama@example.gov.gh"]
    assert thanks["Subject"] == (
        "We received your request to join Alliance 8.7 as a pathfinder country"
    )
    assert "Ghana" in thanks.get_body(("plain",)).get_content()


def test_a_request_only_records_its_emails(client, secretariat):
    post(client, interest())
    assert mail.outbox == []  # nothing went to the mail server while the sender waited
    kinds = sorted(OutboundEmail.objects.values_list("kind", flat=True))
    assert kinds == ["confirmation", "staff_notice"]


def test_an_invitation_from_the_admin_waits_for_the_outbox(client, secretariat, delivered):
    person = Person.objects.create(full_name="Ana Pérez", email="ana@example.org")
    client.force_login(secretariat)
    client.post(
        reverse("admin:coordination_person_changelist"),
        {"action": "invite", "_selected_action": [person.pk]},
    )
    assert mail.outbox == []
    assert [m.to for m in delivered()] == [["ana@example.org"]]
    assert delivered()[0].subject == "Your invitation to the Alliance 8.7 coordination site"


def test_the_outbox_page_shows_what_waits_and_what_failed(client, secretariat):
    OutboundEmail.objects.create(
        kind="confirmation", to=["a@example.org"], subject="Waits", text="."
    )
    OutboundEmail.objects.create(
        kind="invitation",
        to=["b@example.org"],
        subject="Refused",
        text=".",
        failed_at=timezone.now(),
        last_error="Refused: b@example.org",
    )
    client.force_login(secretariat)
    page = client.get(
        reverse("admin:coordination_outboundemail_changelist"), {"state": "failed"}
    ).content.decode()
    assert "Refused: b@example.org" in page
    assert "Waits" not in page


# --- every kind of message, to the letter ----------------------------------------------------


def every_kind_of_outbox_message(client, settings, secretariat) -> dict:
    """One of each: a confirmation and a staff notice, an invitation, a password reset, an
    error report. Returns kind → the message as the mail server received it."""
    settings.SITE_URL = SITE
    settings.ADMINS = [("Ana Ops", "ops@example.org")]
    post(client, interest(contact_name="Ama\r\nBcc: x@example.org"))
    person_invite(person=Person.objects.create(full_name="Ana Pérez", email="ana@example.org"))
    client.post(reverse("password_reset"), {"email": secretariat.email}, HTTP_HOST="127.0.0.1")
    settings.ROOT_URLCONF = "tests.test_errors"
    Client(raise_request_exception=False).get("/fails/")
    return {
        kind: email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
        for kind, message in _built_messages()
    }


def _built_messages():
    from coordination.outbox import _message

    for row in OutboundEmail.objects.order_by("pk"):
        yield row.kind, _message(row, connection=None).message()


def test_every_outbox_message_is_a_clean_multipart_email(client, settings, secretariat):
    messages = every_kind_of_outbox_message(client, settings, secretariat)
    assert set(messages) == {
        "confirmation", "staff_notice", "invitation", "password_reset", "error_report",
    }  # fmt: skip
    for kind, message in messages.items():
        for part in message.walk():
            assert not part.defects, (kind, part.defects)
        for name, value in message.items():
            assert not getattr(value, "defects", ()), (kind, name, value.defects)
            assert "\n" not in value and "\r" not in value, (kind, name)
        assert message.get_content_type() == "multipart/alternative", kind
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert message["From"].addresses[0].display_name == "Alliance 8.7 Secretariat"
        assert message["Auto-Submitted"] == "auto-generated", kind
        links = re.findall(r"https?://[^\s<>\"]+", text) + re.findall(r'href="([^"]+)"', html)
        if kind != "error_report":  # a traceback quotes the failed request's own URL
            assert links, kind
            assert all(link.startswith(SITE + "/") for link in links), (kind, links)
    notice = messages["staff_notice"]
    assert "Bcc" not in notice and "x@example.org" not in notice["To"]
    assert "&lt;ama@example.gov.gh&gt;" in notice.get_body(("html",)).get_content()


def test_a_broker_that_is_down_never_fails_the_page_that_recorded_an_email():
    """The on-commit hook, in a process of its own with a broker where nothing listens: it
    returns at once and says the sweep will send."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "test-only",
        "DJANGO_SETTINGS_MODULE": "alliance87.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); "
         "from coordination.outbox import outbox_wake; outbox_wake(); print('page served')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "page served" in result.stdout
    assert "the next sweep sends the mail" in result.stderr
    assert time.monotonic() - started < 20
