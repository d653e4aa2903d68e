"""The consultation page and its management page are kept rendered (coordination.caching): a
write from any door shows at once, each reader sees only their own page, each address and
language its own, the window's state follows the clock, and every form works."""

import datetime
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coordination import consultations
from coordination.models import Comment
from tests import factories
from tests.admin_pages import change_page_data

pytestmark = pytest.mark.django_db(transaction=True)

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime.datetime(2018, 12, 3, 10, 0, tzinfo=GENEVA)
TEXT = "Governments write to the Secretariat.\n\nResource mobilisation is key.\n"


@pytest.fixture(autouse=True)
def _fragments_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600


@pytest.fixture(autouse=True)
def _clock():
    """A fixed time of day, so that no test crosses midnight (the local date is in the key)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _open(gcg, *, comments_private=False, closes_at=None):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    return consultations.consultation_open(
        version=version,
        audience=gcg,
        opens_at=NOW - datetime.timedelta(days=1),
        closes_at=closes_at or NOW + datetime.timedelta(days=13),
        comments_private=comments_private,
    )


def _member(gcg, email):
    user = factories.UserFactory(email=email)
    factories.MembershipFactory(person__user=user, person__full_name=email, group=gcg)
    return user


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _manage(consultation, query=""):
    return reverse("consultation_manage", args=[consultation.pk]) + query


def _comment(consultation, user, text, paragraph="1"):
    return consultations.comment_submit(
        consultation=consultation, author=user.person, paragraph=paragraph, text=text
    )


def test_a_comment_sent_on_the_site_shows_at_once_to_others_and_to_the_secretariat(
    gcg, gcg_member, secretariat
):
    consultation = _open(gcg)
    colleague = _member(gcg, "colleague@example.org")
    reader, officer = _signed_in(gcg_member), _signed_in(secretariat)
    url = consultation.get_absolute_url()
    assert "A focal point per country." not in _page(reader, url)
    assert "A focal point per country." not in _page(officer, _manage(consultation))

    author = _signed_in(colleague)
    _page(author, url)
    key = re.search(r'name="submission_key" value="([^"]+)"', _page(author, url))[1]
    response = author.post(
        reverse("comment_create", args=[consultation.pk]),
        {"paragraph": "1", "text": "A focal point per country.", "submission_key": key},
    )
    assert response.status_code == 302

    assert "A focal point per country." in _page(reader, url)
    assert "A focal point per country." in _page(officer, _manage(consultation))
    own = _page(author, url)
    assert "A focal point per country." in own
    assert "comment-own" in own and "Withdraw" in own


def test_a_withdrawn_comment_leaves_the_page_at_once(gcg, gcg_member):
    consultation = _open(gcg)
    colleague = _member(gcg, "colleague@example.org")
    comment = _comment(consultation, colleague, "Out of scope, I think.")
    reader = _signed_in(gcg_member)
    assert "Out of scope, I think." in _page(reader, consultation.get_absolute_url())

    consultations.comment_withdraw(comment=comment, author=colleague.person)

    assert "Out of scope, I think." not in _page(reader, consultation.get_absolute_url())


def test_a_disposition_given_in_the_admin_shows_at_once_on_both_pages(gcg, gcg_member, secretariat):
    consultation = _open(gcg)
    comment = _comment(consultation, gcg_member, "Clarify.")
    officer = _signed_in(secretariat)
    assert "Done in version 2." not in _page(officer, _manage(consultation))
    assert "Done in version 2." not in _page(officer, consultation.get_absolute_url())

    url = reverse("admin:coordination_comment_change", args=[comment.pk])
    data = change_page_data(officer.get(url), disposition="accepted", reply="Done in version 2.")
    assert officer.post(url, data).status_code == 302

    assert "Done in version 2." in _page(officer, _manage(consultation))
    assert "Done in version 2." in _page(officer, consultation.get_absolute_url())


def test_dispositions_published_in_the_admin_show_to_members_at_once(
    gcg, gcg_member, secretariat, _clock
):
    consultation = _open(gcg, closes_at=NOW + datetime.timedelta(hours=1))
    comment = _comment(consultation, gcg_member, "Clarify.")
    consultations.comment_dispose(
        comment=comment, disposition="accepted", reply="Done in version 2.", by=secretariat
    )
    _clock.shift(datetime.timedelta(hours=2))
    reader, officer = _signed_in(gcg_member), _signed_in(secretariat)
    assert "Done in version 2." not in _page(reader, consultation.get_absolute_url())

    response = officer.post(
        reverse("admin:coordination_consultation_changelist"),
        {"action": "publish_dispositions", "_selected_action": [consultation.pk]},
    )
    assert response.status_code == 302

    assert "Done in version 2." in _page(reader, consultation.get_absolute_url())


def test_two_readers_never_see_each_others_page(gcg, gcg_member, secretariat):
    """Private comments: each member reads their own only, the secretariat all of them, and
    only the secretariat sees a disposition not yet published."""
    consultation = _open(gcg, comments_private=True)
    colleague = _member(gcg, "colleague@example.org")
    mine = _comment(consultation, gcg_member, "My own remark.")
    _comment(consultation, colleague, "The remark of a colleague.")
    consultations.comment_dispose(
        comment=mine, disposition="noted", reply="Noted with thanks.", by=secretariat
    )
    url = consultation.get_absolute_url()
    for path in (url, url + "?paragraph=1"):
        me, them, officer = (_signed_in(user) for user in (gcg_member, colleague, secretariat))
        for _ in range(2):  # rendered, then served from the cache
            page = _page(me, path)
            assert "My own remark." in page and "The remark of a colleague." not in page
            assert "Noted with thanks." not in page
            page = _page(them, path)
            assert "The remark of a colleague." in page and "My own remark." not in page
            page = _page(officer, path)
            assert "The remark of a colleague." in page and "My own remark." in page
            assert "Noted with thanks." in page


def test_the_member_sees_their_own_response_at_once(gcg, gcg_member):
    consultation = _open(gcg)
    reader = _signed_in(gcg_member)
    url = consultation.get_absolute_url()
    assert "I have no comments" in _page(reader, url)

    consultations.no_comments_state(consultation=consultation, person=gcg_member.person)

    page = _page(reader, url)
    assert "You said that you have no comments." in page and "Undo" in page


def test_each_page_of_comments_each_filter_and_a_new_language_shows_its_own(
    gcg, gcg_member, secretariat
):
    consultation = _open(gcg)
    for number in range(55):  # two pages of comments on paragraph 1
        _comment(consultation, gcg_member, f"Remark number {number:02}.")
    _comment(consultation, gcg_member, "On the second paragraph.", paragraph="2")
    reader, officer = _signed_in(gcg_member), _signed_in(secretariat)
    paragraph = consultation.get_absolute_url() + "?paragraph=1"

    first, second = _page(reader, paragraph), _page(reader, paragraph + "&page=2")
    assert "Remark number 00." in first and "Remark number 54." not in first
    assert "Remark number 54." in second and "Remark number 00." not in second

    one, two = (
        _page(officer, _manage(consultation, "?paragraph=1")),
        _page(officer, _manage(consultation, "?paragraph=2")),
    )
    assert "Remark number 00." in one and "On the second paragraph." not in one
    assert "On the second paragraph." in two and "Remark number 00." not in two

    url = consultation.get_absolute_url()
    assert "On the whole text" in _page(reader, url)
    gcg_member.language = "fr"  # as the preferences page saves it
    gcg_member.save(update_fields=["language"])
    french = _page(reader, url)
    assert "Sur le texte entier" in french and "On the whole text" not in french
    assert "On the whole text" in _page(officer, url)


def test_the_window_follows_the_clock_without_a_write(gcg, gcg_member, _clock):
    consultation = _open(gcg, closes_at=NOW + datetime.timedelta(minutes=30))
    _comment(consultation, gcg_member, "Clarify.")
    reader = _signed_in(gcg_member)
    url = consultation.get_absolute_url()
    page = _page(reader, url)
    assert "Submit comment" in page and "Withdraw" in page

    _clock.shift(datetime.timedelta(minutes=31))

    for path in (url, url + "?paragraph=1"):
        page = _page(reader, path)
        assert "Comments are no longer accepted." in page
        assert "Submit comment" not in page and "Withdraw" not in page


def test_every_form_carries_this_requests_token_and_fresh_keys(gcg, gcg_member):
    consultation = _open(gcg)
    reader = _signed_in(gcg_member, enforce_csrf_checks=True)
    url = consultation.get_absolute_url()
    first = _page(reader, url)
    del reader.cookies["csrftoken"]  # a new CSRF secret: a token kept in the page would fail
    second = _page(reader, url)

    keys = re.findall(r'name="submission_key" value="([^"]+)"', first + second)
    assert len(keys) == 2 * 3  # the whole text and two paragraphs, each time
    assert len(set(keys)) == len(keys)
    assert "csrf-token-" not in second and "submission-key-" not in second
    create = reverse("comment_create", args=[consultation.pk])
    token = re.findall(  # the last comment form's, on paragraph 2
        rf'action="{create}" class="mt-2"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        second,
    )[-1]
    response = reader.post(
        create,
        {
            "csrfmiddlewaretoken": token,
            "paragraph": "2",
            "text": "Sent from the kept page.",
            "submission_key": keys[-1],
        },
    )
    assert response.status_code == 302
    assert Comment.objects.filter(text="Sent from the kept page.").exists()


def test_a_refused_comment_keeps_its_text_once_and_the_next_page_is_clean(gcg, gcg_member):
    consultation = _open(gcg)
    reader = _signed_in(gcg_member)
    url = consultation.get_absolute_url()
    _page(reader, url)
    response = reader.post(
        reverse("comment_create", args=[consultation.pk]),
        {"paragraph": "1", "text": "   ", "submission_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert 'id="text-1" name="text" rows="4" maxlength="5000" aria-invalid="true"' in (
        response.content.decode()
    )

    assert 'aria-invalid="true"' not in _page(reader, url)
