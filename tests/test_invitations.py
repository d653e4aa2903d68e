"""“Invite a person”: the secretariat's one page for a new member (person, groups and roles,
invitation), the invitee's first dashboard, and the people list's invited / accepted column."""

import html
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import services
from coordination.models import Group, Membership, Organisation, OutboundEmail, Person, User
from tests import factories

pytestmark = pytest.mark.django_db

INVITE = reverse("person_invite")
PASSWORD = "my own passphrase 87"


class FormReader(HTMLParser):
    """What a browser would send back from the page's form (in <main>, not the footer's
    language switch), and which element describes each field (the error that Django and crispy
    tie to it with aria-describedby)."""

    def __init__(self, page: str):
        super().__init__()
        self.values, self.described_by, self._select = {}, {}, None
        self.feed(page.split("<main", 1)[1].split("</main>", 1)[0])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in ("input", "select", "textarea") and name:
            self.described_by[name] = (attrs.get("aria-describedby") or "").split()
            self.values[name] = attrs.get("value", "") if tag == "input" else ""
        if tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def element_text(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no element #{element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.fixture
def ilo(db):
    return Organisation.objects.create(name="International Labour Organization", acronym="ILO",
                                       kind="un_agency")  # fmt: skip


def invitation(*, group_roles, organisation=None, **fields):
    """The page's form as a browser posts it."""
    data = {
        "full_name": "Ana Pérez",
        "email": "Ana.Perez@Example.org",
        "organisation": organisation.pk if organisation else "",
        "position": "Programme officer",
        "language": "fr",
        **fields,
    }
    for group, role in group_roles.items():
        data[f"group-{group.pk}"] = role
    return data


def test_secretariat_invites_a_person_into_two_groups_from_one_page(
    client, secretariat_by_permission, gcg, other_group, ilo, delivered
):
    client.force_login(secretariat_by_permission)
    response = client.get(reverse("dashboard"))
    assert f'href="{INVITE}"' in response.content.decode()

    response = client.post(
        INVITE,
        invitation(organisation=ilo, group_roles={gcg: "member", other_group: "co_chair"}),
        follow=True,
    )

    person = Person.objects.get(full_name="Ana Pérez")
    assert response.redirect_chain == [(reverse("person_invited", args=[person.pk]), 302)]
    page = response.content.decode()
    assert (
        "The invitation to ana.perez@example.org is recorded; it goes out within a minute." in page
    )
    assert "Invited on" in page
    assert "Global Coordinating Group · Member" in page
    assert "Migration Action Group · Co-chair" in page

    assert (person.email, person.organisation, person.position) == (
        "ana.perez@example.org",
        ilo,
        "Programme officer",
    )
    assert sorted(person.memberships.values_list("group__slug", "role", "constituency")) == [
        ("gcg", "member", "un_agency"),
        ("migration", "co_chair", "un_agency"),
    ]
    assert person.user.email == "ana.perez@example.org"
    assert person.user.language == "fr"
    assert not person.user.has_usable_password()
    assert person.invitation_status == Person.InvitationStatus.INVITED
    assert person.history.first().history_user == secretariat_by_permission

    assert list(OutboundEmail.objects.values_list("kind", "to")) == [
        ("invitation", ["ana.perez@example.org"])
    ]
    sent = delivered()
    assert len(sent) == 1
    assert sent[0].to == ["ana.perez@example.org"]
    assert "/accounts/invitation/" in link_in(sent[0])


def test_the_invitee_accepts_and_lands_on_a_dashboard_showing_their_group(
    client, secretariat, gcg, ilo, delivered
):
    client.force_login(secretariat)
    client.post(INVITE, invitation(organisation=ilo, group_roles={gcg: "alternate"}, language="en"))
    link = link_in(delivered()[0])
    client.logout()

    response = client.get(link, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    page = response.content.decode()
    assert "Welcome, Ana Pérez" in page
    assert "My groups" in page
    assert f'href="{gcg.get_absolute_url()}">Global Coordinating Group</a>' in page
    assert "Alternate" in page
    assert "not part of any group" not in page
    assert Person.objects.get(email="ana.perez@example.org").invitation_status == "accepted"


def test_a_known_address_is_refused_next_to_the_email_field_and_everything_typed_is_kept(
    client, secretariat, gcg, other_group, ilo
):
    factories.PersonFactory(full_name="Ana Pérez Senior", email="ana.perez@example.org")
    client.force_login(secretariat)
    typed = invitation(
        organisation=ilo,
        group_roles={gcg: "chair", other_group: ""},
        full_name="Ana Pérez Junior",
        email="ANA.PEREZ@example.org",
        language="es",
    )

    response = client.post(INVITE, typed)

    assert response.status_code == 200
    page = response.content.decode()
    form = FormReader(page)
    for name, value in typed.items():
        assert form.values[name] == str(value), name
    assert "id_email_error" in form.described_by["email"]
    assert element_text(page, "id_email_error") == (
        "Ana Pérez Senior already has this address: invite them from the people list."
    )
    assert Person.objects.count() == 1
    assert not User.objects.filter(email__iexact="ana.perez@example.org").exists()
    assert not OutboundEmail.objects.exists()


def test_an_address_with_an_account_but_no_person_is_refused_too(client, secretariat, gcg):
    client.force_login(secretariat)
    response = client.post(
        INVITE, invitation(group_roles={gcg: "member"}, email=secretariat.email.upper())
    )
    assert "An account already uses this address." in element_text(
        response.content.decode(), "id_email_error"
    )
    assert not Person.objects.exists()


def test_no_group_is_refused_in_the_groups_box_and_everything_typed_is_kept(
    client, secretariat, gcg, ilo
):
    client.force_login(secretariat)
    typed = invitation(organisation=ilo, group_roles={gcg: ""}, email="bad address")

    response = client.post(INVITE, typed)

    page = response.content.decode()
    form = FormReader(page)
    for name, value in typed.items():
        assert form.values[name] == str(value), name
    assert "Enter a valid email address." in element_text(page, "id_email_error")
    assert "Choose a role in at least one group" in element_text(page, "groups-error")
    assert not Person.objects.exists()


def test_the_person_the_groups_and_the_invitation_are_saved_together_or_not_at_all(
    secretariat, gcg, monkeypatch
):
    def mail_refused(**kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr("coordination.services.email_queue", mail_refused)
    with pytest.raises(RuntimeError):
        services.person_create_and_invite(
            full_name="Ana Pérez",
            email="ana@example.org",
            organisation=None,
            memberships=[(gcg, "member")],
            language="en",
            invited_by=secretariat,
        )
    assert not Person.objects.exists()
    assert not Membership.objects.exists()
    assert not User.objects.filter(email="ana@example.org").exists()


@pytest.mark.parametrize("who", ["gcg_member", "staff_without_permissions", "no_membership"])
def test_only_the_secretariat_invites(client, request, who, gcg):
    client.force_login(request.getfixturevalue(who))
    person = factories.PersonFactory(email="someone@example.org")
    people = set(Person.objects.all())
    assert client.get(INVITE).status_code == 403
    response = client.post(INVITE, invitation(group_roles={gcg: "member"}))
    assert response.status_code == 403
    assert client.get(reverse("person_invited", args=[person.pk])).status_code == 403
    assert set(Person.objects.all()) == people
    assert not OutboundEmail.objects.exists()
    assert f'href="{INVITE}"' not in client.get(reverse("dashboard")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(INVITE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_invite_page_runs_the_same_queries_with_3_or_30_groups(
    client, secretariat_by_permission, django_assert_max_num_queries
):
    client.force_login(secretariat_by_permission)

    def add(n):
        start = Group.objects.count()
        Group.objects.bulk_create(
            Group(name=f"Group {start + i}", short_name=f"G{start + i}", slug=f"g-{start + i}",
                  kind="action_group")
            for i in range(n)
        )  # fmt: skip
        Organisation.objects.bulk_create(
            Organisation(name=f"Org {start + i}", kind="government") for i in range(n)
        )

    def count():
        with CaptureQueriesContext(connection) as get:
            assert client.get(INVITE).status_code == 200
        with CaptureQueriesContext(connection) as refused:  # no group chosen: the form again
            assert client.post(INVITE, invitation(group_roles={})).status_code == 200
        return len(get), len(refused)

    add(3)
    few = count()
    add(27)
    assert count() == few
    with django_assert_max_num_queries(10):
        client.get(INVITE)


# --- the people list in the admin -----------------------------------------------------------


def invitation_cell(page: str, name: str) -> str:
    """The “invitation” column of the people list's row for `name`."""
    row = next(row for row in page.split("<tr") if f">{name}</a>" in row)
    return re.search(r'<td class="field-invitation">(.*?)</td>', row).group(1)


def test_the_people_list_says_who_was_invited_and_who_accepted(client, secretariat, delivered):
    never = factories.PersonFactory(full_name="Never Invited", email="never@example.org")
    waiting = factories.PersonFactory(full_name="Still Waiting", email="waiting@example.org")
    joined = factories.PersonFactory(full_name="Has Joined", email="joined@example.org")
    with time_machine.travel("2026-03-03 10:00Z", tick=True):
        services.person_invite(person=waiting)
        services.person_invite(person=joined)
        link = link_in(delivered()[1])
        response = client.get(link, follow=True)  # Has Joined chooses a password
        client.post(
            response.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
        )

    client.force_login(secretariat)
    url = reverse("admin:coordination_person_changelist")
    page = client.get(url).content.decode()
    assert invitation_cell(page, "Never Invited") == "Not invited"
    assert invitation_cell(page, "Still Waiting") == "Invited on 3 March 2026"
    assert invitation_cell(page, "Has Joined") == "Accepted"
    # The filter (SQL) and the column (Python) state the same rule.
    for person in (never, waiting, joined):
        person.refresh_from_db()
        status = person.invitation_status
        listed = client.get(url, {"invitation": status}).content.decode()
        assert person.full_name in listed, status
        others = {never, waiting, joined} - {person}
        assert not any(other.full_name in listed for other in others), status


def test_the_people_list_links_to_the_invite_page_for_the_secretariat(client, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("admin:coordination_person_changelist")).content.decode()
    assert f'<a href="{INVITE}" class="addlink">Invite a person</a>' in page


def test_the_person_form_shows_no_internals_and_keeps_the_persons_choices(client, secretariat):
    person = factories.PersonFactory(email="ana@example.org", muted_kinds=["consultation"])
    client.force_login(secretariat)

    add_page = client.get(reverse("admin:coordination_person_add")).content.decode()
    for internal in ("Notifications turned off", "Last digest sent at", "muted_kinds"):
        assert internal not in add_page

    change_url = reverse("admin:coordination_person_change", args=[person.pk])
    change_page = client.get(change_url).content.decode()
    assert "Notifications turned off" in change_page  # read-only, with the kinds' names
    assert "Consultations: open for comment, closing soon, closed" in change_page
    assert '<div class="readonly">[]</div>' not in change_page
    assert "['consultation']" not in change_page
    for field in ("muted_kinds", "last_digest_at", "notification_delivery", "invited_at"):
        assert f'name="{field}' not in change_page


def test_the_migration_dates_the_invitations_of_existing_accounts_from_their_creation(db):
    """Before invited_at, the invitation was the only way a person got an account."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps as django_apps

    migration = importlib.import_module("coordination.migrations.0006_person_invited_at")
    with time_machine.travel("2025-06-01 08:00Z"):
        invited = factories.PersonFactory(user=factories.UserFactory(password=None))
    never = factories.PersonFactory()

    migration.invited_at_from_accounts(django_apps, SimpleNamespace(connection=connection))

    invited.refresh_from_db()
    never.refresh_from_db()
    assert invited.invited_at == invited.user.date_joined
    assert invited.invitation_display() == "Invited on 1 June 2025"
    assert never.invited_at is None
