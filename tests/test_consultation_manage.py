"""The secretariat's page of responses and dispositions: a refused disposition loses nothing,
and the dispositions reach members only once the window has closed and each comment has one."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from coordination import consultations
from coordination.models import Comment, paragraph_sort_key
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
    error = f"c{comment.pk}-answered_in_paragraph-error"  # at its field, which names it
    assert f'id="{error}"' in page and f'aria-describedby="{error}"' in page
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


# --- at volume: a page of comments at a time, filtered, and a page of members --------------


@pytest.fixture
def busy(gcg):
    """Twelve paragraphs, 60 comments from 30 members (five a paragraph, written from the last
    paragraph to the first), the first comment on each paragraph disposed; the window closed."""
    version = factories.DocumentVersionFactory(
        document__owner_group=gcg, text="\n\n".join(f"Point {n}." for n in range(1, 13))
    )
    consultation = consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )
    people = [
        factories.MembershipFactory(group=gcg, person__full_name=f"Member {n:02d}").person
        for n in range(30)
    ]
    at = OPENS + datetime.timedelta(hours=1)
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            author=people[(n * 7) % 30],
            paragraph=str(12 - n // 5),
            paragraph_key=paragraph_sort_key(str(12 - n // 5)),
            text=f"Remark {n}.",
            created_at=at + datetime.timedelta(minutes=n),
            updated_at=at + datetime.timedelta(minutes=n),
            disposition="noted" if n % 5 == 0 else "",
        )
        for n in range(60)
    )
    return consultation


def remarks_on(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="comment-text mb-2">Remark (\d+)\.<', page)]


def test_the_comments_come_25_at_a_time_in_paragraph_order(client, secretariat, busy):
    client.force_login(secretariat)
    first = manage(client, busy)
    assert remarks_on(first) == [55, 56, 57, 58, 59, 50, 51, 52, 53, 54] + list(range(45, 50)) + [
        40,
        41,
        42,
        43,
        44,
        35,
        36,
        37,
        38,
        39,  # paragraphs 1, 2, 3... (2 before 10)
    ]
    assert "60 comments · 1–25 shown" in first and "Page 1 of 3" in first
    third = client.get(reverse("consultation_manage", args=[busy.pk]), {"page": 3})
    assert remarks_on(third.content.decode()) == [5, 6, 7, 8, 9, 0, 1, 2, 3, 4]


def test_the_secretariat_filters_by_paragraph_and_disposition_and_puts_the_undisposed_first(
    client, secretariat, busy
):
    client.force_login(secretariat)
    url = reverse("consultation_manage", args=[busy.pk])

    def shown(**filters):
        return remarks_on(client.get(url, filters).content.decode())

    assert shown(paragraph="2") == [50, 51, 52, 53, 54]
    assert shown(paragraph="whole") == []
    assert shown(disposition="none", paragraph="2") == [51, 52, 53, 54]
    assert shown(disposition="noted")[:3] == [55, 50, 45]
    assert len(shown(disposition="accepted")) == 0
    undisposed_first = shown(order="undisposed")
    assert 55 not in undisposed_first  # 48 undisposed fill the first pages
    assert client.get(url, {"order": "undisposed", "page": 2}).status_code == 200
    assert shown(order="undisposed", page="3")[-2:] == [5, 0]  # ...then the disposed


def test_a_disposition_saved_from_a_filtered_page_returns_to_it(client, secretariat, busy):
    comment = Comment.objects.get(text="Remark 53.")
    client.force_login(secretariat)
    with time_machine.travel(CLOSES + datetime.timedelta(days=1)):
        response = client.post(
            reverse("comment_dispose", args=[busy.pk, comment.pk])
            + "?paragraph=2&disposition=none&junk=1",
            {f"c{comment.pk}-disposition": "accepted", f"c{comment.pk}-reply": "Done."},
        )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("consultation_manage", args=[busy.pk])
        + f"?paragraph=2&disposition=none#disposition-{comment.pk}"
    )
    comment.refresh_from_db()
    assert comment.disposition == "accepted"


def test_a_refused_disposition_is_shown_with_its_page_or_first_if_the_page_moved_on(
    client, secretariat, busy
):
    comment = Comment.objects.get(text="Remark 7.")  # on the third page
    client.force_login(secretariat)
    dispose = reverse("comment_dispose", args=[busy.pk, comment.pk])
    typed = {f"c{comment.pk}-disposition": "", f"c{comment.pk}-reply": "Half a reply"}
    with time_machine.travel(CLOSES + datetime.timedelta(days=1)):
        on_its_page = client.post(dispose + "?page=3", typed)
        elsewhere = client.post(dispose + "?paragraph=2", typed)
    for response in (on_its_page, elsewhere):
        assert response.status_code == 400
        page = response.content.decode()
        assert f'aria-describedby="c{comment.pk}-disposition-error"' in page
        assert "Half a reply</textarea>" in page
    assert remarks_on(on_its_page.content.decode())[:5] == [5, 6, 7, 8, 9]
    assert remarks_on(elsewhere.content.decode()) == [7, 50, 51, 52, 53, 54]


def test_the_members_come_25_at_a_time_and_by_response(client, secretariat, busy, gcg):
    quiet = factories.MembershipFactory(group=gcg, person__full_name="Aaron Quiet").person
    consultations.no_comments_state(
        consultation=busy, person=quiet, at=OPENS + datetime.timedelta(hours=2)
    )
    for n in range(40):
        factories.MembershipFactory(group=gcg, person__full_name=f"Silent {n:02d}")
    client.force_login(secretariat)
    url = reverse("consultation_manage", args=[busy.pk])
    page = client.get(url).content.decode()
    assert "40 of 71 members have not responded yet." in page
    assert "Not yet (40)" in page and "Working (30)" in page and "No comments (1)" in page
    assert page.count('data-testid="response-state"') == 25 and "Page 1 of 3" in page
    silent = members_on(client.get(url, {"state": "not_yet", "responses_page": 2}))
    assert silent == [f"Silent {n}" for n in range(25, 40)]
    assert members_on(client.get(url, {"state": "no_comments"})) == ["Aaron Quiet"]


def members_on(response) -> list[str]:
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", response.content.decode())


def test_the_page_does_not_grow_with_the_comments_or_the_members(client, secretariat, busy, gcg):
    client.force_login(secretariat)
    before = len(manage(client, busy))
    people = [factories.MembershipFactory(group=gcg).person for _ in range(100)]
    Comment.objects.bulk_create(
        Comment(consultation=busy, author=people[n % 100], paragraph="12", text=f"More {n}.")
        for n in range(500)
    )
    assert len(manage(client, busy)) < before * 1.05
