"""The consultation cycle: versions, the comment window to the second, dispositions, adoption."""

import datetime
import threading
import uuid
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from coordination import consultations
from coordination.consultations import ConflictError, ConsultationError
from coordination.models import ActionItem, Comment, Decision, DocumentVersion, paragraph_sort_key
from coordination.paragraphs import split_paragraphs
from tests import factories

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
CLOSES = datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=GENEVA)
TEXT = """\
# Guidance

Governments write to the Secretariat.

- A focal point is nominated.
- Resident Coordinators are engaged.
  - early
  - often

Resource mobilisation is key.
"""


@pytest.fixture
def consultation(gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    return consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )


@pytest.fixture
def member_person(gcg_member):
    return gcg_member.person


def comment(consultation, person, paragraph="1", text="Please clarify.", at=None):
    return consultations.comment_submit(
        consultation=consultation,
        author=person,
        paragraph=paragraph,
        text=text,
        at=at or OPENS + datetime.timedelta(days=1),
    )


# --- paragraphs and versions ----------------------------------------------------------------


def test_paragraphs_are_numbered_with_sub_items_and_headings_unnumbered():
    paragraphs = split_paragraphs(TEXT)
    assert [(p.number, p.text) for p in paragraphs] == [
        ("", "Guidance"),
        ("1", "Governments write to the Secretariat."),
        ("2", "A focal point is nominated."),
        ("3", "Resident Coordinators are engaged."),
        ("3.1", "early"),
        ("3.2", "often"),
        ("4", "Resource mobilisation is key."),
    ]
    assert paragraphs[4].anchor == "p-3.1"


def test_version_text_is_sanitised_on_the_page(client, gcg, gcg_member):
    version = factories.DocumentVersionFactory(
        document__owner_group=gcg,
        text='Hello <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
        "[link](javascript:alert(3))",
    )
    client.force_login(gcg_member)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img" not in page
    assert 'href="javascript' not in page
    assert 'id="p-1"' in page


def test_publishing_supersedes_drafts_and_starts_from_the_adopted_text(gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    first = consultations.version_publish(document=document, text="One.", change_summary="v1")
    decision = Decision.objects.create(meeting=factories.MeetingFactory(group=gcg), text="Adopted")
    consultations.version_adopt(version=first, decision=decision)
    assert consultations.latest_text_to_start_from(document) == "One."
    second = consultations.version_publish(document=document, text="Two.", change_summary="v2")
    third = consultations.version_publish(document=document, text="Three.", change_summary="v3")

    statuses = dict(document.versions.values_list("number", "status"))
    assert statuses == {1: "adopted", 2: "superseded", 3: "draft"}
    assert (second.number, third.number) == (2, 3)
    assert consultations.latest_text_to_start_from(document) == "One."


def test_an_empty_version_is_refused(gcg):
    document = factories.DocumentFactory(owner_group=gcg)
    with pytest.raises(ConsultationError, match="empty"):
        consultations.version_publish(document=document, text="  ", change_summary="")


def test_sharing_the_revised_draft_fixes_the_due_date_of_the_waiting_action_item(waiting_item):
    item = waiting_item
    revised = consultations.version_publish(
        document=item.trigger_document, text="Revised.", change_summary=""
    )
    consultations.version_share(version=revised, at=OPENS)
    item.refresh_from_db()
    assert item.due_on == datetime.date(2018, 12, 17)
    assert ActionItem.objects.get(pk=item.pk).triggered_at == OPENS


def test_diff_marks_insertions_and_deletions_per_paragraph(client, gcg, gcg_member):
    document = factories.DocumentFactory(owner_group=gcg)
    consultations.version_publish(document=document, text=TEXT, change_summary="")
    consultations.version_publish(
        document=document,
        text=TEXT.replace("is key", "is essential").replace("- A focal point is nominated.\n", ""),
        change_summary="",
    )
    client.force_login(gcg_member)
    page = client.get(reverse("version_diff", args=[document.pk])).content.decode()
    assert "<del>key</del><ins>essential</ins>" in page
    assert "<del>A focal point is nominated.</del>" in page
    assert "2 paragraphs changed." in page
    assert "[+ …] inserted, [− …] deleted." in page  # not only colour


def test_a_paragraph_deleted_before_an_edited_one_shows_as_removed_not_its_neighbour_rewritten():
    from coordination.paragraphs import diff_paragraphs

    old = "One apple.\n\nThe focal point is nominated.\n\nResource mobilisation is key.\n"
    new = "One apple.\n\nResource mobilisation is essential.\n"
    changes = [
        (c.kind, c.old and c.old.number, c.new and c.new.number) for c in diff_paragraphs(old, new)
    ]
    assert changes == [("same", "1", "1"), ("removed", "2", None), ("changed", "3", "2")]


def test_diff_of_unknown_versions_is_a_404(client, gcg, gcg_member):
    document = factories.DocumentFactory(owner_group=gcg)
    consultations.version_publish(document=document, text="One.", change_summary="")
    consultations.version_publish(document=document, text="Two.", change_summary="")
    client.force_login(gcg_member)
    url = reverse("version_diff", args=[document.pk])
    assert client.get(url, {"from": "9"}).status_code == 404
    assert client.get(url, {"to": "x"}).status_code == 404


# --- the window, to the second --------------------------------------------------------------


def test_default_window_closes_at_the_end_of_the_fourteenth_day_in_geneva():
    opened = datetime.datetime(2018, 12, 3, 16, 30, tzinfo=datetime.UTC)
    closes = consultations.default_closes_at(opened, "Europe/Zurich")
    assert closes == datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=GENEVA)


