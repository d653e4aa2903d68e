"""The consultation cycle in Chromium: a member comments on paragraph 3 of the revised
Guidance Note, edits it and says they have finished; the secretariat sees that, disposes of
the comment and downloads the matrix; after the window closes, a new comment is refused and
the member's text stays on the page; then the secretariat publishes the dispositions and the
member reads the reply."""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from coordination.models import Consultation
from tests.browser.test_meeting_flows import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_comments_secretariat_disposes_and_late_comments_are_refused(
    browser, live_server, demo, watch_csp, tmp_path
):
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    url = live_server.url + consultation.get_absolute_url()

    member = watch_csp(browser.new_context(viewport={"width": 390, "height": 844}).new_page())
    log_in(member, live_server, "member@example.org", "demo-member-87")
    member.goto(url)
    expect(member.get_by_test_id("window")).to_contain_text("Open for comments")

    paragraph = member.get_by_role("region", name="Paragraph 3", exact=True)
    paragraph.get_by_text("Comment on paragraph 3", exact=True).click()  # a tap: no hover needed
    paragraph.get_by_label("Your comment on paragraph 3").fill("Name the ministry in charge.")
    paragraph.get_by_role("button", name="Submit comment").click()
    expect(member.get_by_text("Your comment is saved.")).to_be_visible()
    paragraph = member.get_by_role("region", name="Paragraph 3", exact=True)
    expect(paragraph).to_contain_text("Name the ministry in charge.")

    paragraph.get_by_role("link", name="Edit my comment").click()
    member.get_by_label("Your comment").fill("Name the ministry in charge, and its focal point.")
    member.get_by_role("button", name="Save my comment").click()
    paragraph = member.get_by_role("region", name="Paragraph 3", exact=True)
    expect(paragraph).to_contain_text("Name the ministry in charge, and its focal point.")
    expect(paragraph).to_contain_text("edited")

    # The member says they have finished; the dashboard and the secretariat see it.
    response = member.get_by_role("region", name="Your response")
    expect(response).to_contain_text("You have made 1 comment so far.")
    response.get_by_role("button", name="I have finished").click()
    expect(member.get_by_text("the Secretariat sees that you have finished")).to_be_visible()
    response = member.get_by_role("region", name="Your response")
    expect(response).to_contain_text("You have finished, with 1 comment.")
    expect(response.get_by_role("button", name="Undo")).to_be_visible()
    member.get_by_role("link", name="Alliance 8.7").first.click()
    expect(member.get_by_role("region", name="Open for comment")).to_contain_text(
        "You have finished, with 1 comment."
    )
    member.go_back()

    officer = watch_csp(browser.new_context(accept_downloads=True).new_page())
    log_in(officer, live_server, "secretariat@example.org", "demo-secretariat-87")
    officer.goto(url)
    officer.get_by_role("link", name="Responses, dispositions and the comment matrix").click()
    responses = officer.get_by_role("region", name="Responses", exact=True)
    expect(responses.get_by_role("row").filter(has_text="Maria Lopez")).to_contain_text(
        "Finished (1 comment)"
    )
    card = officer.get_by_role("article", name="Paragraph 3, comment by Maria Lopez")
    card.get_by_label("Disposition").select_option(label="Accepted")
    card.get_by_label("Reply").fill("The focal point is named in paragraph 3.")
    card.get_by_role("button", name="Save disposition").click()
    expect(officer.get_by_text("Disposition saved.")).to_be_visible()
    expect(officer.get_by_text(re.compile("The consultation is still open"))).to_be_visible()
    expect(officer.get_by_role("button", name="Publish the dispositions to members")).to_have_count(
        0
    )
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Download the comment matrix (Excel)").click()
    path = tmp_path / "matrix.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    mine = [row for row in rows if row[2] == "Maria Lopez"]
    assert mine == [mine[0]]
    assert mine[0][0] == "3"
    assert mine[0][5] == "Name the ministry in charge, and its focal point."
    assert mine[0][6] == "Accepted"

    # The member starts another comment; meanwhile the window closes.
    paragraph = member.get_by_role("region", name="Paragraph 5", exact=True)
    paragraph.get_by_text("Comment on paragraph 5", exact=True).click()
    late = "Resident Coordinators should be engaged before the workshop."
    paragraph.get_by_label("Your comment on paragraph 5").fill(late)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    paragraph.get_by_role("button", name="Submit comment").click()
    paragraph = member.get_by_role("region", name="Paragraph 5", exact=True)
    expect(paragraph.get_by_role("alert")).to_contain_text(
        re.compile("comments are no longer accepted")
    )
    expect(paragraph.get_by_label("Your comment on paragraph 5")).to_have_value(late)
    assert consultation.comments.filter(paragraph="5").count() == 0

    # Closed, and every comment answered: the secretariat publishes, the member reads the reply.
    officer.reload()
    officer.get_by_role("button", name="Publish the dispositions to members").click()
    expect(officer.get_by_text("Members now see the dispositions.")).to_be_visible()
    member.reload()
    expect(member.get_by_role("region", name="Paragraph 3", exact=True)).to_contain_text(
        "The focal point is named in paragraph 3."
    )
