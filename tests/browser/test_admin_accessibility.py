"""The admin pages the secretariat works in pass axe (no serious or critical violation) on a
laptop, and the meeting page — agenda, attendance, decisions, action points, annexes — fits
1280 px without scrolling sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coordination.models import ActionItem, Attendance
from tests.browser.test_accessibility import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
SECRETARIAT = ("secretariat@example.org", "demo-secretariat-87")


def admin_pages(demo) -> list[str]:
    meeting = demo["meeting"]
    item = ActionItem.objects.filter(meeting=meeting).order_by("order").first()
    return [
        reverse("admin:index"),
        reverse("admin:coordination_meeting_changelist"),
        reverse("admin:coordination_meeting_change", args=[meeting.pk]),
        reverse("admin:coordination_meeting_add"),
        # where the meeting page's “Change” links lead: minutes, an annex's file or link
        reverse("admin:coordination_agendaitem_change", args=[meeting.agenda_items.first().pk]),
        reverse("admin:coordination_annex_change", args=[meeting.annexes.first().pk]),
        reverse("admin:coordination_actionitem_changelist"),
        reverse("admin:coordination_actionitem_change", args=[item.pk]),
        reverse("admin:coordination_person_changelist"),
        reverse("admin:coordination_consultation_changelist"),
        reverse("admin:coordination_comment_changelist"),
        reverse("admin:coordination_outboundemail_changelist"),
    ]


def visit(page: Page, url: str) -> list[str]:
    """Opens the page; returns the Content-Security-Policy violations of its loading. (axe
    breaks the policy itself later, while it reads the admin's style sheets that @import
    others: not the admin's doing, so the `watch_csp` fixture is not used here.)"""
    blocked = []

    def listen(message):
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", listen)
    response = page.goto(url)
    page.remove_listener("console", listen)
    assert response.status == 200, url
    return blocked


@pytest.fixture
def officer_page(browser, live_server, demo) -> Page:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    log_in(page, live_server, *SECRETARIAT)
    yield page
    context.close()


def test_the_secretariats_admin_pages_have_no_serious_accessibility_violation(
    officer_page, live_server, demo
):
    found = {}
    for path in admin_pages(demo):
        problems = visit(officer_page, live_server.url + path) + serious_violations(officer_page)
        if problems:
            found[path] = problems
    assert found == {}


def test_the_meeting_page_fits_a_laptop_screen(officer_page, live_server, demo):
    meeting = demo["meeting"]
    url = live_server.url + reverse("admin:coordination_meeting_change", args=[meeting.pk])
    assert visit(officer_page, url) == []
    expect(officer_page.get_by_role("heading", name="Attendance")).to_be_visible()
    width, height = officer_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    print(f"meeting change page at {WIDTH} px: {width} × {height} px")
    assert width <= WIDTH
    assert height <= 4500  # 8,350 px before: one long form

    # An attendance row, as a screen reader announces its boxes.
    row = Attendance.objects.filter(meeting=meeting, person__isnull=False).first()
    expect(officer_page.get_by_role("combobox", name=f"Person – {row}")).to_contain_text(
        row.person.full_name
    )
    expect(officer_page.get_by_role("combobox", name=f"Status – {row}")).to_have_value(row.status)
    expect(officer_page.get_by_role("checkbox", name=f"Delete – {row}")).not_to_be_checked()

    officer_page.get_by_role("button", name="Add another Attendance").click()
    expect(officer_page.get_by_role("combobox", name="Person – new row")).to_be_visible()
    expect(officer_page.get_by_role("combobox", name="Status – new row")).to_have_value("present")
    assert serious_violations(officer_page) == []
