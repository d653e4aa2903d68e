"""Who sees what: every URL of the site × anonymous, member of another group, member, secretariat.

The chair of the Supply Chain Action Group is not in the GCG: for GCG papers they are the
"member of another group". 404 (not 403) for objects outside one's groups: no leak that they exist.
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group as AuthGroup
from django.db import connection
from django.urls import reverse

from coordination import selectors
from coordination.models import (
    SECRETARIAT_GROUP,
    ActionItem,
    Comment,
    Consultation,
    Document,
    Event,
    Person,
    User,
)
from coordination.services import public_submission_notify
from pathfinders.models import InterestSubmission, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous: sent to the login page
#           anonymous, other group (chair), GCG member, secretariat
PUBLIC = (200, 302, 302, 302)  # signed-in people go on to their dashboard
SIGNED_IN = (LOGIN, 200, 200, 200)
GCG_ONLY = (LOGIN, 404, 200, 200)
SUPPLY_CHAIN_ONLY = (LOGIN, 200, 404, 200)
STAFF_ONLY = (LOGIN, 302, 302, 200)
SECRETARIAT_PAGE = (LOGIN, 403, 403, 200)  # site pages for the secretariat only


def urls(demo):
    meeting = demo["meeting"]
    item = ActionItem.objects.get(meeting=meeting, order=1)
    tor = Document.objects.get(kind="terms_of_reference")
    concept_note = Document.objects.get(kind="concept_note")
    madagascar = PathfinderCountry.objects.get(country="MG")
    note = Document.objects.get(kind="guidance_note")
    consultation = Consultation.objects.get(version__document=note)
    tor_comment = Comment.objects.filter(consultation__version__document=tor).first()
    return [
        (reverse("version_diff", args=[tor.pk]), GCG_ONLY),
        (reverse("version_new", args=[tor.pk]), SECRETARIAT_PAGE),
        (reverse("consultation_new", args=[note.pk, 2]), SECRETARIAT_PAGE),
        (consultation.get_absolute_url(), GCG_ONLY),
        (reverse("consultation_manage", args=[consultation.pk]), SECRETARIAT_PAGE),
        (reverse("matrix_csv", args=[consultation.pk]), SECRETARIAT_PAGE),
        (reverse("matrix_xlsx", args=[consultation.pk]), SECRETARIAT_PAGE),
        (
            reverse("comment_edit", args=[tor_comment.consultation_id, tor_comment.pk]),
            (LOGIN, 404, 404, 404),  # only its author edits it
        ),
        (reverse("preferences"), SIGNED_IN),
        (reverse("interest_form"), (200, 200, 200, 200)),
        (reverse("interest_thanks"), (200, 200, 200, 200)),
        (reverse("partner_form"), (200, 200, 200, 200)),
        (reverse("partner_thanks"), (200, 200, 200, 200)),
        (reverse("pathfinder_public"), (200, 200, 200, 200)),
        (reverse("pathfinder_triage"), SECRETARIAT_PAGE),
        (reverse("pathfinder_board"), SECRETARIAT_PAGE),
        (reverse("pathfinder_board_csv"), SECRETARIAT_PAGE),
        (reverse("pathfinder_board_xlsx"), SECRETARIAT_PAGE),
        (reverse("unsubscribe", args=["forged"]), (404, 404, 404, 404)),
        (reverse("home"), PUBLIC),
        (reverse("login"), (200, 200, 200, 200)),
        (reverse("password_reset"), (200, 200, 200, 200)),
        (reverse("dashboard"), SIGNED_IN),
        (reverse("meeting_list"), SIGNED_IN),
        (reverse("group_meetings", args=["gcg"]), GCG_ONLY),
        (reverse("group_meetings", args=["supply-chains"]), SUPPLY_CHAIN_ONLY),
        (meeting.get_absolute_url(), GCG_ONLY),
        (reverse("annex_download", args=[meeting.pk, 1]), GCG_ONLY),
        (reverse("annex_download", args=[meeting.pk, 9]), (LOGIN, 404, 404, 404)),
        (reverse("action_item_list"), SIGNED_IN),
        (item.get_absolute_url(), GCG_ONLY),
        (reverse("document_list"), SIGNED_IN),
        (tor.get_absolute_url(), GCG_ONLY),
        (reverse("version_detail", args=[tor.pk, 1]), GCG_ONLY),
        (concept_note.get_absolute_url(), SUPPLY_CHAIN_ONLY),
        (reverse("version_detail", args=[concept_note.pk, 1]), SUPPLY_CHAIN_ONLY),
        (reverse("event_list"), SIGNED_IN),
        (reverse("action_group_list"), SIGNED_IN),
        (reverse("action_group_detail", args=["supply-chains"]), SIGNED_IN),
        (reverse("pathfinder_list"), SIGNED_IN),
        (madagascar.get_absolute_url(), SIGNED_IN),
        (reverse("pathfinder_detail", args=["ZZ"]), (LOGIN, 404, 404, 404)),
        (reverse("meeting_detail", args=[999999]), (LOGIN, 404, 404, 404)),
        (reverse("password_change"), SIGNED_IN),
        (reverse("password_change_done"), SIGNED_IN),
        (reverse("password_reset_done"), (200, 200, 200, 200)),
        (reverse("password_reset_complete"), (200, 200, 200, 200)),
        (reverse("invitation_accept", args=["MQ", "bad-token"]), (200, 200, 200, 200)),
        (reverse("logout"), (405, 405, 405, 405)),  # POST only
        (reverse("admin:index"), STAFF_ONLY),
        (reverse("admin:coordination_meeting_change", args=[meeting.pk]), STAFF_ONLY),
    ]


def test_every_url_for_every_kind_of_visitor(client, demo):
    visitors = [None, demo["chair"], demo["member"], demo["secretariat"]]
    failures = []
    for url, expected in urls(demo):
        for visitor, status in zip(visitors, expected, strict=True):
            client.logout()
            if visitor:
                client.force_login(visitor)
            got = client.get(url).status_code
            if got != status:
                failures.append(f"{url} as {visitor or 'anonymous'}: {got}, expected {status}")
    assert not failures, "\n".join(failures)


def test_status_change_is_refused_to_people_who_cannot_see_the_item(client, demo):
    item = ActionItem.objects.get(meeting=demo["meeting"], order=1)
    url = reverse("action_item_status", args=[item.pk])

    assert client.post(url, {"status": "done"}).status_code == LOGIN
    client.force_login(demo["chair"])
    assert client.post(url, {"status": "done"}).status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_a_member_who_does_not_own_an_item_sees_it_but_cannot_change_it(client, demo):
    item = ActionItem.objects.get(meeting=demo["meeting"], order=3)  # owned by the Secretariat
    client.force_login(demo["member"])
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert b"Save status" not in page.content
    assert (
        client.post(reverse("action_item_status", args=[item.pk]), {"status": "done"}).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.status == "open"


def test_missing_pages_use_the_site_layout(client, demo):
    client.force_login(demo["member"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find this page." in response.content.decode()
    assert "Alliance 8.7" in response.content.decode()


def test_action_group_page_links_to_meetings_only_for_those_who_may_open_them(client, demo):
    url = reverse("action_group_detail", args=["supply-chains"])
    meetings = reverse("group_meetings", args=["supply-chains"])
    client.force_login(demo["chair"])
    assert meetings in client.get(url).content.decode()
    client.force_login(demo["member"])
    assert meetings not in client.get(url).content.decode()


def test_posts_of_the_consultation_cycle_are_refused_to_outsiders(client, demo):
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    comment = Comment.objects.filter(consultation__version__document__kind="terms_of_reference")[0]
    posts = [
        (reverse("comment_create", args=[consultation.pk]), {"paragraph": "1", "text": "x"}),
        (reverse("no_comments", args=[consultation.pk]), {}),
        (reverse("comment_withdraw", args=[comment.consultation_id, comment.pk]), {}),
        (reverse("version_share", args=[consultation.version.document_id, 2]), {}),
        (reverse("dispositions_publish", args=[consultation.pk]), {"published": "0"}),
    ]
    client.force_login(demo["chair"])
    for url, data in posts:
        assert client.post(url, data).status_code in (403, 404), url
    assert not consultation.comments.exists()
    assert not consultation.no_comment_statements.exists()


def test_staff_status_alone_gives_no_secretariat_power(client, demo, staff_without_permissions):
    country = PathfinderCountry.objects.get(country="MG")
    client.force_login(staff_without_permissions)
    response = client.post(
        reverse("pathfinder_stage", args=["MG"]), {"stage": "withdrawn", "note": "x"}
    )
    assert response.status_code == 403
    country.refresh_from_db()
    assert country.stage != "withdrawn"
    admin = client.get(reverse("admin:index")).content.decode()
    assert "You don’t have permission to view or edit anything." in admin
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("pathfinder_board") not in dashboard  # no “Pipeline” in the navigation
    assert reverse("admin:index") in dashboard  # but the admin's door


def test_the_secretariat_is_who_holds_the_permission(
    demo, secretariat, staff_without_permissions, secretariat_by_permission
):
    holders = {u for u in User.objects.all() if u.is_secretariat}
    assert holders == set(selectors.secretariat_users())
    assert holders == {demo["secretariat"], secretariat, secretariat_by_permission}
    assert demo["secretariat"].groups.filter(name=SECRETARIAT_GROUP).exists()
    secretariat_by_permission.is_active = False
    secretariat_by_permission.save()
    assert secretariat_by_permission not in selectors.secretariat_users()


def test_public_submissions_are_told_to_the_secretariat_not_to_staff(
    demo, staff_without_permissions, secretariat_by_permission, mailoutbox, settings
):
    settings.SECRETARIAT_EMAIL = ""
    public_submission_notify(
        submission=InterestSubmission.objects.get(country="GH"),
        confirmation_template="pathfinders/email/interest_confirmation.txt",
        subject="Thank you",
        secretariat_subject="To triage",
        triage_path="/pathfinders/triage/",
    )
    notice = next(m for m in mailoutbox if m.subject == "To triage")
    assert notice.to == sorted([demo["secretariat"].email, secretariat_by_permission.email])


def test_the_migration_gives_the_group_the_permission_and_puts_the_staff_of_the_day_in_it(db):
    """Until the migration, staff status gave the secretariat's powers: who had them keeps them."""
    migration = importlib.import_module("coordination.migrations.0002_secretariat_permission")
    AuthGroup.objects.filter(name=SECRETARIAT_GROUP).delete()
    officer = factories.UserFactory(is_staff=True)
    member = factories.UserFactory()
    migration.secretariat_group_create(django_apps, SimpleNamespace(connection=connection))
    group = AuthGroup.objects.get(name=SECRETARIAT_GROUP)
    assert [p.codename for p in group.permissions.all()] == ["act_as_secretariat"]
    assert list(group.user_set.all()) == [officer]
    assert User.objects.get(pk=officer.pk).is_secretariat
    assert not User.objects.get(pk=member.pk).is_secretariat


