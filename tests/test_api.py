"""The read-only API: its answers as JSON, its pages, filters, bad input, schema and docs page,
and its query counts."""

import datetime
import html
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle

from api import services
from coordination.models import Comment, Consultation, Document, Event, Meeting, Person
from tests import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "meeting",
    "document",
    "version",
    "action-item",
    "consultation",
    "pathfinder-country",
    "event",
]


def api(client, url, **params):
    response = client.get(url, params)
    return response, json.loads(response.content) if response.content else None


@pytest.fixture
def member_client(client, demo):
    client.force_login(demo["member"])
    return client


def test_a_member_reads_a_meeting_with_its_agenda_decisions_and_action_points(member_client, demo):
    meeting = demo["meeting"]
    response, data = api(member_client, reverse("api:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert data["title"] == meeting.title
    assert data["group"] == "gcg"
    assert [a["title"] for a in data["agenda"]] == list(
        meeting.agenda_items.order_by("order").values_list("title", flat=True)
    )
    assert [d["text"] for d in data["decisions"]] == list(
        meeting.decisions.order_by("order", "pk").values_list("text", flat=True)
    )
    assert {i["title"] for i in data["action_items"]} == set(
        meeting.action_items.values_list("title", flat=True)
    )
    # owners as the report names them: none where it names none
    assert {i["title"] for i in data["action_items"] if i["owners"]} == {
        item.title for item in meeting.action_items.all() if item.owners_display()
    }


def test_lists_are_pages_of_50_unless_asked_for_up_to_200(member_client, demo):
    gcg = demo["meeting"].group
    Meeting.objects.bulk_create(
        Meeting(group=gcg, number=100 + i, status="planned") for i in range(230)
    )
    url = reverse("api:meeting-list")
    _, first = api(member_client, url)
    total = Meeting.objects.filter(group=gcg).count()
    assert first["count"] == total and len(first["results"]) == 50
    assert first["next"].endswith("page=2")
    _, big = api(member_client, url, page_size=500)
    assert len(big["results"]) == 200  # the most a page holds
    response, error = api(member_client, url, page=99)
    assert response.status_code == 404
    assert error == {"detail": "Invalid page."}


def test_filters_by_date_and_group(member_client, demo):
    gcg = demo["meeting"].group
    Meeting.objects.bulk_create(
        [
            Meeting(group=gcg, number=90, status="held", starts_on=datetime.date(2015, 5, 1)),
            Meeting(group=gcg, number=91, status="held", starts_on=datetime.date(2016, 5, 1)),
        ]
    )
    url = reverse("api:meeting-list")
    _, data = api(member_client, url, since="2015-01-01", until="2015-12-31")
    assert [m["number"] for m in data["results"]] == [90]
    _, data = api(member_client, url, group="gcg", until="2016-12-31")
    assert [m["number"] for m in data["results"]] == [91, 90]
    _, data = api(member_client, url, group="supply-chains")  # not the member's: nothing
    assert data["results"] == []
    _, data = api(member_client, url, group="no-such-group")  # the same answer
    assert data["results"] == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bad_filter_values_and_pages_are_clear_errors_not_500(member_client, demo, endpoint):
    url = reverse(f"api:{endpoint}-list")
    response, error = api(member_client, url, since="2020-13-45")
    assert response.status_code == 400
    assert error == {"since": ["Enter a valid date."]}
    for page in ("abc", "0", "-1", "9" * 30):
        response, error = api(member_client, url, page=page)
        assert response.status_code == 404, page
        assert error == {"detail": "Invalid page."}
    response, _ = api(member_client, url, page_size="abc")  # ignored: the default size
    assert response.status_code == 200


def test_an_id_too_large_for_the_database_is_a_400_naming_the_filter(member_client, demo):
    url = reverse("api:version-list")
    response, error = api(member_client, url, document="9" * 23)
    assert response.status_code == 400
    assert list(error) == ["document"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_is_read_only(member_client, demo, endpoint):
    list_url = reverse(f"api:{endpoint}-list")
    _, data = api(member_client, list_url)
    detail_url = data["results"][0]["url"]
    for method in ("post", "put", "patch", "delete"):
        for url in (list_url, detail_url):
            response = getattr(member_client, method)(url, {}, content_type="application/json")
            assert response.status_code == 405, (method, url)
            assert "detail" in json.loads(response.content)


def test_junk_in_the_path_is_a_404(member_client, demo):
    for url in ("/api/v1/meetings/abc/", "/api/v1/meetings/0/", "/api/v1/pathfinder-countries/1/"):
        response = member_client.get(url)
        assert response.status_code == 404, url


def test_user_text_comes_back_as_written_in_valid_json(member_client, demo):
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    text = '</script><script>alert("x")</script> & “quotes” \\ \u2028'
    factories.CommentFactory(
        consultation=consultation,
        author=Person.objects.get(user=demo["member"]),
        paragraph="1",
        text=text,
    )
    url = reverse("api:consultation-detail", args=[consultation.pk])
    response, data = api(member_client, url)
    assert response["Content-Type"] == "application/json"
    assert text in [c["text"] for c in data["comments"]]


def test_members_read_that_a_country_has_a_focal_point_the_secretariat_who(client, demo):
    from pathfinders.models import PathfinderCountry

    madagascar = PathfinderCountry.objects.get(country="MG")
    madagascar.focal_point = factories.PersonFactory(full_name="Ravo Rakoto")
    madagascar.save()
    url = reverse("api:pathfinder-country-detail", args=["mg"])
    client.force_login(demo["member"])
    _, member = api(client, url)
    client.force_login(demo["secretariat"])
    _, secretariat = api(client, url)
    assert member["name"] == "Madagascar" and member["focal_point_nominated"] is True
    assert "focal_point" not in member and "notes" not in member
    assert "resident_coordinator_engaged_on" not in member  # no page shows members the date
    assert "resident_coordinator_engaged_on" in secretariat
    assert secretariat["focal_point"] == "Ravo Rakoto"
    assert {key: secretariat[key] for key in member} == member


def test_the_schema_lists_every_endpoint(client, demo):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = set(schema["paths"])
    assert paths == {
        "/api/v1/meetings/", "/api/v1/meetings/{id}/",
        "/api/v1/documents/", "/api/v1/documents/{id}/",
        "/api/v1/versions/", "/api/v1/versions/{id}/",
        "/api/v1/action-items/", "/api/v1/action-items/{id}/",
        "/api/v1/consultations/", "/api/v1/consultations/{id}/",
        "/api/v1/pathfinder-countries/", "/api/v1/pathfinder-countries/{country}/",
        "/api/v1/events/", "/api/v1/events/{id}/",
    }  # fmt: skip
    assert all(set(methods) == {"get"} for methods in schema["paths"].values())
    parameters = {p["name"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert {"since", "until", "group", "page", "page_size"} <= parameters
    assert "knoxApiToken" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_its_assets_from_the_site_under_the_csp(client, demo):
    client.force_login(demo["member"])
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert "<style" not in page and "style=" not in page
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)  # no external URL
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", page)
    static = [a for a in assets if a.startswith(settings.STATIC_URL)]
    assert len(static) == 5  # Swagger UI's style, scripts and icon, and the page's style
    for asset in static:  # the app's own files (whitenoise serves them)
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    (script,) = set(assets) - set(static)  # the start-up script, from the docs view itself
    fetched = client.get(html.unescape(script))
    assert fetched.status_code == 200
    assert fetched["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in fetched.content.decode()


def test_a_signed_in_member_browses_the_api_with_their_session(member_client, demo):
    response, data = api(member_client, reverse("api:document-list"))
    assert response.status_code == 200
    assert Document.objects.get(kind="terms_of_reference").title in [
        d["title"] for d in data["results"]
    ]


def test_anonymous_requests_get_a_401_naming_the_token_scheme(client, demo):
    response, error = api(client, reverse("api:meeting-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error == {"detail": "Authentication credentials were not provided."}


def test_a_token_is_throttled_past_its_rate(client, demo, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    _, key = services.token_create(
        user=demo["member"], name="Script", lifetime=datetime.timedelta(days=30)
    )
    url = reverse("api:meeting-list")
    answers = [client.get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_comments_are_only_those_the_reader_may_see(client, demo):
    """A private consultation: a member reads their own comments, the secretariat all."""
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    consultation.comments_private = True
    consultation.save(update_fields=["comments_private"])
    member = Person.objects.get(user=demo["member"])
    other = factories.MembershipFactory(group=consultation.audience).person
    factories.CommentFactory(consultation=consultation, author=member, text="Mine.")
    factories.CommentFactory(consultation=consultation, author=other, text="Someone else's.")
    url = reverse("api:consultation-detail", args=[consultation.pk])
    seen = {}
    for role in ("member", "secretariat"):
        client.force_login(demo[role])
        _, data = api(client, url)
        seen[role] = {c["text"] for c in data["comments"]}
    visible = set(
        Comment.objects.visible_to(demo["member"], consultation).values_list("text", flat=True)
    )
    assert seen["member"] == visible and "Mine." in visible and "Someone else's." not in visible
    assert {"Mine.", "Someone else's."} <= seen["secretariat"]


# --- query counts ---------------------------------------------------------------------------


def add_rows(gcg, member_person, n):
    """n of everything the endpoints list, and n rows in each nested list of one of each."""
    from django_countries import countries

    from pathfinders.models import PathfinderCountry

    start = Meeting.objects.count()
    meetings = [
        factories.MeetingFactory(group=gcg, number=100 + start + i, status="planned")
        for i in range(n)
    ]
    meeting = meetings[0]
    organisation = factories.OrganisationFactory()
    for i in range(n):
        agenda = factories.AgendaItemFactory(meeting=meeting, order=i + 1)
        factories.DecisionFactory(meeting=meeting, agenda_item=agenda)
        item = factories.ActionItemFactory(meeting=meeting, order=i + 1)
        item.owner_people.add(member_person)
        item.owner_organisations.add(organisation)
        item.owner_groups.add(gcg)
    document = factories.DocumentFactory(owner_group=gcg)
    versions = [factories.DocumentVersionFactory(document=document, number=i + 1) for i in range(n)]
    consultation = factories.ConsultationFactory(version=versions[0], audience=gcg)
    for _ in range(n):
        factories.CommentFactory(
            consultation=consultation,
            author=factories.MembershipFactory(group=gcg, person__organisation=organisation).person,
        )
        factories.DocumentFactory(owner_group=gcg)
        factories.ConsultationFactory(version=versions[-1], audience=gcg)
        factories.EventFactory().notify_groups.add(gcg)
    taken = set(PathfinderCountry.objects.values_list("country", flat=True))
    codes = [code for code, _name in countries if code not in taken][:n]
    for code in codes:
        factories.PathfinderCountryFactory(
            country=code, is_public=True, focal_point=member_person, notes="Notes."
        )
    return {
        "meeting-detail": meeting.pk,
        "document-detail": document.pk,
        "version-detail": versions[0].pk,
        "action-item-detail": item.pk,
        "consultation-detail": consultation.pk,
        "pathfinder-country-detail": codes[0],
        "event-detail": Event.objects.order_by("-pk").first().pk,
    }


# Queries per answer to a member, read with a token, however many rows: the token and the
# account's other tokens (knox), whether they are the secretariat and their groups (the rules),
# then the endpoint's own (a count and a page, or a record and its nested lists).
QUERIES = {  # (list, detail)
    "meeting": (6, 11),  # the detail: agenda, decisions, action items and their three owners
    "document": (7, 6),
    "version": (6, 5),
    "action-item": (9, 8),
    "consultation": (6, 6),  # the detail: its comments with their authors
    "pathfinder-country": (6, 5),
    "event": (7, 6),
}


@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_each_endpoint_runs_as_many_queries_for_50_rows_as_for_5(
    client, demo, role, django_assert_max_num_queries, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 3600  # as in production: the API reads no generation
    gcg = demo["meeting"].group
    member_person = Person.objects.get(user=demo["member"])
    _, key = services.token_create(
        user=demo[role], name="Counts", lifetime=datetime.timedelta(days=30)
    )
    counted = {}
    for n in (5, 50):
        details = add_rows(gcg, member_person, n)
        for endpoint in ENDPOINTS:
            urls = (
                reverse(f"api:{endpoint}-list"),
                reverse(f"api:{endpoint}-detail", args=[details[f"{endpoint}-detail"]]),
            )
            for url, most in zip(urls, QUERIES[endpoint], strict=True):
                with django_assert_max_num_queries(most) as queries:
                    response = client.get(
                        url, {"page_size": 200}, HTTP_AUTHORIZATION=f"Token {key}"
                    )
                assert response.status_code == 200, url
                counted.setdefault((endpoint, url == urls[0]), set()).add(len(queries))
    assert all(len(counts) == 1 for counts in counted.values()), counted


def test_the_api_says_what_the_demo_added_as_the_pages_do(client, demo):
    from coordination.models import ActionItem, DocumentVersion

    client.force_login(demo["secretariat"])
    share = ActionItem.objects.get(title__startswith="Share the revised draft")
    feedback = share.following_action_items.get()
    data = client.get(f"/api/v1/action-items/{feedback.pk}/").json()
    assert data["trigger_action"].endswith(f"/api/v1/action-items/{share.pk}/")
    assert client.get(f"/api/v1/action-items/{share.pk}/").json()["status_is_illustrative"]
    listed = {row["id"]: row for row in client.get("/api/v1/action-items/").json()["results"]}
    assert listed[share.pk]["status_is_illustrative"] is True
    assert listed[feedback.pk]["status_is_illustrative"] is False
    revised = DocumentVersion.objects.get(document__kind="guidance_note", number=2)
    assert client.get(f"/api/v1/versions/{revised.pk}/").json()["is_illustrative"] is True
