"""The Supply Chain Action Group's chair finds their group on the dashboard and brings its
work plan up to date from a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_meeting_flows import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_sees_the_group_and_updates_its_work_plan(browser, live_server, demo, watch_csp):
    page = watch_csp(browser.new_context(viewport={"width": 390, "height": 844}).new_page())
    log_in(page, live_server, "chair@example.org", "demo-chair-87")

    group = page.get_by_role("article", name="Supply Chain Action Group")
    expect(group.get_by_text("Consultation closed on 29 July 2018")).to_be_visible()
    expect(group.get_by_text("Child Labour in Global Supply Chains Project")).to_be_visible()
    group.get_by_role("link", name="Update the work plan").click()

    expect(page.get_by_role("heading", name=re.compile("Work plan of the"))).to_be_visible()
    page.get_by_label("Status of “Child Labour in Global Supply Chains Project”").select_option(
        label="Done"
    )
    page.get_by_role("button", name="Update Child Labour in Global Supply Chains Project").click()
    expect(page.get_by_text("is now marked “Done”")).to_be_visible()

    page.get_by_role("link", name="Add an activity").click()
    page.get_by_label("Title").fill("Regional workshop in Abidjan")
    page.get_by_label("Kind").select_option(label="Workshop or meeting")
    page.get_by_label("Starts on").fill("2019-05-14")
    page.get_by_label("Ends on").fill("2019-05-13")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The activity cannot end before it starts.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Regional workshop in Abidjan")
    page.get_by_label("Ends on").fill("2019-05-15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Regional workshop in Abidjan” is saved.")).to_be_visible()

    page.get_by_role("link", name="Supply Chain Action Group").click()  # the breadcrumb
    expect(page.get_by_text("Regional workshop in Abidjan")).to_be_visible()
    expect(page.get_by_text("Consultation closed on 29 July 2018")).to_be_visible()