def test_an_account_without_membership_has_its_dashboard_and_nothing_else(client, no_membership):
    client.force_login(no_membership)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your account is not part of any group yet" in page
    assert reverse("meeting_list") not in page
    assert reverse("event_list") not in page
    assert reverse("pathfinder_public") in page
    for name in ("meeting_list", "event_list", "pathfinder_list", "action_group_list"):
        assert client.get(reverse(name)).status_code == 403, name


def test_events_are_seen_by_the_groups_they_are_told_to(client, demo):
    Event.objects.create(title="Open day for every member", starts_on=datetime.date(2031, 5, 1))
    url = reverse("event_list")
    client.force_login(demo["chair"])  # the GCG's events are not for the Supply Chain chair
    page = client.get(url).content.decode()
    assert "Open day for every member" in page
    assert "High Level Political Forum" not in page
    client.force_login(demo["member"])
    page = client.get(url).content.decode()
    assert "Open day for every member" in page
    assert "High Level Political Forum" in page


def test_pathfinder_pages_show_members_no_contacts_notes_or_annexes_of_other_groups(client, demo):
    country = PathfinderCountry.objects.get(country="MG")
    country.focal_point = Person.objects.create(
        full_name="Ravo Rakoto", position="Director", email="ravo@example.mg"
    )
    country.notes = "Call the office of the minister first."
    country.save()
    PathfinderCountry.objects.filter(country="PE").update(is_public=False)
    annex = country.workshops.get(report_annex__isnull=False).report_annex

    client.force_login(demo["chair"])  # cannot see the GCG meeting that holds the report
    page = client.get(country.get_absolute_url()).content.decode()
    assert annex.title not in page
    assert "Ravo Rakoto" not in page and "ravo@example.mg" not in page
    assert "office of the minister" not in page
    assert "Peru" not in client.get(reverse("pathfinder_list")).content.decode()
    assert client.get(reverse("pathfinder_detail", args=["PE"])).status_code == 404

    client.force_login(demo["member"])  # in the GCG: the report's title, still no contacts
    page = client.get(country.get_absolute_url()).content.decode()
    assert annex.title in page
    assert "Ravo Rakoto" not in page and "office of the minister" not in page

    client.force_login(demo["secretariat"])
    page = client.get(country.get_absolute_url()).content.decode()
    assert "Ravo Rakoto" in page and "ravo@example.mg" in page
    assert "office of the minister" in page
    assert "Peru" in client.get(reverse("pathfinder_list")).content.decode()


def test_an_action_groups_members_are_listed_to_its_members_and_the_secretariat(client, demo):
    url = reverse("action_group_detail", args=["supply-chains"])
    chair_name = Person.objects.get(user=demo["chair"]).full_name
    client.force_login(demo["member"])  # not in the Supply Chain Action Group
    page = client.get(url).content.decode()
    assert "Chaired by ILO" in page
    assert chair_name not in page
    for user in (demo["chair"], demo["secretariat"]):
        client.force_login(user)
        assert chair_name in client.get(url).content.decode()


def test_spam_is_counted_apart_not_listed_under_recently_triaged(client, demo):
    rejected = InterestSubmission.objects.get(country="GH")
    rejected.status, rejected.reason = "rejected", "Not now."
    rejected.save()
    client.force_login(demo["secretariat"])
    page = client.get(reverse("pathfinder_triage")).content.decode()
    recent = page.split("Recently triaged", 1)[1]
    assert "Not now." in recent
    assert "Best Watches" not in page  # the demo's spam
    assert "1 submission is kept as spam" in page