def test_one_second_before_close_is_accepted(consultation, member_person):
    saved = comment(consultation, member_person, at=CLOSES - datetime.timedelta(seconds=1))
    assert saved.pk


def test_at_close_is_refused(consultation, member_person):
    with pytest.raises(ConsultationError, match="closed on 17 December 2018"):
        comment(consultation, member_person, at=CLOSES)
    assert not Comment.objects.exists()


def test_before_opening_is_refused(consultation, member_person):
    with pytest.raises(ConsultationError, match="Comments open on 3 December 2018"):
        comment(consultation, member_person, at=OPENS - datetime.timedelta(seconds=1))


def test_edits_and_withdrawals_follow_the_same_window(consultation, member_person):
    saved = comment(consultation, member_person)
    with pytest.raises(ConsultationError, match="closed"):
        consultations.comment_edit(
            comment=saved, author=member_person, text="Later", revision=1, at=CLOSES
        )
    with pytest.raises(ConsultationError, match="closed"):
        consultations.comment_withdraw(comment=saved, author=member_person, at=CLOSES)
    edited = consultations.comment_edit(
        comment=saved,
        author=member_person,
        text="Edited in time",
        revision=1,
        at=CLOSES - datetime.timedelta(seconds=1),
    )
    assert (edited.text, edited.revision) == ("Edited in time", 2)
    withdrawn = consultations.comment_withdraw(
        comment=edited, author=member_person, at=CLOSES - datetime.timedelta(seconds=1)
    )
    assert withdrawn.withdrawn_at is not None


def test_refused_comment_keeps_the_text_on_the_page(client, consultation, gcg_member):
    client.force_login(gcg_member)
    with time_machine.travel(CLOSES, tick=False):
        response = client.post(
            reverse("comment_create", args=[consultation.pk]),
            {
                "paragraph": "3",
                "text": "My careful words on paragraph 3",
                "submission_key": uuid.uuid4(),
            },
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "comments are no longer accepted" in page
    assert "My careful words on paragraph 3</textarea>" in page
    assert '<details class="comment-box no-print" open>' in page
    assert not Comment.objects.exists()


def test_refused_edit_keeps_the_text_on_the_page(client, consultation, gcg_member):
    saved = comment(consultation, gcg_member.person)
    client.force_login(gcg_member)
    with time_machine.travel(CLOSES + datetime.timedelta(minutes=1), tick=False):
        response = client.post(
            reverse("comment_edit", args=[consultation.pk, saved.pk]),
            {"text": "A late improvement", "revision": 1},
        )
    assert response.status_code == 400
    assert "A late improvement</textarea>" in response.content.decode()
    saved.refresh_from_db()
    assert saved.text == "Please clarify."


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "text", "message"),
    [
        ("1", "   ", "Write your comment before sending it."),
        ("1", "x" * 5001, "limited to 5000 characters; this one has 5001"),
        ("12", "On a paragraph that is not there", "Paragraph 12 does not exist in version 1."),
    ],
)
def test_bad_comments_are_refused_with_a_clear_message(
    consultation, member_person, paragraph, text, message
):
    with pytest.raises(ConsultationError, match=message):
        comment(consultation, member_person, paragraph=paragraph, text=text)


