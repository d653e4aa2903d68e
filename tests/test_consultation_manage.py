"""The secretariat's page of responses and dispositions: a refused disposition loses nothing,
and the dispositions reach members only once the window has closed and each comment has one."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from coordination import consultations
from coordination.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

OPENS = datetime.datetime(2018, 12, 1, 9, 0, tzinfo=datetime.UTC)
CLOSES = OPENS + datetime.timedelta(days=14)


@pytest.fixture
def commented(gcg):
    version = factories.DocumentVersionFactory(
        document__owner_group=gcg, text="Scope of the group.\n\nMembership and roles."
    )
    consultation = consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )
    author = factories.MembershipFactory(group=gcg, person__full_name="Ana").person
    comment = consultations.comment_submit(
        consultation=consultation,
        author=author,
        paragraph="2",
        text="Name the observers.",
        at=OPENS + datetime.timedelta(days=1),
    )
    return consultation, comment


def manage(client, consultation):
    return client.get(reverse("consultation_manage", args=[consultation.pk])).content.decode()


def test_a_refused_disposition_keeps_what_was_typed_next_to_its_field(
    client, secretariat, commented
):
    consultation, comment = commented
    client.force_login(secretariat)
    with time_machine.travel(CLOSES + datetime.timedelta(days=1)):
        response = client.post(
            reverse("comment_dispose", args=[consultation.pk, comment.pk]),
            {
                f"c{comment.pk}-disposition": "accepted",
                f"c{comment.pk}-reply": "Observers are now listed in the annex.",
                f"c{comment.pk}-answered_in_paragraph": "4",
            },
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no next version yet to point to; publish it first." in page
    assert f'id="error_1_id_c{comment.pk}-answered_in_paragraph"' in page  # at its field
    assert "Observers are now listed in the annex.</textarea>" in page
    assert 'value="4"' in page and 'value="accepted" selected' in page
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_the_page_shows_the_paragraph_each_comment_is_about(client, secretariat, commented):
    consultation, _comment = commented
    client.force_login(secretariat)
    assert "Membership and roles.</blockquote>" in manage(client, consultation)


def test_dispositions_are_published_only_after_the_close_and_when_all_are_answered(
    client, secretariat, commented
):
    consultation, comment = commented
    client.force_login(secretariat)
    publish = reverse("dispositions_publish", args=[consultation.pk])
    with time_machine.travel(OPENS + datetime.timedelta(days=2)):
        assert "close it first" in manage(client, consultation)
        page = client.post(publish, {"published": "1"}, follow=True).content.decode()
        assert "The consultation is still open" in page
    consultation.refresh_from_db()
    assert not consultation.dispositions_published

    with time_machine.travel(CLOSES + datetime.timedelta(days=1)):
        page = client.post(publish, {"published": "1"}, follow=True).content.decode()
        assert "1 comment has no disposition yet." in page
        consultations.comment_dispose(
            comment=comment, disposition="noted", reply="", answered_in_paragraph="", by=secretariat
        )
        page = client.post(publish, {"published": "1"}, follow=True).content.decode()
        assert "Members now see the dispositions." in page
    consultation.refresh_from_db()
    assert consultation.dispositions_published


def test_the_admin_action_keeps_the_same_rule(client, secretariat, commented):
    consultation, _comment = commented
    client.force_login(secretariat)
    with time_machine.travel(CLOSES + datetime.timedelta(days=1)):
        page = client.post(
            reverse("admin:coordination_consultation_changelist"),
            {"action": "publish_dispositions", "_selected_action": [consultation.pk]},
            follow=True,
        ).content.decode()
    assert "1 comment has no disposition yet." in page
    consultation.refresh_from_db()
    assert not consultation.dispositions_published
    assert Comment.objects.get().disposition == ""


def test_the_secretariat_closes_the_window_from_the_site_after_a_confirmation(
    client, secretariat, gcg_member, commented
):
    consultation, _comment = commented
    during = OPENS + datetime.timedelta(days=3)
    client.force_login(gcg_member)
    with time_machine.travel(during):
        assert client.post(reverse("consultation_close", args=[consultation.pk])).status_code == 403
    client.force_login(secretariat)
    with time_machine.travel(during):
        page = manage(client, consultation)
        assert reverse("consultation_close", args=[consultation.pk]) in page
        confirm = client.get(reverse("consultation_close", args=[consultation.pk]))
        assert "Yes, close it now" in confirm.content.decode()
        consultation.refresh_from_db()
        assert consultation.closes_at == CLOSES  # a GET changes nothing
        page = client.post(
            reverse("consultation_close", args=[consultation.pk]), follow=True
        ).content.decode()
    assert "The consultation is closed." in page
    assert "Close the consultation now" not in page
    consultation.refresh_from_db()
    assert consultation.closes_at < CLOSES
    assert consultation.history.filter(history_user=secretariat, closes_at__lt=CLOSES).exists()
