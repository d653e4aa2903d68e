"""A ministry official asks to join; the secretariat accepts, records the formal request, and
the country appears on the public page and its map."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_meeting_flows import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_submits_secretariat_accepts_and_the_country_goes_public(
    browser, live_server, demo, watch_csp, settings, delivered
):
    settings.PUBLIC_FORM_MIN_SECONDS = 1
    official = watch_csp(browser.new_context(viewport={"width": 390, "height": 844}).new_page())
    official.goto(live_server.url + "/")
    official.get_by_role("button", name="Menu").click()
    official.get_by_role("link", name="Become a pathfinder").click()
    official.get_by_label("Country").select_option(label="Kenya")
    official.get_by_label("Ministry or institution").fill(
        "Ministry of Employment and Labour Relations"
    )
    official.get_by_label("Contact person").fill("Ama Mensah")
    official.get_by_label("Title or position").fill("Director of Labour")
    official.get_by_label("Email").fill("ama@example.go.ke")
    official.get_by_label("Child labour").check()
    official.get_by_label("Forced labour").check()
    official.get_by_label("Message").fill("Kenya wishes to become a pathfinder country.")
    official.get_by_label(re.compile("may contact me")).check()
    official.wait_for_timeout(1100)  # a person takes longer than a robot
    official.get_by_role("button", name="Send").click()
    expect(official.get_by_role("heading", name="Thank you")).to_be_visible()
    assert delivered()[0].to == ["ama@example.go.ke"]

    officer = watch_csp(browser.new_context().new_page())
    log_in(officer, live_server, "secretariat@example.org", "demo-secretariat-87")
    officer.get_by_role("link", name="Pipeline").click()
    officer.get_by_role("link", name="Submissions to triage").click()
    card = officer.get_by_role("article", name=re.compile("Kenya"))
    card.get_by_label("Decision").select_option(label="Accept")
    card.get_by_role("button", name="Record the decision").click()
    expect(officer.get_by_text("Kenya: Accepted.")).to_be_visible()

    officer.get_by_role("link", name="Open the country's page").click()
    expect(officer.get_by_text("ama@example.go.ke")).to_be_visible()  # who to write to
    officer.get_by_label("Move to stage").select_option(label="Formal request received")
    officer.get_by_label("On", exact=True).fill("2019-03-04")
    officer.get_by_label("Note").fill("Letter from the Minister")
    officer.get_by_label("Show on the public page").check()
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text("Kenya is now at “Formal request received”.")).to_be_visible()
    expect(officer.get_by_text("Letter from the Minister")).to_be_visible()
    expect(officer.get_by_text("4 March 2019")).to_be_visible()  # the request's date

    officer.get_by_role("link", name="Add a workshop").click()
    officer.get_by_label("Tentative period").fill("June 2019")
    officer.get_by_label("Place").fill("Nairobi")
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text("The workshop is saved.")).to_be_visible()
    expect(officer.get_by_text("June 2019, Nairobi")).to_be_visible()

    official.goto(live_server.url + "/pathfinder-countries/")
    stage = official.get_by_role("region", name=re.compile("Formal request received"))
    expect(stage).to_contain_text("Kenya")
    expect(official.locator('path[data-country="KE"]')).to_have_class("stage-formal_request")
    expect(official.get_by_text("Ama Mensah")).to_have_count(0)