def test_a_double_submitted_comment_is_saved_once(client, consultation, gcg_member):
    client.force_login(gcg_member)
    data = {"paragraph": "2", "text": "Once only", "submission_key": uuid.uuid4()}
    url = reverse("comment_create", args=[consultation.pk])
    with time_machine.travel(OPENS + datetime.timedelta(days=1)):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_edits_of_one_revision_at_the_same_instant_save_one_and_refuse_the_other(
    consultation, member_person
):
    """Two tabs send an edit of the same revision at once, twenty times over. Each thread has
    its own connection, and both meet at a barrier just before their first statement that
    writes or locks the comment, so everything before it (reads, checks) has run in both: one
    edit is saved, the other refused, never both saved with one silently lost."""
    saved = comment(consultation, member_person)
    table = connection.ops.quote_name(Comment._meta.db_table)

    def edit(tab, text, revision, barrier, outcomes):
        first = True

        def meet_before_taking_the_row(execute, sql, params, many, context):
            nonlocal first
            if first and table in sql and (sql.startswith("UPDATE") or "FOR UPDATE" in sql):
                first = False
                barrier.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(meet_before_taking_the_row):
                consultations.comment_edit(
                    comment=Comment.objects.get(pk=saved.pk),
                    author=member_person,
                    text=text,
                    revision=revision,
                    at=OPENS + datetime.timedelta(days=2),
                )
            outcomes[tab] = "saved"
        except ConflictError:
            outcomes[tab] = "refused"
        except Exception as error:  # shown in the assertion
            outcomes[tab] = repr(error)
        finally:
            connection.close()

    winners = []
    for round_number in range(20):
        revision = Comment.objects.get(pk=saved.pk).revision
        barrier = threading.Barrier(2, timeout=5)
        texts = {tab: f"Round {round_number}, tab {tab}" for tab in (1, 2)}
        outcomes = {}
        threads = [
            threading.Thread(target=edit, args=(tab, text, revision, barrier, outcomes))
            for tab, text in texts.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes.values()) == ["refused", "saved"], f"round {round_number}"
        (winner,) = (tab for tab, outcome in outcomes.items() if outcome == "saved")
        winners.append(texts[winner])
        saved.refresh_from_db()
        assert (saved.text, saved.revision) == (winners[-1], revision + 1)
    history = saved.history.order_by("history_id").values_list("text", flat=True)
    assert list(history)[1:] == winners  # each saved edit recorded once, in order


def test_an_edit_over_a_change_made_meanwhile_is_refused_with_both_texts_on_the_page(
    client, consultation, gcg_member
):
    saved = comment(consultation, gcg_member.person)
    at = OPENS + datetime.timedelta(days=2)
    consultations.comment_edit(
        comment=saved, author=gcg_member.person, text="From tab one", revision=1, at=at
    )
    client.force_login(gcg_member)
    with time_machine.travel(at):
        response = client.post(
            reverse("comment_edit", args=[consultation.pk, saved.pk]),
            {"text": "From tab two", "revision": 1},
        )
    page = response.content.decode()
    assert "changed meanwhile" in page
    assert "From tab two</textarea>" in page
    assert "From tab one" in page  # the latest saved text is shown beside it
    saved.refresh_from_db()
    assert (saved.text, saved.revision) == ("From tab one", 2)


def test_a_consultation_closing_before_it_opens_is_refused(gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg)
    with pytest.raises(ConsultationError, match="close after it opens"):
        consultations.consultation_open(
            version=version, audience=gcg, opens_at=CLOSES, closes_at=OPENS
        )


def test_the_consultation_form_explains_a_close_before_the_open(client, gcg, secretariat):
    version = factories.DocumentVersionFactory(document__owner_group=gcg)
    client.force_login(secretariat)
    response = client.post(
        reverse("consultation_new", args=[version.document_id, version.number]),
        {"audience": gcg.pk, "opens_at": "2018-12-10T09:00:00", "closes_at": "2018-12-01T09:00:00"},
    )
    page = response.content.decode()
    assert "The window must close after it opens." in page
    assert 'value="2018-12-10T09:00:00"' in page


# --- who sees what --------------------------------------------------------------------------


