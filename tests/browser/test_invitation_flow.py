"""Flow 4: the secretariat invites a new person into the Global Coordinating Group from the
site; the person follows the link in the email, chooses a password and lands on a dashboard
that shows their group and what it asks of them; the people list in the admin says they
accepted."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.flow
def test_a_new_person_is_invited_into_a_group_and_lands_on_a_dashboard_showing_it(
    walk, demo, delivered, settings, live_server
):
    settings.SITE_URL = live_server.url  # the links in the emails lead to this server
    flow = walk("4-invitation")
    officer = flow.person()
    flow.log_in(
        officer,
        "secretariat@example.org",
        "demo-secretariat-87",
        name="Example secretariat officer",
    )
    officer.get_by_role("link", name="Invite a person").click()
    expect(officer.get_by_role("heading", name="Invite a person")).to_be_visible()
    flow.step(officer, "invite a person")
    officer.get_by_label("Full name").fill("Ana Pérez")
    officer.get_by_label("Email").fill("ana@example.org")
    officer.get_by_label("Organisation").select_option(
        label="International Labour Organization (ILO)"
    )
    officer.get_by_label("Global Coordinating Group").select_option(label="Member")
    officer.get_by_role("button", name="Save and send invitation").click()
    expect(officer.get_by_text("it goes out within a minute")).to_be_visible()
    expect(officer.get_by_test_id("invitation")).to_contain_text("Invited on")
    expect(officer.get_by_text("Global Coordinating Group · Member")).to_be_visible()
    flow.step(officer, "invitation recorded")

    mail = delivered()[0]  # as the worker sends it
    assert mail.to == ["ana@example.org"]
    guest = flow.person(width=390, height=844)
    flow.enter(guest, re.search(r"https?://\S+", mail.body).group(0), step="the email's link")
    expect(guest.get_by_role("heading", name="Welcome: choose your password")).to_be_visible()
    expect(guest.get_by_text("You will log in with your email address")).to_contain_text(
        "ana@example.org"
    )
    guest.get_by_label(re.compile(r"New password\W*$")).fill("my own passphrase 87")
    guest.get_by_label("New password confirmation").fill("my own passphrase 87")
    guest.get_by_role("button", name="Set password and continue").click()
    expect(guest.get_by_role("heading", name="Welcome, Ana Pérez")).to_be_visible()
    groups = guest.get_by_role("region", name="My groups", exact=True)
    expect(groups).to_contain_text("Global Coordinating Group")
    expect(groups).to_contain_text("Member")
    expect(
        guest.get_by_role("region", name="My open action items").get_by_role(
            "link", name="Provide feedback on the Pathfinder Country Guidance Note"
        )
    ).to_be_visible()
    expect(guest.get_by_role("region", name="Open for comment")).to_contain_text(
        "You have not responded yet."
    )
    flow.step(guest, "dashboard")
    groups.get_by_role("link", name="Global Coordinating Group").click()
    expect(guest.get_by_role("link", name="3rd GCG meeting")).to_be_visible()
    flow.step(guest, "the group's meetings")

    officer.get_by_role("link", name="People in the admin").click()
    row = officer.get_by_role("row").filter(has_text="Ana Pérez")
    expect(row.get_by_role("cell").filter(has_text="Accepted")).to_be_visible()
    flow.step(officer, "people in the admin")
