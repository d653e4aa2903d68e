"""The consultation cycle in Chromium, clicked through as people do it.

Flow 1: a member, on a phone, comments on paragraph 3 of the revised Guidance Note, edits the
comment and says they have finished; their dashboard says so. Flow 2: once the window has
closed, the secretariat reads the responses, disposes of each comment (a refused disposition
keeps what was typed, with the error at its field), publishes the dispositions and downloads
the matrix; the member reads the reply. And a comment sent after the close is refused with its
text kept on the page.
"""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from coordination import consultations
from coordination.models import Consultation, Membership, Person
from tests.browser.test_meeting_flows import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = ("member@example.org", "demo-member-87")
SECRETARIAT = ("secretariat@example.org", "demo-secretariat-87")
NOTE = "Pathfinder Country Guidance Note"


@pytest.mark.flow
def test_member_comments_on_a_phone_and_says_they_have_finished(walk, demo):
    flow = walk("1-member-comments")
    member = flow.person(width=390, height=844)
    flow.log_in(member, *MEMBER, name="Example member")
    open_now = member.get_by_role("region", name="Open for comment")
    expect(open_now).to_contain_text("You have not responded yet.")

    open_now.get_by_role("link", name=NOTE).click()
    expect(member.get_by_test_id("window")).to_contain_text("Open for comments")
    expect(member.get_by_role("region", name="Your response")).to_contain_text(
        "or tell the Secretariat that you have no comments"
    )
    flow.step(member, "consultation")

    paragraph = member.get_by_role("region", name="Paragraph 3", exact=True)
    paragraph.get_by_text("Comment on paragraph 3", exact=True).click()  # a tap: no hover needed
    paragraph.get_by_label("Your comment on paragraph 3").fill("Name the ministry in charge.")
    paragraph.get_by_role("button", name="Submit comment").click()
    expect(member.get_by_text("Your comment is saved.")).to_be_visible()
    paragraph = member.get_by_role("region", name="Paragraph 3", exact=True)
    expect(paragraph).to_contain_text("Name the ministry in charge.")
    flow.step(member, "comment saved")

    paragraph.get_by_role("link", name="Edit my comment").click()
    expect(member.get_by_label("Your comment")).to_have_value("Name the ministry in charge.")
    flow.step(member, "edit the comment")
    member.get_by_label("Your comment").fill("Name the ministry in charge, and its focal point.")
    member.get_by_role("button", name="Save my comment").click()
    paragraph = member.get_by_role("region", name="Paragraph 3", exact=True)
    expect(paragraph).to_contain_text("Name the ministry in charge, and its focal point.")
    expect(paragraph).to_contain_text("edited")
    response = member.get_by_role("region", name="Your response")
    expect(response).to_contain_text("You have made 1 comment so far.")
    flow.step(member, "comment edited")

    response.get_by_role("button", name="I have finished").click()
    expect(member.get_by_text("the Secretariat sees that you have finished")).to_be_visible()
    response = member.get_by_role("region", name="Your response")
    expect(response).to_contain_text("You have finished, with 1 comment.")
    expect(response.get_by_role("button", name="Undo")).to_be_visible()
    flow.step(member, "finished")

    member.get_by_role("button", name="Menu").click()
    member.get_by_role("link", name="Dashboard").click()
    expect(member.get_by_role("region", name="Open for comment")).to_contain_text(
        "You have finished, with 1 comment."
    )
    flow.step(member, "dashboard says finished")


@pytest.fixture
def closed_with_two_comments(demo):
    """The Guidance Note's window has closed: Example member commented on paragraph 3 and said she
    had finished; another member commented on the whole text."""
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - datetime.timedelta(days=15), closes_at=now - datetime.timedelta(days=1)
    )
    consultation.refresh_from_db()
    commented_at = now - datetime.timedelta(days=5)
    maria = Person.objects.get(user=demo["member"])
    other = (
        Person.objects.filter(memberships__group=consultation.audience)
        .exclude(pk=maria.pk)
        .order_by("pk")
        .first()
    )
    assert Membership.objects.filter(person=other, group=consultation.audience).exists()
    for author, paragraph, text in [
        (maria, "3", "Name the ministry in charge."),
        (other, "", "Add a timeline for the national workshop."),
    ]:
        consultations.comment_submit(
            consultation=consultation,
            author=author,
            paragraph=paragraph,
            text=text,
            at=commented_at,
        )
    consultations.no_comments_state(consultation=consultation, person=maria, at=commented_at)
    return {"consultation": consultation, "other": other}