def test_members_see_each_others_comments_unless_private(
    client, consultation, gcg, gcg_member, member_person
):
    other = factories.MembershipFactory(group=gcg).person
    comment(consultation, other, text="Another member's view")
    client.force_login(gcg_member)
    assert (
        "Another member&#x27;s view" in client.get(consultation.get_absolute_url()).content.decode()
    )

    consultation.comments_private = True
    consultation.save()
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Another member" not in page
    assert "private to the Secretariat" in page


def test_outsiders_cannot_read_or_comment(client, consultation, outsider):
    client.force_login(outsider)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("comment_create", args=[consultation.pk]), {"paragraph": "1", "text": "Hi"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_member_cannot_edit_someone_elses_comment(client, consultation, gcg, gcg_member):
    other = factories.MembershipFactory(group=gcg).person
    theirs = comment(consultation, other)
    client.force_login(gcg_member)
    url = reverse("comment_edit", args=[consultation.pk, theirs.pk])
    assert client.post(url, {"text": "Hijack", "revision": 1}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == "Please clarify."


def test_the_secretariat_sees_who_has_not_responded(client, consultation, gcg, secretariat):
    silent = factories.MembershipFactory(group=gcg, person__full_name="Silent Member").person
    talker = factories.MembershipFactory(group=gcg, person__full_name="Talking Member").person
    quiet = factories.MembershipFactory(group=gcg, person__full_name="No Comment Member").person
    comment(consultation, talker)
    consultations.no_comments_state(
        consultation=consultation, person=quiet, at=OPENS + datetime.timedelta(hours=1)
    )
    rows = {r["person"]: r["response"] for r in consultations.responses(consultation)}
    assert not rows[silent].has_responded
    assert rows[talker].has_responded and rows[talker].comments == 1
    assert rows[quiet].has_responded and rows[quiet].state == "no_comments"

    client.force_login(secretariat)
    page = client.get(reverse("consultation_manage", args=[consultation.pk])).content.decode()
    assert "1 of 3 members has not responded yet." in page
    assert "Silent Member" in page


# --- the page at volume ---------------------------------------------------------------------


def remarks(consultation, authors, paragraph, count):
    """`count` comments on one paragraph, “Remark 0.” first, a minute apart."""
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            author=authors[n % len(authors)],
            paragraph=paragraph,
            paragraph_key=paragraph_sort_key(paragraph),
            text=f"Remark {n}.",
            created_at=OPENS + datetime.timedelta(hours=1, minutes=n),
            updated_at=OPENS + datetime.timedelta(hours=1, minutes=n),
        )
        for n in range(count)
    )


def test_each_paragraph_shows_its_first_comments_the_members_own_and_a_link_to_the_rest(
    client, consultation, gcg, gcg_member, member_person
):
    others = [factories.MembershipFactory(group=gcg).person for _ in range(4)]
    remarks(consultation, others, "2", 40)
    mine = comment(consultation, member_person, paragraph="2", text="My own view.")
    client.force_login(gcg_member)
    with time_machine.travel(OPENS + datetime.timedelta(days=2)):
        page = client.get(consultation.get_absolute_url()).content.decode()
    assert all(f"Remark {n}.<" in page for n in range(3))
    assert "Remark 3.<" not in page and "Remark 39.<" not in page
    assert "My own view." in page  # written last, still at hand to edit or withdraw
    assert reverse("comment_edit", args=[consultation.pk, mine.pk]) in page
    assert '<a href="?paragraph=2">37 more comments on paragraph 2</a>' in page


def test_a_paragraphs_page_lists_all_its_comments_a_page_at_a_time(
    client, consultation, gcg, gcg_member
):
    remarks(consultation, [factories.MembershipFactory(group=gcg).person], "3.1", 60)
    client.force_login(gcg_member)
    url = consultation.get_absolute_url()
    with time_machine.travel(OPENS + datetime.timedelta(days=2)):
        first = client.get(url, {"paragraph": "3.1"}).content.decode()
        second = client.get(url, {"paragraph": "3.1", "page": "2"}).content.decode()
        assert client.get(url, {"paragraph": "9"}).status_code == 404
    assert "60 comments" in first and "early" in first  # the paragraph's own text
    assert "Remark 0.<" in first and "Remark 49.<" in first and "Remark 50.<" not in first
    assert "Remark 50.<" in second and "Remark 59.<" in second and "Remark 49.<" not in second
    assert "Your comment on paragraph 3.1" in first


