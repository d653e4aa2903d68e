"""The meeting flows as people do them, in Chromium: read the report, follow an action point."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, live_server, email: str, password: str):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_member_reads_the_adopted_terms_of_reference_and_the_guidance_note_action(
    page: Page, live_server, demo, watch_csp
):
    watch_csp(page)
    log_in(page, live_server, "member@example.org", "demo-member-87")

    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="3rd GCG meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report of the 3rd Meeting of the Alliance 8.7 Global Coordinating Group"
    )
    expect(page.get_by_text("Geneva, 28 November 2018")).to_be_visible()
    decisions = page.get_by_role("region", name="Decisions")
    expect(decisions).to_contain_text("The Terms of Reference were adopted.")
    actions = page.get_by_role("region", name="Action points")
    expect(actions).to_contain_text("Provide feedback on the Pathfinder Country Guidance Note")
    expect(actions).to_contain_text("due in 14 days")

    # The agenda links to the minutes of item II.
    page.get_by_role("link", name="Terms of Reference", exact=True).click()
    expect(page).to_have_url(re.compile("#item-2$"))

    decisions.get_by_role("link", name=re.compile("Terms of Reference of Alliance 8.7")).click()
    expect(page.get_by_text("Adopted at the 3rd GCG meeting, 28 November 2018")).to_be_visible()


def test_secretariat_marks_an_action_item_done_and_the_member_sees_it(
    browser, live_server, demo, watch_csp
):
    officer = watch_csp(browser.new_context().new_page())
    log_in(officer, live_server, "secretariat@example.org", "demo-secretariat-87")
    officer.get_by_role("link", name="Action items", exact=True).click()
    officer.get_by_role("link", name="Meet to draft a communications strategy").click()
    officer.get_by_label("New status").select_option(label="Done")
    officer.get_by_role("button", name="Save status").click()
    note = officer.get_by_label("Note")
    expect(note).to_have_attribute("aria-invalid", "true")  # done: say what was done
    expect(officer.get_by_text("Say in a few words what was done")).to_be_visible()
    note.fill("Strategy meeting held")
    officer.get_by_role("button", name="Save status").click()
    expect(officer.get_by_role("heading", name="Mark it “Done”?")).to_be_visible()
    officer.get_by_role("button", name="Yes, mark it “Done”").click()
    expect(officer.get_by_text("The status is now “Done”.")).to_be_visible()
    expect(officer.get_by_test_id("status")).to_have_text("Done")

    member = watch_csp(browser.new_context().new_page())
    log_in(member, live_server, "member@example.org", "demo-member-87")
    member.goto(live_server.url + demo["meeting"].get_absolute_url())
    row = (
        member.get_by_role("region", name="Action points")
        .get_by_role("listitem")
        .filter(has_text="Meet to draft a communications strategy")
    )
    expect(row).to_contain_text("Done")
    row.get_by_role("link").click()
    expect(member.get_by_test_id("status")).to_have_text("Done")
    expect(member.get_by_text("Strategy meeting held")).to_be_visible()
    expect(member.get_by_text("Open → Done")).to_be_visible()


def test_on_a_phone_the_action_items_come_first_and_the_filters_on_request(
    browser, live_server, demo, watch_csp
):
    member = watch_csp(browser.new_context(viewport={"width": 390, "height": 844}).new_page())
    log_in(member, live_server, "member@example.org", "demo-member-87")
    member.get_by_role("link", name="All my action items").click()
    expect(
        member.get_by_role("link", name="Provide feedback on the Pathfinder Country Guidance Note")
    ).to_be_in_viewport()
    only_mine = member.get_by_label("Only mine")
    expect(only_mine).to_be_hidden()
    member.get_by_role("button", name="Filters (1 on)").click()
    expect(only_mine).to_be_visible()
    expect(only_mine).to_be_checked()
    expect(member.get_by_label("Group")).to_have_value("")
    expect(member.get_by_label("Group").locator("option:checked")).to_have_text("Any group")
