"""Personal API tokens: made on Preferences and shown once, stored as a digest, revoked by their
owner there or by the secretariat in the admin; a deactivated account's tokens stop working."""

import datetime
import json

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken

from api import services
from api.admin import TokenAdmin
from api.models import TokenName
from coordination import caching
from tests import factories

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


def create_on_preferences(client, name="Reporting spreadsheet", lifetime="365"):
    """The form of Preferences' API tokens section, sent; the key as the page shows it."""
    response = client.post(reverse("api_token_create"), {"name": name, "lifetime": lifetime})
    assert response.status_code == 200
    page = response.content.decode()
    key = page.split('data-testid="api-token"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    return response, key


def with_token(key):
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def member_on_preferences(client, gcg_member):
    client.force_login(gcg_member)
    return client


def test_a_token_made_on_preferences_is_shown_once_then_only_its_start(member_on_preferences):
    client = member_on_preferences
    preferences = client.get(reverse("preferences")).content.decode()
    assert "You have no API token." in preferences
    response, key = create_on_preferences(client)
    assert "no-store" in response["Cache-Control"]
    assert "it is shown this once" in response.content.decode()
    token = AuthToken.objects.get()
    assert token.api_name.name == "Reporting spreadsheet"
    assert key.startswith(token.token_key) and len(key) == 64
    # a year, as chosen
    assert token.expiry - timezone.now() > datetime.timedelta(days=364)
    preferences = client.get(reverse("preferences")).content.decode()
    assert key not in preferences
    assert f"{token.token_key}…" in preferences
    assert "Reporting spreadsheet" in preferences


def test_a_tokens_name_is_shown_as_typed_never_run(member_on_preferences):
    client = member_on_preferences
    name = '<script>alert("x")</script>'
    response, _key = create_on_preferences(client, name=name)
    assert name not in response.content.decode()
    preferences = client.get(reverse("preferences")).content.decode()
    assert name not in preferences
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in preferences


def test_the_token_reads_the_api_as_its_owner(member_on_preferences, gcg):
    factories.MeetingFactory(group=gcg, number=7)
    _, key = create_on_preferences(member_on_preferences)
    response = with_token(key).get(MEETINGS)
    assert response.status_code == 200
    assert [m["number"] for m in json.loads(response.content)["results"]] == [7]
    response = with_token(key[:-1] + ("0" if key[-1] != "0" else "1")).get(MEETINGS)
    assert response.status_code == 401
    assert json.loads(response.content) == {"detail": "Invalid token."}


def test_the_database_never_holds_the_key_only_its_digest(member_on_preferences):
    _, key = create_on_preferences(member_on_preferences)
    token = AuthToken.objects.get()
    assert token.digest == hash_token(key)
    for model in apps.get_models():
        for row in model._base_manager.values_list():
            assert not any(key in str(value) for value in row), model._meta.label


def test_the_key_is_nowhere_in_the_session_or_messages(member_on_preferences):
    client = member_on_preferences
    _, key = create_on_preferences(client)
    assert all(key not in cookie.value for cookie in client.cookies.values())
    assert key not in client.get(reverse("dashboard")).content.decode()


def test_the_form_needs_the_csrf_token(gcg_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(gcg_member)
    response = client.post(reverse("api_token_create"), {"name": "x", "lifetime": "30"})
    assert response.status_code == 403
    assert not AuthToken.objects.exists()


def test_a_token_needs_a_name_and_a_lifetime_on_offer(member_on_preferences):
    client = member_on_preferences
    response = client.post(reverse("api_token_create"), {"name": "  ", "lifetime": "365"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(reverse("api_token_create"), {"name": "Forever", "lifetime": "99999"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not AuthToken.objects.exists()


def test_ten_tokens_at_most_in_force(member_on_preferences, gcg_member):
    for number in range(10):
        services.token_create(
            user=gcg_member, name=f"T{number}", lifetime=datetime.timedelta(days=30)
        )
    response = member_on_preferences.post(
        reverse("api_token_create"), {"name": "Eleventh", "lifetime": "30"}
    )
    assert response.status_code == 400
    assert "You already have 10 API tokens: revoke one before making another." in (
        response.content.decode()
    )
    assert AuthToken.objects.filter(user=gcg_member).count() == 10


def test_the_owner_revokes_a_token_on_preferences_and_it_stops_working(member_on_preferences):
    client = member_on_preferences
    _, key = create_on_preferences(client)
    token = AuthToken.objects.get()
    assert with_token(key).get(MEETINGS).status_code == 200
    response = client.post(reverse("api_token_revoke", args=[token.token_key]), follow=True)
    assert "The token “Reporting spreadsheet” is revoked." in response.content.decode()
    assert not AuthToken.objects.exists()
    assert with_token(key).get(MEETINGS).status_code == 401


def test_nobody_revokes_someone_elses_token_on_preferences(client, gcg_member, secretariat):
    token, key = services.token_create(
        user=gcg_member, name="Mine", lifetime=datetime.timedelta(days=30)
    )
    client.force_login(secretariat)  # the secretariat too: that is the admin's
    response = client.post(reverse("api_token_revoke", args=[token.token_key]))
    assert response.status_code == 404
    assert with_token(key).get(MEETINGS).status_code == 200


def test_an_expired_token_stops_working(gcg_member):
    _, key = services.token_create(
        user=gcg_member, name="Month", lifetime=datetime.timedelta(days=30)
    )
    assert with_token(key).get(MEETINGS).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert with_token(key).get(MEETINGS).status_code == 401


def test_no_door_makes_a_token_that_outlives_a_year(gcg_member):
    for lifetime in (datetime.timedelta(days=366), datetime.timedelta(0)):
        with pytest.raises(services.TokenError):
            services.token_create(user=gcg_member, name="Forever", lifetime=lifetime)


def test_a_deactivated_accounts_tokens_stop_working(gcg_member):
    _, key = services.token_create(
        user=gcg_member, name="Script", lifetime=datetime.timedelta(days=30)
    )
    assert with_token(key).get(MEETINGS).status_code == 200
    gcg_member.is_active = False
    gcg_member.save(update_fields=["is_active"])
    response = with_token(key).get(MEETINGS)
    assert response.status_code == 401
    assert json.loads(response.content) == {"detail": "User inactive or deleted."}


# --- the admin ------------------------------------------------------------------------------


def test_the_secretariat_revokes_a_members_token_in_the_admin(client, gcg_member, secretariat):
    token, key = services.token_create(
        user=gcg_member, name="Script", lifetime=datetime.timedelta(days=30)
    )
    client.force_login(secretariat)
    listing = client.get(reverse("admin:knox_authtoken_changelist")).content.decode()
    assert "Script" in listing and token.token_key in listing and key not in listing
    response = client.post(
        reverse("admin:knox_authtoken_changelist"),
        {"action": "revoke", admin.helpers.ACTION_CHECKBOX_NAME: [token.pk]},
        follow=True,
    )
    assert "1 token revoked." in response.content.decode()
    assert with_token(key).get(MEETINGS).status_code == 401


def test_the_admins_delete_page_revokes_through_the_service(
    client, gcg_member, secretariat, monkeypatch
):
    token, key = services.token_create(
        user=gcg_member, name="Script", lifetime=datetime.timedelta(days=30)
    )
    revoked = []
    real = services.token_revoke
    monkeypatch.setattr(services, "token_revoke", lambda **kw: revoked.append(kw) or real(**kw))
    client.force_login(secretariat)
    delete = reverse("admin:knox_authtoken_delete", args=[token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert revoked == [{"token": token, "by": secretariat}]
    assert with_token(key).get(MEETINGS).status_code == 401


def test_the_admin_makes_and_changes_no_token_and_knoxs_own_admin_is_not_there(
    client, secretariat, gcg_member
):
    assert type(admin.site._registry[AuthToken]) is TokenAdmin  # not knox's own
    token, _ = services.token_create(
        user=gcg_member, name="Script", lifetime=datetime.timedelta(days=30)
    )
    client.force_login(secretariat)
    assert client.get(reverse("admin:knox_authtoken_add")).status_code == 403
    change = client.post(
        reverse("admin:knox_authtoken_change", args=[token.pk]), {"name": "Renamed"}
    )
    assert change.status_code == 403
    listing = client.get(reverse("admin:knox_authtoken_changelist")).content.decode()
    assert "delete_selected" not in listing  # the revoke action instead
    assert TokenName.objects.get(token=token).name == "Script"


def test_staff_with_the_delete_permission_but_not_the_secretariat_revoke_nothing(
    client, gcg_member
):
    from django.contrib.auth.models import Permission

    staff = factories.UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="knox", codename__in=["view_authtoken", "delete_authtoken"]
        )
    )
    token, key = services.token_create(
        user=gcg_member, name="Script", lifetime=datetime.timedelta(days=30)
    )
    client.force_login(staff)
    delete = reverse("admin:knox_authtoken_delete", args=[token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:knox_authtoken_changelist"),
        {"action": "revoke", admin.helpers.ACTION_CHECKBOX_NAME: [token.pk]},
    )
    assert AuthToken.objects.filter(pk=token.pk).exists(), response.status_code
    with pytest.raises(services.TokenError):
        services.token_revoke(token=token, by=staff)


# --- the fragments kept until the record changes --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_tokens_made_used_and_revoked_leave_the_kept_pages_kept(settings, gcg_member):
    """Writes to the token table (and knox's removal of expired tokens as it reads them)
    change nothing a page shows: the fragments stay kept (coordination.caching.UNRECORDED)."""
    settings.FRAGMENT_CACHE_SECONDS = 3600
    client = Client()
    client.force_login(gcg_member)  # (a login writes the account's last login: a bump)
    caching.generation_bump()
    before = caching.generation_read()
    _, key = create_on_preferences(client)
    _, old_key = services.token_create(
        user=gcg_member, name="Old", lifetime=datetime.timedelta(days=1)
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert with_token(old_key).get(MEETINGS).status_code == 401  # knox deletes it
    assert with_token(key).get(MEETINGS).status_code == 200
    token = AuthToken.objects.get()
    client.post(reverse("api_token_revoke", args=[token.token_key]))
    assert not AuthToken.objects.exists()
    assert caching.generation_read() == before
    factories.OrganisationFactory()  # and a write to the record moves it on
    assert caching.generation_read() > before
