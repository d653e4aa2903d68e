"""A member's response to a consultation: working on comments, finished, or no comments; said
and taken back while the window is open, and read the same way by the member's page, the
dashboard, the secretariat's table and the reminders."""

import datetime
import itertools
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from coordination import consultations, selectors
from coordination.consultations import ConsultationError
from coordination.models import Consultation, NoCommentStatement
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
CLOSES = datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=GENEVA)
DURING = OPENS + datetime.timedelta(days=2)
AFTER = CLOSES + datetime.timedelta(days=1)


@pytest.fixture
def consultation(gcg):
    version = factories.DocumentVersionFactory(
        document__owner_group=gcg, document__title="Guidance Note", text="One.\n\nTwo."
    )
    return consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )


def comment(consultation, person, text="Please clarify."):
    return consultations.comment_submit(
        consultation=consultation, author=person, paragraph="1", text=text, at=DURING
    )


def page(client, consultation):
    return client.get(consultation.get_absolute_url()).content.decode()


def my_response(client, consultation):
    """The text of the member's “Your response” box."""
    html = page(client, consultation)
    start = html.index('data-testid="my-response">') + len('data-testid="my-response">')
    return " ".join(html[start : html.index("</p>", start)].split())


@time_machine.travel(DURING)
def test_a_member_who_commented_says_they_have_finished_and_can_undo_it(
    client, consultation, gcg_member
):
    person = gcg_member.person
    client.force_login(gcg_member)
    assert "I have no comments</button>" in page(client, consultation)
    comment(consultation, person)
    html = page(client, consultation)
    assert "I have finished</button>" in html
    assert "I have no comments</button>" not in html
    assert my_response(client, consultation).startswith("You have made 1 comment so far.")

    response = client.post(reverse("no_comments", args=[consultation.pk]), follow=True)
    assert "the Secretariat sees that you have finished" in response.content.decode()
    assert my_response(client, consultation) == "You have finished, with 1 comment."
    assert "Undo</button>" in page(client, consultation)

    response = client.post(reverse("no_comments_withdraw", args=[consultation.pk]), follow=True)
    assert "you are still working on your comments" in response.content.decode()
    assert my_response(client, consultation).startswith("You have made 1 comment so far.")
    assert not NoCommentStatement.objects.exists()
    history = NoCommentStatement.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", gcg_member),
        ("-", gcg_member),
    ]


@time_machine.travel(DURING)
def test_a_member_without_comments_says_so_and_can_undo_it(client, consultation, gcg_member):
    client.force_login(gcg_member)
    response = client.post(reverse("no_comments", args=[consultation.pk]), follow=True)
    assert "the Secretariat sees that you have no comments" in response.content.decode()
    assert my_response(client, consultation) == "You said that you have no comments."
    client.post(reverse("no_comments_withdraw", args=[consultation.pk]))
    assert "I have no comments</button>" in page(client, consultation)


def test_a_new_comment_takes_back_the_word_that_one_had_finished(consultation, gcg_member):
    person = gcg_member.person
    comment(consultation, person)
    consultations.no_comments_state(consultation=consultation, person=person, at=DURING)
    comment(consultation, person, text="One more thing.")
    (row,) = consultations.responses(consultation)
    assert (row["response"].state, row["response"].comments) == ("working", 2)


def test_after_the_close_the_word_can_be_neither_given_nor_taken_back(
    client, consultation, gcg_member
):
    person = gcg_member.person
    consultations.no_comments_state(consultation=consultation, person=person, at=DURING)
    with pytest.raises(ConsultationError, match="closed"):
        consultations.no_comments_withdraw(consultation=consultation, person=person, at=AFTER)
    client.force_login(gcg_member)
    with time_machine.travel(AFTER):
        response = client.post(reverse("no_comments_withdraw", args=[consultation.pk]))
        html = client.get(response["Location"]).content.decode()
    assert "comments are no longer accepted" in html
    assert "Undo</button>" not in html
    assert NoCommentStatement.objects.filter(person=person).exists()


