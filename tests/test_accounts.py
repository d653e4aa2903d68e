"""Login, logout, password change and reset, and the invitation that ends on the dashboard."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coordination.models import Person
from coordination.services import person_invite
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_login_with_email_lands_on_the_dashboard_and_logout(client, gcg_member):
    response = client.post(
        reverse("login"), {"username": gcg_member.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "My open action items" in response.content.decode()

    response = client.post(reverse("logout"), follow=True)
    assert "Members receive their account by invitation" in response.content.decode()


def test_wrong_password_is_refused_and_the_email_kept(client, gcg_member):
    response = client.post(reverse("login"), {"username": gcg_member.email, "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in page
    assert f'value="{gcg_member.email}"' in page


def test_password_change(client, gcg_member):
    client.force_login(gcg_member)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a new and long passphrase",
            "new_password2": "a new and long passphrase",
        },
        follow=True,
    )
    assert "Your password was changed." in response.content.decode()
    gcg_member.refresh_from_db()
    assert gcg_member.check_password("a new and long passphrase")


def test_password_reset_by_email(client, gcg_member, delivered, settings):
    settings.SITE_URL = "https://coordination.alliance87.org"
    client.post(reverse("password_reset"), {"email": gcg_member.email}, HTTP_HOST="127.0.0.1")
    assert len(delivered()) == 1
    assert "https://coordination.alliance87.org/accounts/reset/" in delivered()[0].body  # not Host
    url = link_in(delivered()[0])
    response = client.get(url, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 87", "new_password2": "brand new passphrase 87"},
        follow=True,
    )
    assert "Your password is set." in response.content.decode()


def test_invitation_sets_a_password_and_lands_on_the_dashboard(client, gcg, delivered):
    person = Person.objects.create(full_name="Ana Pérez", email="ana@example.org")
    factories.MembershipFactory(person=person, group=gcg)
    person_invite(person=person)
    assert len(delivered()) == 1
    assert "Dear Ana Pérez" in delivered()[0].body

    response = client.get(link_in(delivered()[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    assert "Choose a password to finish setting up your account." in response.content.decode()
    response = client.post(
        form_url,
        {"new_password1": "my own passphrase 87", "new_password2": "my own passphrase 87"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "Welcome, Ana Pérez" in response.content.decode()

    # The link works once.
    client.logout()
    response = client.get(link_in(delivered()[0]), follow=True)
    assert "expired or was already used" in response.content.decode()


def test_invitation_link_expires(client, settings, delivered):
    person = Person.objects.create(full_name="Late Reader", email="late@example.org")
    with time_machine.travel("2026-01-01 09:00Z"):
        person_invite(person=person)
    with time_machine.travel("2026-01-05 09:00Z"):  # past the 3 days of PASSWORD_RESET_TIMEOUT
        response = client.get(link_in(delivered()[0]), follow=True)
    assert "expired or was already used" in response.content.decode()


def test_invitation_mismatched_passwords_are_explained(client, delivered):
    person = Person.objects.create(full_name="Ana Pérez", email="ana@example.org")
    person_invite(person=person)
    response = client.get(link_in(delivered()[0]), follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "my own passphrase 87", "new_password2": "something else"},
    )
    assert "The two password fields didn’t match." in response.content.decode()


def test_repeated_wrong_passwords_pause_logins_with_a_clear_page(client, gcg_member, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": gcg_member.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": gcg_member.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Another account from the same address is not affected.
    other = factories.UserFactory(email="other@example.org")
    response = client.post(reverse("login"), {"username": other.email, "password": PASSWORD})
    assert response.status_code == 302


# --- behind the HTTPS proxy: every request comes from its address -----------------------------

PROXY = "10.0.0.1"


def client_behind_proxy(address: str, forged: str = "") -> Client:
    """A browser at `address`, reaching the site through the one trusted proxy (which appends
    the address it saw to whatever X-Forwarded-For the browser sent)."""
    forwarded = f"{forged}, {address}" if forged else address
    return Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": forwarded})


def test_behind_the_proxy_an_attacker_guessing_passwords_does_not_lock_out_the_user(
    gcg_member, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker = client_behind_proxy("203.0.113.66", forged=f"192.0.2.{i}")  # a new lie each time
        response = attacker.post(reverse("login"), {"username": gcg_member.email, "password": "x"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    response = attacker.post(reverse("login"), {"username": gcg_member.email, "password": PASSWORD})
    assert response.status_code == 429  # even the right password, from there

    user = client_behind_proxy("198.51.100.7")
    response = user.post(
        reverse("login"), {"username": gcg_member.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "My open action items" in response.content.decode()


# --- password reset: a limit per account and per address -------------------------------------

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def reset_limits(settings):
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 10


def reset(browser: Client, email: str):
    return browser.post(reverse("password_reset"), {"email": email})


def test_twenty_reset_requests_for_one_account_send_three_emails_and_reveal_nothing(
    gcg_member, reset_limits, delivered
):
    responses = [
        reset(Client(REMOTE_ADDR=f"198.51.100.{i}"), email)
        for i, email in enumerate([gcg_member.email, gcg_member.email.upper()] * 10)
    ]
    assert len(delivered()) == 3
    assert {m.to[0] for m in delivered()} == {gcg_member.email}
    unknown = reset(Client(REMOTE_ADDR="198.51.100.99"), "nobody@example.org")
    answers = {(r.status_code, r["Location"]) for r in [*responses, unknown]}
    assert answers == {(302, reverse("password_reset_done"))}  # as for an unknown email


def test_the_account_limit_leaves_other_accounts_alone_and_ends_after_an_hour(
    gcg_member, reset_limits, delivered
):
    other = factories.UserFactory(email="other@example.org")
    with time_machine.travel(NOW, tick=False):
        for i in range(5):
            reset(Client(REMOTE_ADDR=f"198.51.100.{i}"), gcg_member.email)
        reset(Client(REMOTE_ADDR="198.51.100.50"), other.email)
    assert [m.to for m in delivered()] == [[gcg_member.email]] * 3 + [[other.email]]

    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=1), tick=False):
        reset(Client(REMOTE_ADDR="198.51.100.1"), gcg_member.email)
    assert len(delivered()) == 5


def test_behind_the_proxy_one_address_trying_many_accounts_is_asked_to_wait_alone(
    gcg_member, reset_limits, settings, delivered
):
    settings.TRUSTED_PROXY_COUNT = 1
    prober = client_behind_proxy("203.0.113.66")
    for i in range(10):
        assert reset(prober, f"guess{i}@example.org").status_code == 302
    response = reset(prober, gcg_member.email)
    assert response.status_code == 429
    assert "Please wait a little" in response.content.decode()
    assert delivered() == []

    assert reset(client_behind_proxy("198.51.100.7"), gcg_member.email).status_code == 302
    assert [m.to for m in delivered()] == [[gcg_member.email]]
