"""The public forms: validation, anti-spam without third parties, confirmations, triage."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from actiongroups.models import PartnerApplication
from coordination.models import Organisation
from coordination.public_forms import FORM_SALT
from pathfinders.models import InterestSubmission, PathfinderCountry, StageChange

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def token(seconds_ago=60, key="6e1b2f9a-0c44-4d33-9d7e-6d2f0d6f0a01"):
    started = (NOW - datetime.timedelta(seconds=seconds_ago)).timestamp()
    return signing.dumps({"t": started, "k": key}, salt=FORM_SALT)


def interest(**overrides):
    data = {
        "country": "GH",
        "institution": "Ministry of Employment and Labour Relations",
        "contact_name": "Ama Mensah",
        "contact_title": "Director",
        "email": "ama@example.gov.gh",
        "phone": "+233 30 000 0000",
        "focus_areas": ["focus_child_labour", "focus_human_trafficking"],
        "message": "Ghana wishes to join.",
        "consent_to_contact": "on",
        "website_url": "",
        "form_token": token(),
    }
    data.update(overrides)
    return data


def post(client, data, url="interest_form", address="203.0.113.7"):
    with time_machine.travel(NOW, tick=False):
        return client.post(reverse(url), data, REMOTE_ADDR=address)


def test_a_ministry_submits_and_both_sides_get_an_email(client, secretariat, delivered):
    response = post(client, interest())
    assert response.status_code == 302
    submission = InterestSubmission.objects.get()
    assert (submission.country.code, submission.status) == ("GH", "new")
    assert submission.focus_child_labour and submission.focus_human_trafficking
    assert not submission.focus_forced_labour
    assert submission.ip_address == "203.0.113.7"
    assert [m.to for m in delivered()] == [["ama@example.gov.gh"], ["officer@example.org"]]
    assert "Ghana" in delivered()[0].body
    assert "/pathfinders/triage/" in delivered()[1].body
    page = client.get(response["Location"]).content.decode()
    assert "has received your request" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "ZZ", "Select a valid choice"),
        ("email", "not-an-address", "Enter a valid email address"),
        ("institution", "", "This field is required"),
        ("institution", "x" * 301, "Ensure this value has at most 300 characters"),
        ("message", "y" * 5001, "Ensure this value has at most 5000 characters"),
        ("focus_areas", [], "This field is required"),
        ("consent_to_contact", "", "We need your consent to contact you"),
    ],
)
def test_bad_values_are_explained_and_everything_typed_is_kept(client, field, value, message):
    response = post(client, interest(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Ama Mensah"' in page
    assert "Ghana wishes to join.</textarea>" in page or field == "message"
    assert not InterestSubmission.objects.exists()


def test_values_are_stripped_and_user_text_is_escaped(client, secretariat):
    post(client, interest(contact_name="  <b>Ama</b>  ", message="<script>alert(1)</script>"))
    submission = InterestSubmission.objects.get()
    assert submission.contact_name == "<b>Ama</b>"
    client.force_login(secretariat)
    page = client.get(reverse("pathfinder_triage")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;Ama&lt;/b&gt;" in page


def test_a_filled_honeypot_is_stored_as_spam_and_nobody_is_told(client, secretariat, delivered):
    response = post(client, interest(website_url="http://spam.example"))
    assert response.status_code == 302  # the robot sees the same thanks
    submission = InterestSubmission.objects.get()
    assert (submission.status, submission.spam_reason) == ("spam", "honeypot filled")
    assert delivered() == []


def test_a_form_filled_faster_than_a_person_can_is_spam(client):
    post(client, interest(form_token=token(seconds_ago=1)))
    assert InterestSubmission.objects.get().spam_reason == "filled in 1.0 s"


def test_a_forged_token_is_spam(client):
    post(client, interest(form_token="forged"))
    assert InterestSubmission.objects.get().spam_reason == "missing or forged form token"


def test_a_double_submit_creates_one_record(client, delivered):
    post(client, interest())
    post(client, interest())
    assert InterestSubmission.objects.count() == 1
    assert len(delivered()) == 1  # no staff here: only the confirmation, once


def test_the_rate_limit_answers_429_then_recovers(client, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    for i in range(3):
        key = f"6e1b2f9a-0c44-4d33-9d7e-6d2f0d6f0b0{i}"
        assert post(client, interest(form_token=token(key=key))).status_code == 302
    blocked = post(client, interest(form_token=token(key="6e1b2f9a-0c44-4d33-9d7e-6d2f0d6f0c00")))
    assert blocked.status_code == 429
    assert "Please wait a little" in blocked.content.decode()
    assert post(client, interest(), address="198.51.100.9").status_code == 302  # another address
    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=1), tick=False):
        later = client.post(
            reverse("interest_form"),
            interest(
                form_token=token(key="6e1b2f9a-0c44-4d33-9d7e-6d2f0d6f0d00", seconds_ago=-3600)
            ),
            REMOTE_ADDR="203.0.113.7",
        )
    assert later.status_code == 302


def test_the_form_works_without_javascript_and_labels_every_field(client):
    page = client.get(reverse("interest_form")).content.decode()
    for label in ("Country", "Ministry or institution", "Contact person", "Title or position",
                  "Email", "Phone", "Child labour", "Modern slavery", "Message"):  # fmt: skip
        assert label in page
    assert 'class="hp-field" aria-hidden="true"' in page
    assert "<script>" not in page


def test_partner_application_is_stored_confirmed_and_accepted_as_an_organisation(
    client, secretariat, delivered
):
    data = {
        "organisation_name": "Freedom Network",
        "kind": "survivors",
        "country": "KE",
        "website": "https://freedom.example.org",
        "contact_name": "Wanjiru K.",
        "email": "wanjiru@example.org",
        "commitment": "Survivor-led research.",
        "form_token": token(),
    }
    assert post(client, data, url="partner_form").status_code == 302
    application = PartnerApplication.objects.get()
    assert [m.to for m in delivered()] == [["wanjiru@example.org"], ["officer@example.org"]]

    client.force_login(secretariat)
    client.post(
        reverse("admin:actiongroups_partnerapplication_changelist"),
        {"action": "accept", "_selected_action": [application.pk]},
    )
    application.refresh_from_db()
    assert (application.status, application.triaged_by) == ("accepted", secretariat)
    organisation = Organisation.objects.get(name="Freedom Network")
    assert (organisation.kind, organisation.country.code) == ("survivors", "KE")
    assert application.organisation == organisation


@time_machine.travel(NOW, tick=False)
def test_a_line_break_in_the_organisation_name_never_reaches_a_header(
    client, secretariat, delivered
):
    data = {
        "organisation_name": "Freedom Network\r\nBcc: everyone@example.org",
        "kind": "survivors",
        "country": "KE",
        "contact_name": "Wanjiru K.",
        "email": "wanjiru@example.org",
        "commitment": "Survivor-led research.",
        "form_token": token(),
    }
    assert post(client, data, url="partner_form").status_code == 302
    assert len(delivered()) == 2  # the sender's confirmation and the secretariat's notice
    notice = delivered()[1]
    assert notice.subject == "New partner application: Freedom Network Bcc: everyone@example.org"
    assert "everyone@example.org" not in notice.recipients()


# --- triage ---------------------------------------------------------------------------------


def submitted(code="GH", **fields):
    return InterestSubmission.objects.create(
        country=code, institution="Ministry", contact_name="C", email="c@example.org", **fields
    )


def triage(client, submission, action, reason=""):
    return client.post(
        reverse("pathfinder_triage_submission", args=[submission.pk]),
        {f"{submission.pk}-action": action, f"{submission.pk}-reason": reason},
        follow=True,
    )


def test_accepting_creates_the_country_with_its_first_stage(client, secretariat):
    submission = submitted(focus_forced_labour=True)
    client.force_login(secretariat)
    triage(client, submission, "accept")
    submission.refresh_from_db()
    country = PathfinderCountry.objects.get(country="GH")
    assert (submission.status, submission.triaged_by, submission.pathfinder) == (
        "accepted", secretariat, country
    )  # fmt: skip
    assert submission.triaged_at is not None
    assert country.focus_forced_labour and country.stage == "interest"
    change = StageChange.objects.get(country=country)
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", "interest", secretariat)


def test_a_submission_for_a_country_in_the_pipeline_is_flagged_and_merged(client, secretariat):
    existing = PathfinderCountry.objects.create(country="NP", stage="formal_request")
    submission = submitted("NP")
    client.force_login(secretariat)
    page = client.get(reverse("pathfinder_triage")).content.decode()
    assert "Already in the pipeline: a duplicate?" in page
    triage(client, submission, "merge")
    submission.refresh_from_db()
    assert (submission.status, submission.pathfinder) == ("merged", existing)
    assert PathfinderCountry.objects.count() == 1


def test_rejecting_needs_a_reason_and_records_it(client, secretariat):
    submission = submitted()
    client.force_login(secretariat)
    page = triage(client, submission, "reject").content.decode()
    assert "Give the reason for rejecting it." in page
    submission.refresh_from_db()
    assert submission.status == "new"
    triage(client, submission, "reject", "Not a government body")
    submission.refresh_from_db()
    assert (submission.status, submission.reason) == ("rejected", "Not a government body")


def test_a_triaged_submission_cannot_be_triaged_again(client, secretariat):
    submission = submitted()
    client.force_login(secretariat)
    triage(client, submission, "reject", "Duplicate letter")
    page = triage(client, submission, "accept").content.decode()
    assert "This submission was already triaged." in page
    assert not PathfinderCountry.objects.exists()


def test_spam_can_still_be_accepted_when_it_was_a_person(client, secretariat):
    submission = submitted(status="spam", spam_reason="filled in 1.0 s")
    client.force_login(secretariat)
    triage(client, submission, "accept")
    assert PathfinderCountry.objects.filter(country="GH").exists()


def test_members_cannot_triage(client, gcg_member):
    submission = submitted()
    client.force_login(gcg_member)
    assert client.get(reverse("pathfinder_triage")).status_code == 403
    assert triage(client, submission, "accept").status_code == 403
    submission.refresh_from_db()
    assert submission.status == "new"


def post_via_proxy(sender: str, n: int, forged: str = ""):
    """The n-th form from `sender`, through the one trusted proxy (10.0.0.1)."""
    forwarded = f"{forged}, {sender}" if forged else sender
    data = interest(form_token=token(key=f"6e1b2f9a-0c44-4d33-9d7e-6d2f0d6f{n:04d}"))
    with time_machine.travel(NOW, tick=False):
        proxied = Client(REMOTE_ADDR="10.0.0.1", headers={"X-Forwarded-For": forwarded})
        return proxied.post(reverse("interest_form"), data)


def test_behind_the_proxy_the_rate_limit_counts_each_sender_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    for n in range(3):
        assert post_via_proxy("203.0.113.7", n).status_code == 302
    flood = post_via_proxy("203.0.113.7", 3, forged="192.0.2.1")  # an invented address, ignored
    assert flood.status_code == 429
    assert post_via_proxy("198.51.100.9", 4).status_code == 302  # someone else, same proxy
    senders = InterestSubmission.objects.values_list("ip_address", flat=True)
    assert sorted(senders) == ["198.51.100.9"] + ["203.0.113.7"] * 3
