"""Every main page passes axe (no serious or critical violation) for the public, a member and
the secretariat, on a laptop (1280 px) and a phone (390 px); and the navbar fits a 1200 px
screen in every language, the account menu included."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coordination import consultations
from coordination.models import Consultation, Document, Person
from tests.browser.walk import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def log_in(page: Page, live_server, email: str, password: str):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome", exact=False)).to_be_visible()


def public_pages(demo) -> list[str]:
    return [
        reverse("home"),
        reverse("login"),
        reverse("password_reset"),
        reverse("pathfinder_public"),
        reverse("pathfinder_public_detail", args=["MG"]),
        reverse("interest_form"),
        reverse("partner_form"),
    ]


def member_pages(demo) -> list[str]:
    """With a comment of the member's own on the open consultation (its Edit and Withdraw
    buttons) and the adopted Terms of Reference (a link on a green alert)."""
    meeting = demo["meeting"]
    note = Document.objects.get(kind="guidance_note")
    tor = Document.objects.get(kind="terms_of_reference")
    consultation = Consultation.objects.get(version__document=note)
    if not consultation.comments.filter(author__user=demo["member"]).exists():
        consultations.comment_submit(
            consultation=consultation,
            author=Person.objects.get(user=demo["member"]),
            paragraph="2",
            text="Name the ministry in charge.",
        )
    item = meeting.action_items.order_by("order").first()
    return [
        reverse("dashboard"),
        reverse("meeting_list"),
        meeting.get_absolute_url(),
        reverse("action_item_list"),
        item.get_absolute_url(),
        reverse("document_list"),
        note.get_absolute_url(),
        tor.get_absolute_url(),
        tor.versions.order_by("number").last().get_absolute_url(),
        consultation.get_absolute_url(),
        reverse("action_group_list"),
        reverse("action_group_detail", args=["supply-chains"]),
        reverse("pathfinder_list"),
        reverse("pathfinder_detail", args=["MG"]),
        reverse("event_list"),
        reverse("preferences"),
        reverse("pathfinder_public"),
    ]


def secretariat_pages(demo) -> list[str]:
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    return [
        *member_pages(demo),
        reverse("consultation_manage", args=[consultation.pk]),
        reverse("pathfinder_board"),
        reverse("pathfinder_triage"),
        reverse("person_invite"),
    ]


def sweep(browser, live_server, watch_csp, paths, *, account=None) -> dict:
    """Each page at each width: {"390 px /path/": [violations]} for those that have some."""
    found = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = watch_csp(context.new_page())
        if account:
            log_in(page, live_server, *account)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            violations = serious_violations(page)
            if violations:
                found[f"{width} px {path}"] = violations
        context.close()
    return found


def test_public_pages_have_no_serious_accessibility_violation(
    browser, live_server, demo, watch_csp
):
    assert sweep(browser, live_server, watch_csp, public_pages(demo)) == {}


def test_member_pages_have_no_serious_accessibility_violation(
    browser, live_server, demo, watch_csp
):
    account = ("member@example.org", "demo-member-87")
    assert sweep(browser, live_server, watch_csp, member_pages(demo), account=account) == {}


def test_secretariat_pages_have_no_serious_accessibility_violation(
    browser, live_server, demo, watch_csp
):
    account = ("secretariat@example.org", "demo-secretariat-87")
    assert sweep(browser, live_server, watch_csp, secretariat_pages(demo), account=account) == {}


# What the secretariat's navbar says in each language: the widest, with “Pipeline”.
NAVBAR = {
    "English": {"current": "Dashboard", "preferences": "Preferences", "log out": "Log out"},
    "Français": {
        "current": "Tableau de bord",
        "preferences": "Préférences",
        "log out": "Se déconnecter",
    },
    "Español": {"current": "Panel", "preferences": "Preferencias", "log out": "Cerrar sesión"},
}


@pytest.mark.parametrize("language", NAVBAR)
def test_at_1200_px_the_navbar_is_one_line_with_the_account_menu_in_view(
    browser, live_server, demo, watch_csp, language
):
    words = NAVBAR[language]
    officer = demo["secretariat"]
    officer.first_name, officer.last_name = "Marie-Hélène", "Dupont-Lefebvre de la Tour"
    officer.save(update_fields=["first_name", "last_name"])  # a long name: cut, not wrapped
    page = watch_csp(browser.new_context(viewport={"width": 1200, "height": 800}).new_page())
    log_in(page, live_server, "secretariat@example.org", "demo-secretariat-87")
    if language != "English":
        page.get_by_role("button", name="Language: English").click()
        page.get_by_role("button", name=language).click()
        expect(page.locator("html")).to_have_attribute("lang", language[:2].lower())

    navbar = page.locator("nav.navbar")
    assert navbar.bounding_box()["height"] < 70  # one line (three in French, before)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    expect(navbar.locator('[aria-current="page"]')).to_have_text(words["current"])

    account = page.get_by_role("button", name="Marie-Hélène Dupont-Lefebvre de la Tour")
    box = account.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1200
    account.click()
    log_out = page.get_by_role("button", name=words["log out"])
    expect(page.get_by_role("link", name=words["preferences"])).to_be_visible()
    expect(log_out).to_be_visible()
    box = log_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1200
    assert serious_violations(page) == []  # the open menu too

    page.get_by_role("link", name=words["preferences"]).click()
    expect(page.locator('[data-testid="language"]')).to_contain_text(re.compile(language, re.I))
