"""Flow 3: a ministry official asks, on a phone, to become a pathfinder; the secretariat
accepts the request, records the formal request and a national workshop from the country's
page and makes the country public; the official finds it on the public map and its entry."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.flow
def test_interest_becomes_a_public_country_with_a_workshop(walk, demo, settings, delivered):
    settings.PUBLIC_FORM_MIN_SECONDS = 1
    flow = walk("3-pathfinder-interest")
    official = flow.person(width=390, height=844)
    flow.enter(official)
    official.get_by_role("button", name="Menu").click()
    official.get_by_role("link", name="Become a pathfinder").click()
    expect(official.get_by_role("heading", level=1)).to_contain_text("pathfinder")
    flow.step(official, "the interest form")
    official.get_by_label("Country").select_option(label="Kenya")
    official.get_by_label("Ministry or institution").fill(
        "Ministry of Employment and Labour Relations"
    )
    official.get_by_label("Contact person").fill("Ama Mensah")
    official.get_by_label("Title or position").fill("Director of Labour")
    official.get_by_label("Email").fill("ama@example.go.ke")
    official.get_by_label("Phone").fill("+254 20 2729800")
    official.get_by_label("Child labour").check()
    official.get_by_label("Forced labour").check()
    official.get_by_label("Message").fill("Kenya wishes to become a pathfinder country.")
    official.get_by_label(re.compile("may contact me")).check()
    official.wait_for_timeout(1100)  # a person takes longer than a robot
    official.get_by_role("button", name="Send").click()
    expect(official.get_by_role("heading", name="Thank you")).to_be_visible()
    flow.step(official, "thank you")
    assert delivered()[0].to == ["ama@example.go.ke"]

    officer = flow.person()
    flow.log_in(
        officer,
        "secretariat@example.org",
        "demo-secretariat-87",
        name="Example secretariat officer",
    )
    officer.get_by_role("link", name="Pipeline").click()
    expect(officer.get_by_role("heading", name="Pathfinder pipeline")).to_be_visible()
    flow.step(officer, "the pipeline")
    officer.get_by_role("link", name="Submissions to triage 3 wait").click()
    expect(officer.get_by_text("3 submissions wait for a decision.")).to_be_visible()
    card = officer.get_by_role("article", name=re.compile("Kenya"))
    expect(card).to_contain_text("Ama Mensah, Director of Labour")
    decision = card.get_by_label("Decision")
    expect(decision.locator("option:checked")).to_have_text("Choose…")  # nothing preset
    flow.step(officer, "submissions to triage")
    decision.select_option(label="Accept")
    card.get_by_role("button", name="Record the decision").click()
    expect(officer.get_by_text("Kenya: Accepted.")).to_be_visible()
    expect(officer.get_by_text("2 submissions wait for a decision.")).to_be_visible()
    flow.step(officer, "accepted")

    officer.get_by_role("link", name="Open the country's page").click()
    expect(officer.get_by_role("heading", name="Kenya", exact=True)).to_be_visible()
    expect(officer.get_by_text("ama@example.go.ke")).to_be_visible()  # who to write to
    expect(officer.get_by_text("+254 20 2729800")).to_be_visible()
    expect(officer.get_by_text("not public", exact=True)).to_be_visible()
    flow.step(officer, "the country's page")
    officer.get_by_label("Move to stage").select_option(label="Formal request received")
    officer.get_by_label("On", exact=True).fill("2019-03-04")
    officer.get_by_label("Note").fill("Letter from the Minister")
    officer.get_by_label("Show on the public page").check()
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text("Kenya is now at “Formal request received”.")).to_be_visible()
    expect(officer.get_by_text("Shown on the public page.")).to_be_visible()
    expect(officer.get_by_text("Letter from the Minister")).to_be_visible()
    expect(officer.get_by_text("4 March 2019")).to_be_visible()  # the request's date
    flow.step(officer, "formal request recorded")

    officer.get_by_role("link", name="Add a workshop").click()
    expect(officer.get_by_role("heading", name="Add a national workshop")).to_be_visible()
    flow.step(officer, "add a workshop")
    officer.get_by_label("Tentative period").fill("June 2019")
    officer.get_by_label("Place").fill("Nairobi")
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text("The workshop is saved.")).to_be_visible()
    workshops = officer.get_by_role("heading", name="National workshops")
    expect(workshops).to_be_visible()
    expect(officer.get_by_text("June 2019, Nairobi")).to_be_visible()
    flow.step(officer, "workshop saved")

    official.get_by_role("button", name="Menu").click()
    official.get_by_role("link", name="Pathfinder countries", exact=True).click()
    stage = official.get_by_role("region", name=re.compile("Formal request received"))
    expect(stage).to_contain_text("Kenya")
    kenya = official.locator('use[href$=".svg#KE"]')  # its shape in the static map file
    expect(kenya).to_have_class(re.compile("stage-formal_request"))
    expect(kenya).to_be_visible()  # drawn: the file's shape was found and allowed by the CSP
    flow.step(official, "the public map")
    stage.get_by_role("link", name="Kenya").click()
    expect(official.get_by_test_id("stage")).to_contain_text("Formal request received")
    expect(official.get_by_text("Ama Mensah")).to_have_count(0)  # nothing personal in public
    flow.step(official, "Kenya's public entry")