def test_the_secretariat_tells_finished_from_still_working(client, consultation, gcg, secretariat):
    def member(name):
        return factories.MembershipFactory(group=gcg, person__full_name=name).person

    silent, working, finished, none = (member(n) for n in ("Silent", "Working", "Done", "None"))
    for person in (working, finished):
        comment(consultation, person)
        comment(consultation, person, text="Second.")
    consultations.no_comments_state(consultation=consultation, person=finished, at=DURING)
    consultations.no_comments_state(consultation=consultation, person=none, at=DURING)

    client.force_login(secretariat)
    with time_machine.travel(DURING):
        html = client.get(reverse("consultation_manage", args=[consultation.pk])).content.decode()
    rows = {
        name: html.split(f"<td>{name}</td>", 1)[1].split("</tr>", 1)[0]
        for name in ("Silent", "Working", "Done", "None")
    }
    assert "<strong>Not yet</strong>" in rows["Silent"]
    assert "Working (2 comments)" in rows["Working"]
    assert "Finished (2 comments)" in rows["Done"]
    assert "No comments" in rows["None"]
    assert "1 of 4 members has not responded yet." in html
    assert "1 has commented but not yet said they have finished." in html


def test_the_dashboard_shows_my_response_to_each_open_consultation(
    client, consultation, gcg_member
):
    client.force_login(gcg_member)

    def card():
        with time_machine.travel(DURING):
            html = client.get(reverse("dashboard")).content.decode()
        start = html.index('data-testid="my-response">') + len('data-testid="my-response">')
        return " ".join(html[start : html.index("</div>", start)].split())

    assert card() == "<strong>You have not responded yet.</strong>"
    comment(consultation, gcg_member.person)
    assert card() == "You have commented (1 comment); say when you have finished."
    consultations.no_comments_state(consultation=consultation, person=gcg_member.person, at=DURING)
    assert "You have finished, with 1 comment." in card()


def test_the_secretariat_is_not_asked_for_a_response_on_the_dashboard(
    client, consultation, gcg, secretariat
):
    """Not even when it sits in the audience's group, as the secretariat."""
    factories.MembershipFactory(person__user=secretariat, group=gcg, role="secretariat")
    client.force_login(secretariat)
    with time_machine.travel(DURING):
        html = client.get(reverse("dashboard")).content.decode()
    assert "Guidance Note" in html
    assert 'data-testid="my-response"' not in html


def test_every_form_of_the_response_rule_agrees(consultation, gcg):
    """The reminders' batch (consultation_responders), their one-person form (has_responded),
    and the states shown on the pages, for every combination of comments and the word."""
    people = []
    for commented, withdrawn, stated in itertools.product((0, 1, 2), (False, True), (False, True)):
        person = factories.MembershipFactory(group=gcg).person
        made = [comment(consultation, person) for _ in range(commented)]
        if withdrawn and made:
            consultations.comment_withdraw(comment=made[0], author=person, at=DURING)
        if stated:
            consultations.no_comments_state(consultation=consultation, person=person, at=DURING)
        people.append(person)
    batch = selectors.consultation_responders([consultation.pk])
    shown = {row["person"]: row["response"] for row in consultations.responses(consultation)}
    for person in people:
        one = selectors.has_responded(person, consultation)
        assert one == ((consultation.pk, person.pk) in batch) == shown[person].has_responded
        user = factories.UserFactory()
        person.user = user
        person.save(update_fields=["user"])
        listed = selectors.with_response_of(Consultation.objects.all(), user).get()
        assert selectors.response_of(listed) == shown[person]  # the dashboard's form
    states = {response.state for response in shown.values()}
    assert states == {"not_yet", "working", "finished", "no_comments"}
    for state in states:  # the secretariat's list of one state's members, and its counts
        listed = selectors.respondents_with_responses(consultation, state)
        assert {m.person for m in listed} == {p for p in people if shown[p].state == state}
        assert selectors.response_counts(consultation)[state] == listed.count()
