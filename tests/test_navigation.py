"""The navbar: the current section marked, an account menu with the person's name, and one
language selector, which for a signed-in person is the language of their account (the pages
on every device, and their emails)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from coordination.models import Consultation

pytestmark = pytest.mark.django_db


def navbar(page) -> str:
    """What comes before <main>: the navbar (of a response, or of a page's text)."""
    text = page if isinstance(page, str) else page.content.decode()
    return text.split("<main", 1)[0]


def marked(response) -> int:
    return navbar(response).count('aria-current="page"')


@pytest.mark.parametrize(
    ("page", "link"),
    [
        (
            "meeting",
            '<a class="nav-link active" href="/meetings/" aria-current="page">Meetings</a>',
        ),
        (
            "consultation",
            '<a class="nav-link active" href="/documents/" aria-current="page">Documents</a>',
        ),
        (
            "action item",
            '<a class="nav-link active" href="/actions/" aria-current="page">Action items</a>',
        ),
        (
            "country",
            '<a class="nav-link active" href="/pathfinders/" aria-current="page">'
            "Pathfinder countries</a>",
        ),
        (
            "events",
            '<a class="dropdown-item active" href="/events/" aria-current="page">Events</a>',
        ),
        (
            "preferences",
            '<a class="dropdown-item active" href="/accounts/preferences/" aria-current="page">'
            "Preferences</a>",
        ),
    ],
)
def test_the_section_of_the_page_is_marked_and_only_it(client, demo, page, link):
    client.force_login(demo["member"])
    url = {
        "meeting": demo["meeting"].get_absolute_url(),
        "consultation": Consultation.objects.filter(version__document__kind="guidance_note")
        .get()
        .get_absolute_url(),
        "action item": demo["meeting"].action_items.first().get_absolute_url(),
        "country": reverse("pathfinder_detail", args=["MG"]),
        "events": reverse("event_list"),
        "preferences": reverse("preferences"),
    }[page]
    response = client.get(url)
    assertContains(response, link, html=True)
    assert marked(response) == 1


def test_a_page_under_more_marks_the_more_menu_too(client, demo):
    client.force_login(demo["member"])
    response = client.get(reverse("action_group_list"))
    assertContains(
        response,
        '<button class="nav-link dropdown-toggle active" type="button" data-bs-toggle="dropdown"'
        ' aria-expanded="false">More</button>',
        html=True,
    )
    assertNotContains(client.get(reverse("dashboard")), "dropdown-toggle active", status_code=200)


def test_the_pipeline_is_its_own_section_for_the_secretariat(client, demo):
    client.force_login(demo["secretariat"])
    response = client.get(reverse("pathfinder_triage"))
    assertContains(
        response,
        '<a class="nav-link active" href="/pathfinders/board/" aria-current="page">Pipeline</a>',
        html=True,
    )
    assert marked(response) == 1


def test_the_public_sees_the_public_section_marked(client, demo):
    response = client.get(reverse("pathfinder_public_detail", args=["MG"]))
    assertContains(
        response,
        '<a class="nav-link active" href="/pathfinder-countries/" aria-current="page">'
        "Pathfinder countries</a>",
        html=True,
    )
    assert marked(response) == 1


def test_the_account_menu_is_the_persons_name_with_preferences_admin_and_log_out(client, demo):
    client.force_login(demo["secretariat"])
    nav = navbar(client.get(reverse("dashboard")))
    account = nav.split('class="account-name">', 1)[1]
    assert account.startswith(
        "Example secretariat officer</span>"
    )  # the name, not a bare email address
    menu = account.split("</ul>", 1)[0]
    assert "secretariat@example.org" in menu  # who is signed in, inside the menu
    assert ">Preferences</a>" in menu
    assert ">Admin</a>" in menu  # staff
    assert 'action="/accounts/logout/"' in menu and ">Log out</button>" in menu

    client.force_login(demo["member"])
    nav = navbar(client.get(reverse("dashboard")))
    assert ">Admin</a>" not in nav


def test_the_language_selector_is_the_accounts_language(client, demo):
    member = demo["member"]
    client.force_login(member)
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("dashboard")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    member.refresh_from_db()
    assert member.language == "fr"  # the emails follow it
    page = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="fr">' in page and "Tableau de bord" in page

    # Another device (no cookie) shows the account's language too.
    client.cookies.clear()
    client.force_login(member)
    assert '<html lang="fr">' in client.get(reverse("dashboard")).content.decode()


def test_the_account_language_wins_over_a_cookie_left_by_someone_else(client, demo):
    member = demo["member"]
    member.language = "es"
    member.save(update_fields=["language"])
    client.cookies["django_language"] = "fr"
    client.force_login(member)
    page = client.get(reverse("preferences")).content.decode()
    assert '<html lang="es">' in page
    # the selector shows the language the page is in
    assert '<span lang="es">Español</span>' in navbar(page)


def test_the_public_choose_a_language_for_their_browser_only(client, demo):
    users = {u.pk: u.language for u in type(demo["member"]).objects.all()}
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.cookies["django_language"].value == "es"
    assert "Países pioneros" in client.get(reverse("pathfinder_public")).content.decode()
    assert {u.pk: u.language for u in type(demo["member"]).objects.all()} == users


def test_a_language_the_site_does_not_offer_is_not_saved(client, demo):
    member = demo["member"]
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"


def test_preferences_show_the_language_and_offer_no_second_selector(client, demo):
    member = demo["member"]
    client.force_login(member)
    page = client.get(reverse("preferences")).content.decode()
    main = page.split("<main", 1)[1]
    assert 'name="account-language"' not in main
    assert "Pages and emails in English" in main
    assert page.count(f'action="{reverse("set_language")}"') == 1  # the navbar's, only