@pytest.mark.flow
def test_secretariat_disposes_publishes_and_exports(walk, closed_with_two_comments, tmp_path):
    other = closed_with_two_comments["other"].full_name
    flow = walk("2-secretariat-disposes")
    officer = flow.person(accept_downloads=True)
    flow.log_in(officer, *SECRETARIAT, name="Example secretariat officer")

    officer.get_by_role("link", name="Documents", exact=True).click()
    expect(officer.get_by_role("heading", name="Documents")).to_be_visible()
    flow.step(officer, "documents")
    officer.get_by_role("link", name=NOTE).click()
    version = officer.get_by_role("listitem").filter(has_text="Version 2")
    expect(version).to_contain_text("Consultation of the GCG – closed on")
    flow.step(officer, "the document")
    version.get_by_role("link", name="Consultation of the GCG").click()
    expect(officer.get_by_test_id("window")).to_contain_text("Comments are no longer accepted.")
    flow.step(officer, "the consultation")

    officer.get_by_role("link", name="Responses, dispositions and the comment matrix").click()
    responses = officer.get_by_role("region", name="Responses", exact=True)
    member_row = responses.get_by_role("row").filter(
        has=officer.get_by_role("cell", name="Example member", exact=True)
    )
    expect(member_row).to_contain_text("Finished (1 comment)")
    expect(officer.get_by_text("2 comments have no disposition yet.")).to_be_visible()
    publish = officer.get_by_role("button", name="Publish the dispositions to members")
    expect(publish).to_have_count(0)
    flow.step(officer, "responses and dispositions")

    # A paragraph of a next version that does not exist yet: refused, nothing typed is lost.
    card = officer.get_by_role("article", name="Paragraph 3, comment by Example member")
    expect(card).to_contain_text("Name the ministry in charge.")
    card.get_by_label("Disposition").select_option(label="Accepted")
    card.get_by_label("Reply").fill("The focal point is named in paragraph 3.")
    card.get_by_label("Answered in paragraph").fill("3")
    card.get_by_role("button", name="Save disposition").click()
    card = officer.get_by_role("article", name="Paragraph 3, comment by Example member")
    paragraph = card.get_by_label("Answered in paragraph")
    expect(paragraph).to_have_accessible_description(re.compile("There is no next version yet"))
    expect(paragraph).to_be_in_viewport()
    expect(paragraph).to_have_value("3")
    expect(card.get_by_label("Reply")).to_have_value("The focal point is named in paragraph 3.")
    expect(card.get_by_label("Disposition").locator("option:checked")).to_have_text("Accepted")
    flow.step(officer, "disposition refused, input kept")

    paragraph.fill("")
    card.get_by_role("button", name="Save disposition").click()
    expect(officer.get_by_text("Disposition saved.")).to_be_visible()
    expect(officer.get_by_text("1 comment has no disposition yet.")).to_be_visible()
    flow.step(officer, "first disposition saved")

    card = officer.get_by_role("article", name=f"Whole text, comment by {other}")
    card.get_by_label("Disposition").select_option(label="Noted")
    card.get_by_role("button", name="Save disposition").click()
    expect(officer.get_by_text("Disposition saved.")).to_be_visible()
    expect(publish).to_be_visible()
    flow.step(officer, "every comment disposed")

    publish.click()
    expect(officer.get_by_text("Members now see the dispositions.")).to_be_visible()
    expect(officer.get_by_role("button", name="Hide the dispositions from members")).to_be_visible()
    flow.step(officer, "published")

    with officer.expect_download() as download:
        officer.get_by_role("link", name="Download the comment matrix (Excel)").click()
    path = tmp_path / "matrix.xlsx"
    download.value.save_as(path)
    rows = {row[2]: row for row in load_workbook(path).active.iter_rows(values_only=True)}
    assert rows["Example member"][0] == "3"
    assert rows["Example member"][5:8] == (
        "Name the ministry in charge.",
        "Accepted",
        "The focal point is named in paragraph 3.",
    )
    assert rows[other][6] == "Noted"

    member = flow.person(width=390, height=844)
    flow.log_in(member, *MEMBER, name="Example member")
    latest = member.get_by_role("region", name="Latest documents of my groups")
    latest.get_by_role("listitem").filter(has_text="Version 2").get_by_role(
        "link", name=NOTE
    ).click()
    flow.step(member, "the version")
    member.get_by_role("link", name="Comments from the Global Coordinating Group").click()
    expect(member.get_by_role("region", name="Paragraph 3", exact=True)).to_contain_text(
        "The focal point is named in paragraph 3."
    )
    flow.step(member, "the member reads the reply")


def test_a_comment_sent_after_the_close_is_refused_and_its_text_stays(
    browser, live_server, demo, watch_csp
):
    consultation = Consultation.objects.get(version__document__kind="guidance_note")
    member = watch_csp(browser.new_context(viewport={"width": 390, "height": 844}).new_page())
    log_in(member, live_server, *MEMBER)
    member.get_by_role("region", name="Open for comment").get_by_role("link", name=NOTE).click()

    paragraph = member.get_by_role("region", name="Paragraph 5", exact=True)
    paragraph.get_by_text("Comment on paragraph 5", exact=True).click()
    late = "Resident Coordinators should be engaged before the workshop."
    paragraph.get_by_label("Your comment on paragraph 5").fill(late)
    Consultation.objects.filter(pk=consultation.pk).update(  # meanwhile, the window closes
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    paragraph.get_by_role("button", name="Submit comment").click()
    paragraph = member.get_by_role("region", name="Paragraph 5", exact=True)
    expect(paragraph.get_by_role("alert")).to_contain_text(
        re.compile("comments are no longer accepted")
    )
    expect(paragraph.get_by_label("Your comment on paragraph 5")).to_have_value(late)
    assert consultation.comments.filter(paragraph="5").count() == 0
