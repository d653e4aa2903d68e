"""Who sees what: every URL of the site × anonymous, member of another group, member, secretariat.

The chair of the Supply Chain Action Group is not in the GCG: for GCG papers they are the
"member of another group". 404 (not 403) for objects outside one's groups: no leak that they exist.
"""

import pytest
from django.urls import reverse

from coordination.models import ActionItem, Document
from pathfinders.models import PathfinderCountry

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous: sent to the login page
#           anonymous, other group (chair), GCG member, secretariat
PUBLIC = (200, 302, 302, 302)  # signed-in people go on to their dashboard
SIGNED_IN = (LOGIN, 200, 200, 200)
GCG_ONLY = (LOGIN, 404, 200, 200)
SUPPLY_CHAIN_ONLY = (LOGIN, 200, 404, 200)
STAFF_ONLY = (LOGIN, 302, 302, 200)


def urls(demo):
    meeting = demo["meeting"]
    item = ActionItem.objects.get(meeting=meeting, order=1)
    tor = Document.objects.get(kind="terms_of_reference")
    concept_note = Document.objects.get(kind="concept_note")
    madagascar = PathfinderCountry.objects.get(country="MG")
    return [
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