def test_the_page_does_not_grow_with_the_comments(client, consultation, gcg, gcg_member):
    authors = [factories.MembershipFactory(group=gcg).person for _ in range(10)]
    numbers = ["", "1", "2", "3", "3.1", "3.2", "4"]
    client.force_login(gcg_member)
    url = consultation.get_absolute_url()
    sizes = []
    for count in (5, 100):
        Comment.objects.all().delete()
        for number in numbers:
            remarks(consultation, authors, number, count)
        with time_machine.travel(OPENS + datetime.timedelta(days=2)):
            sizes.append(len(client.get(url).content))
    assert sizes[1] < sizes[0] + 200, sizes  # the counts in the links have a digit or two more


# --- dispositions ---------------------------------------------------------------------------


def test_dispositions_are_shown_to_members_once_published(
    client, consultation, gcg, gcg_member, secretariat
):
    saved = comment(consultation, gcg_member.person, paragraph="4")
    consultations.version_publish(
        document=consultation.version.document, text=TEXT + "\nNew paragraph.\n", change_summary=""
    )
    client.force_login(secretariat)
    client.post(
        reverse("comment_dispose", args=[consultation.pk, saved.pk]),
        {
            f"c{saved.pk}-disposition": "partly",
            f"c{saved.pk}-reply": "Partly taken up",
            f"c{saved.pk}-answered_in_paragraph": "5",
        },
    )
    saved.refresh_from_db()
    assert (saved.disposition, saved.answered_in_paragraph, saved.disposed_by) == (
        "partly",
        "5",
        secretariat,
    )

    client.force_login(gcg_member)
    assert "Partly taken up" not in client.get(consultation.get_absolute_url()).content.decode()
    consultations.dispositions_publish(consultation=consultation)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Partly accepted" in page and "Partly taken up" in page
    assert "see paragraph 5 of the next version" in page


def test_a_disposition_pointing_to_a_missing_paragraph_is_refused(consultation, member_person):
    saved = comment(consultation, member_person)
    consultations.version_publish(
        document=consultation.version.document, text="Short.", change_summary=""
    )
    with pytest.raises(ConsultationError, match="Paragraph 7 does not exist in version 2"):
        consultations.comment_dispose(
            comment=saved, disposition="accepted", reply="", answered_in_paragraph="7", by=None
        )


def test_members_cannot_dispose_or_download_the_matrix(client, consultation, gcg_member):
    saved = comment(consultation, gcg_member.person)
    client.force_login(gcg_member)
    for url in [
        reverse("consultation_manage", args=[consultation.pk]),
        reverse("matrix_csv", args=[consultation.pk]),
        reverse("matrix_xlsx", args=[consultation.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("comment_dispose", args=[consultation.pk, saved.pk]),
        {f"c{saved.pk}-disposition": "accepted"},
    )
    assert response.status_code == 403
    saved.refresh_from_db()
    assert saved.disposition == ""


# --- adoption -------------------------------------------------------------------------------


def test_a_decision_adopting_a_version_in_the_admin_makes_it_adopted(client, demo):
    from coordination.models import Document

    note = Document.objects.get(kind="guidance_note")
    revised = note.versions.get(number=2)
    client.force_login(demo["secretariat"])
    decision = {
        "meeting": demo["meeting"].pk,
        "text": "The Guidance Note was adopted.",
        "order": 2,
        "adopts_version": revised.pk,
    }
    response = client.post(reverse("admin:coordination_decision_add"), decision)
    assert response.status_code == 200  # members are still commenting on it
    assert "close the consultation first" in str(
        response.context["adminform"].form.errors["adopts_version"]
    )
    consultations.consultation_close(consultation=revised.consultations.get())
    response = client.post(reverse("admin:coordination_decision_add"), decision)
    assert response.status_code == 302
    revised.refresh_from_db()
    assert revised.status == DocumentVersion.Status.ADOPTED
    page = client.get(note.get_absolute_url()).content.decode()
    assert "Adopted at the 3rd GCG meeting, 28 November 2018" in page


def test_publishing_the_same_text_twice_is_refused_once_published(client, gcg, secretariat):
    document = factories.DocumentFactory(owner_group=gcg)
    client.force_login(secretariat)
    url = reverse("version_new", args=[document.pk])
    data = {"text": "Para one.\n\nPara two.", "change_summary": "First"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)  # the button pressed twice
    assert "same as version 1: nothing new to publish" in response.content.decode()
    assert "Para two.</textarea>" in response.content.decode()
    assert document.versions.count() == 1


def test_the_admin_publishes_a_version_through_the_service(client, gcg, secretariat):
    document = factories.DocumentFactory(owner_group=gcg)
    consultations.version_publish(document=document, text="Old.", change_summary="")
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:coordination_documentversion_add"),
        {"document": document.pk, "text": "New.", "change_summary": "Reworded"},
    )
    assert response.status_code == 302
    assert dict(document.versions.values_list("number", "status")) == {
        1: "superseded",
        2: "draft",
    }
    response = client.post(
        reverse("admin:coordination_documentversion_add"),
        {"document": document.pk, "text": "New.", "change_summary": "again"},
    )
    assert "same as version 2" in response.content.decode()


def test_a_second_consultation_of_the_same_version_and_group_is_refused(consultation, gcg):
    with pytest.raises(ConsultationError, match="overlaps these dates"):
        consultations.consultation_open(
            version=consultation.version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
        )


def test_deadline_is_shown_in_the_readers_time_zone(client, consultation, gcg_member):
    gcg_member.time_zone = "America/New_York"
    gcg_member.save()
    client.force_login(gcg_member)
    with time_machine.travel(OPENS + datetime.timedelta(days=13, hours=1)):
        page = client.get(consultation.get_absolute_url()).content.decode()
    assert "until Monday 17 December 2018, 17:59:59 (America/New_York)" in page
    assert "left." in page


def test_a_new_version_is_refused_while_members_comment_on_the_previous(consultation):
    document = consultation.version.document
    with pytest.raises(ConsultationError, match="Close that consultation first"):
        consultations.version_publish(
            document=document,
            text=TEXT + "\nRevised.\n",
            change_summary="",
            at=CLOSES - datetime.timedelta(seconds=1),
        )
    consultation.version.refresh_from_db()
    assert consultation.version.status == DocumentVersion.Status.SHARED
    revised = consultations.version_publish(
        document=document, text=TEXT + "\nRevised.\n", change_summary="", at=CLOSES
    )
    assert revised.number == 2


def test_an_adopted_version_cannot_be_opened_again(consultation, gcg):
    version = consultation.version
    version.status = DocumentVersion.Status.ADOPTED
    version.save()
    later = CLOSES + datetime.timedelta(days=30)
    with pytest.raises(ConsultationError, match="Adopted"):
        consultations.consultation_open(version=version, audience=gcg, opens_at=later)


def test_a_submission_key_never_returns_someone_elses_comment(consultation, gcg, member_person):
    key = uuid.uuid4()
    at = OPENS + datetime.timedelta(days=1)
    mine = consultations.comment_submit(
        consultation=consultation, author=member_person, paragraph="1", text="Mine.",
        submission_key=key, at=at,
    )  # fmt: skip
    other = factories.MembershipFactory(group=gcg).person
    with pytest.raises(ConsultationError, match="already used"):
        consultations.comment_submit(
            consultation=consultation, author=other, paragraph="1", text="Theirs.",
            submission_key=key, at=at,
        )  # fmt: skip
    assert list(Comment.objects.values_list("text", flat=True)) == [mine.text]


def test_a_superseded_or_still_open_version_is_not_adopted(consultation, gcg):
    decision = Decision.objects.create(meeting=factories.MeetingFactory(group=gcg), text="Adopt.")
    with (
        time_machine.travel(OPENS + datetime.timedelta(days=1), tick=False),
        pytest.raises(ConsultationError, match="still open for comments"),
    ):
        consultations.version_adopt(version=consultation.version, decision=decision)
    old = consultation.version
    consultations.version_publish(
        document=old.document, text=TEXT + "\nRevised.\n", change_summary="", at=CLOSES
    )
    with pytest.raises(ConsultationError, match="superseded"):
        consultations.version_adopt(version=old, decision=decision)


def test_a_consultation_not_yet_open_is_deleted_not_closed(consultation):
    with pytest.raises(ConsultationError, match="not opened yet"):
        consultations.consultation_close(
            consultation=consultation, at=OPENS - datetime.timedelta(hours=1)
        )
