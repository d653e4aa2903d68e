"""A member's Word comments as their comments: each on the paragraph its anchor falls in,
shown for confirmation first, under the rules of a typed comment (window, audience, one save
however often the confirmation is sent)."""

import datetime
import difflib
import html
import io
import re
import threading
import zipfile

import docx
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import consultations
from coordination.models import Comment
from coordination.word import writing
from coordination.word.comments import comments_from_docx
from coordination.word.files import WordFileError
from tests import factories
from tests.word_files import upload

GENEVA = datetime.timezone(datetime.timedelta(hours=1))
OPENS = datetime.datetime(2018, 12, 3, 9, 0, tzinfo=GENEVA)
CLOSES = datetime.datetime(2018, 12, 17, 23, 59, 59, tzinfo=GENEVA)
DURING = OPENS + datetime.timedelta(days=2)
TEXT = """\
# Pathfinder Country Guidance Note

A government writes to the Secretariat with a formal request.

A pathfinder focal point is nominated by the government.

- Governments can choose a focus area.
  - Child labour.
  - Forced labour.

There needs to be buy-in from UN Resident Coordinators.

Resource mobilisation is key.
"""
# 1, 2, 3 (3.1, 3.2), 4, 5


@pytest.fixture
def consultation(gcg):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT)
    return consultations.consultation_open(
        version=version, audience=gcg, opens_at=OPENS, closes_at=CLOSES
    )


def member_copy(comments: dict[str, str], *, spanning: str | None = None) -> docx.Document:
    """The draft as a member retyped or pasted it into Word (no paragraph numbers), with a
    comment on each given paragraph (by its words), through python-docx's comments API."""
    word = docx.Document()
    word.add_heading("Pathfinder Country Guidance Note", 1)
    runs = {}
    for number, text in [
        ("1", "A government writes to the Secretariat with a formal request."),
        ("2", "A pathfinder focal point is nominated by the government."),
        ("3", "Governments can choose a focus area."),
        ("3.1", "Child labour."),
        ("3.2", "Forced labour."),
        ("4", "There needs to be buy-in from UN Resident Coordinators."),
        ("5", "Resource mobilisation is key."),
    ]:
        style = "List Bullet 2" if "." in number else ("List Bullet" if number == "3" else None)
        runs[number] = word.add_paragraph(text, style=style).runs[0]
    for number, comment in comments.items():
        word.add_comment(runs[number], text=comment, author="Example member", initials="EM")
    if spanning:
        word.add_comment([runs["1"], runs["2"]], text=spanning, author="Example member")
    return word


COMMENTS = {
    "2": "The focal point should be at ministerial level.",
    "3.1": "Add the worst forms of child labour.",
    "5": "Name the partners expected to contribute.",
}


def _confirm_data(page: str) -> dict:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    }


def test_three_word_comments_become_three_comments_on_their_paragraphs(
    client, consultation, gcg_member
):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(DURING):
        response = client.post(url, {"word_file": upload(member_copy(COMMENTS))})
        page = response.content.decode()
        assert response.status_code == 200
        assert "3 comments found. Check them, then save them as your comments" in page
        rows = re.findall(
            r"<tr>\s*<td>([^<]*)</td>.*?<td>([^<]*)(?:<br>.*?)?</td>\s*</tr>", page, re.S
        )
        assert [(number, html.unescape(text)) for number, text in rows] == list(COMMENTS.items())
        assert page.count("by Example member, in Word") == 3
        assert Comment.objects.count() == 0  # nothing saved before the confirmation

        response = client.post(url, _confirm_data(page), follow=True)
    assert "Your 3 comments from the Word file are saved." in response.content.decode()
    saved = Comment.objects.order_by("paragraph_key").values_list("author", "paragraph", "text")
    assert list(saved) == [(gcg_member.person.pk, n, text) for n, text in COMMENTS.items()]


def test_a_comment_spanning_two_paragraphs_is_on_the_whole_text(consultation):
    found = comments_from_docx(
        upload(member_copy({}, spanning="Merge these two steps.")), consultation.version
    )
    assert [(c.paragraph, c.text) for c in found.comments] == [
        ("", "On paragraphs 1 to 2:\n\nMerge these two steps.")
    ]
    assert found.warnings == ["1 comment is on the whole text: its anchor is not in one paragraph."]


def test_the_confirmation_sent_twice_saves_the_comments_once(client, consultation, gcg_member):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(DURING):
        page = client.post(url, {"word_file": upload(member_copy(COMMENTS))}).content.decode()
        data = _confirm_data(page)
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # the button pressed twice
    assert Comment.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_confirmation_sent_at_the_same_instant_saves_the_comments_once(
    consultation, gcg_member
):
    """Two requests with one confirmation meet at a barrier just before their first insert:
    the second waits on the first's keys and answers with its comments."""
    person = gcg_member.person
    table = connection.ops.quote_name(Comment._meta.db_table)
    key = __import__("uuid").uuid4()
    barrier = threading.Barrier(2, timeout=5)
    outcomes = {}

    def send(tab):
        first = True

        def meet_before_inserting(execute, sql, params, many, context):
            nonlocal first
            if first and sql.startswith("INSERT") and table in sql:
                first = False
                barrier.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(meet_before_inserting):
                saved = consultations.comments_submit_from_word(
                    consultation=consultation,
                    author=person,
                    comments=list(COMMENTS.items()),
                    submission_key=key,
                    at=DURING,
                )
            outcomes[tab] = sorted(comment.pk for comment in saved)
        except Exception as error:  # shown in the assertion
            outcomes[tab] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(tab,)) for tab in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes[1] == outcomes[2]
    assert Comment.objects.count() == 3


def test_a_confirmation_after_the_window_closed_saves_nothing(client, consultation, gcg_member):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(CLOSES - datetime.timedelta(minutes=2)):
        page = client.post(url, {"word_file": upload(member_copy(COMMENTS))}).content.decode()
    with time_machine.travel(CLOSES + datetime.timedelta(seconds=1)):
        response = client.post(url, _confirm_data(page))
    assert response.status_code == 400
    assert "so comments are no longer accepted" in html.unescape(response.content.decode())
    assert Comment.objects.count() == 0


def test_a_comment_too_long_is_named_when_the_file_is_read(client, consultation, gcg_member):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    too_long = {**COMMENTS, "4": "Longer than allowed. " + "x" * Comment.MAX_LENGTH}
    with time_machine.travel(DURING):
        response = client.post(url, {"word_file": upload(member_copy(too_long))})
    page = html.unescape(response.content.decode())
    error = re.search(r'id="error_1_id_word_file"[^>]*>(.*?)</', page, re.S)
    assert error and (
        "Comment 4 (“Longer than allowed. xxxxxxxxxxxxxxxxxxx…”) has 5021 characters; the "
        "limit is 5000." in error.group(1)
    )
    assert Comment.objects.count() == 0


def test_one_comment_refused_by_the_service_saves_none_of_them(consultation, gcg_member):
    comments = [("2", "Fine."), ("4", "x" * (Comment.MAX_LENGTH + 1))]
    with pytest.raises(consultations.ConsultationError, match="Comments are limited to"):
        consultations.comments_submit_from_word(
            consultation=consultation,
            author=gcg_member.person,
            comments=comments,
            submission_key=__import__("uuid").uuid4(),
            at=DURING,
        )
    assert Comment.objects.count() == 0


def test_someone_outside_the_audience_gets_no_upload(
    client, consultation, outsider, secretariat_by_permission
):
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(DURING):
        client.force_login(outsider)  # does not see the consultation at all
        assert client.post(url, {"word_file": upload(member_copy(COMMENTS))}).status_code == 404
        client.force_login(secretariat_by_permission)  # sees it, is not of its audience
        response = client.post(url, {"word_file": upload(member_copy(COMMENTS))})
    assert response.status_code == 403
    assert "Only members of" in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_confirmation_altered_or_made_for_someone_else_is_refused(
    client, consultation, gcg_member
):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(DURING):
        page = client.post(url, {"word_file": upload(member_copy(COMMENTS))}).content.decode()
        data = _confirm_data(page)
        data["comments"] = data["comments"][:-3] + "abc"
        response = client.post(url, data)
    assert "This confirmation has expired. Upload your Word file again." in html.unescape(
        response.content.decode()
    )
    assert Comment.objects.count() == 0


def test_a_confirmation_sent_by_another_member_or_to_another_consultation_is_refused(
    client, consultation, gcg, gcg_member
):
    """The signature names the member and the consultation: what one member saw cannot be
    saved as another's comments, nor on another draft."""
    colleague = factories.UserFactory(email="colleague@example.org")
    factories.MembershipFactory(person__user=colleague, person__email=colleague.email, group=gcg)
    other = consultations.consultation_open(
        version=factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=TEXT),
        audience=gcg,
        opens_at=OPENS,
        closes_at=CLOSES,
    )
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(DURING):
        data = _confirm_data(
            client.post(url, {"word_file": upload(member_copy(COMMENTS))}).content.decode()
        )
        refusals = [client.post(reverse("comments_from_word", args=[other.pk]), data)]
        client.force_login(colleague)
        refusals.append(client.post(url, data))
    for response in refusals:
        assert response.status_code == 400
        assert "This confirmation has expired." in html.unescape(response.content.decode())
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "This Word file has no comments."),
        (b"not a word file", "This is not a Word document (.docx)."),
    ],
)
def test_a_file_without_comments_or_not_word_is_refused_next_to_the_field(
    client, consultation, gcg_member, data, message
):
    client.force_login(gcg_member)
    if data is None:
        stream = io.BytesIO()
        member_copy({}).save(stream)
        data = stream.getvalue()
    with time_machine.travel(DURING):
        response = client.post(
            reverse("comments_from_word", args=[consultation.pk]), {"word_file": upload(data)}
        )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    error = re.search(r'id="error_1_id_word_file"[^>]*>(.*?)</', page, re.S)
    assert error and message in error.group(1)
    assert Comment.objects.count() == 0


def test_a_file_whose_main_part_has_no_body_is_refused_as_not_word(consultation):
    stream = io.BytesIO()
    member_copy(COMMENTS).save(stream)
    source = zipfile.ZipFile(stream)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "word/document.xml":
                part = part[: part.index(b"<w:body>")] + b"</w:document>"
            target.writestr(item, part)
    with pytest.raises(WordFileError) as refused:
        comments_from_docx(upload(data.getvalue()), consultation.version)
    assert refused.value.code == "not_docx"


def test_a_long_reworded_copy_is_matched_by_words_only_where_a_comment_is(
    consultation, monkeypatch
):
    """Comparing every Word paragraph with every paragraph of the version took minutes for a
    few hundred; only the paragraph a comment is anchored in is looked for."""
    word = docx.Document()
    for n in range(50):
        word.add_paragraph(f"Reworded paragraph {n}: governments act on child labour.")
    word.add_paragraph("Resource mobilisation is key to the work.")
    word.add_comment(word.paragraphs[-1].runs[0], text="Name the partners.", author="Member")
    compared = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(
        difflib.SequenceMatcher, "ratio", lambda self: compared.append(1) or ratio(self)
    )
    found = comments_from_docx(upload(word), consultation.version)
    assert [(c.paragraph, c.text) for c in found.comments] == [("5", "Name the partners.")]
    assert len(compared) <= 7  # one Word paragraph, with the version's seven at most


def test_the_consultation_page_offers_the_upload_while_open(client, consultation, gcg_member):
    client.force_login(gcg_member)
    with time_machine.travel(DURING):
        page = client.get(consultation.get_absolute_url()).content.decode()
    assert reverse("comments_from_word", args=[consultation.pk]) in page


def test_comments_on_the_downloaded_draft_are_placed_by_its_paragraph_numbers(
    client, consultation, gcg_member
):
    """The member downloads the draft as Word, comments on it, and even rewords paragraph 2
    in passing: the numbers the export wrote place each comment."""
    client.force_login(gcg_member)
    version = consultation.version
    exported = client.get(reverse("version_docx", args=[version.document_id, version.number]))
    word = docx.Document(io.BytesIO(exported.getvalue()))
    by_number = {}
    for paragraph in word.paragraphs:
        number_runs = [run for run in paragraph.runs if run.style.name == "Paragraph Number"]
        if number_runs:
            by_number[number_runs[0].text.strip()] = paragraph
    by_number["2"].runs[-1].text = "Each government names its own focal point."
    for number, text in COMMENTS.items():
        word.add_comment(by_number[number].runs[-1], text=text, author="Example member")
    with time_machine.travel(DURING):
        page = client.post(
            reverse("comments_from_word", args=[consultation.pk]), {"word_file": upload(word)}
        ).content.decode()
        client.post(reverse("comments_from_word", args=[consultation.pk]), _confirm_data(page))
    assert dict(Comment.objects.values_list("paragraph", "text")) == COMMENTS


def test_the_same_file_uploaded_again_offers_nothing_new_to_save(client, consultation, gcg_member):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    with time_machine.travel(DURING):
        page = client.post(url, {"word_file": upload(member_copy(COMMENTS))}).content.decode()
        client.post(url, _confirm_data(page))
        again = {**COMMENTS, "4": "And the Resident Coordinators' offices."}
        page = client.post(url, {"word_file": upload(member_copy(again))}).content.decode()
        assert page.count("Already saved: not saved again") == 3
        assert "Save this comment" in page  # the one new comment
        response = client.post(url, _confirm_data(page), follow=True)
    assert "Your comment from the Word file is saved." in response.content.decode()
    assert Comment.objects.count() == 4


def test_a_file_of_another_version_is_refused(client, consultation, gcg_member):
    """Its paragraph 6 is not this version's paragraph 6."""
    client.force_login(gcg_member)
    earlier = consultation.version
    later = factories.DocumentVersionFactory(
        document=earlier.document, number=2, text=TEXT.replace("key.", "essential.")
    )
    exported = client.get(reverse("version_docx", args=[earlier.document_id, 1])).getvalue()
    word = docx.Document(io.BytesIO(exported))
    word.add_comment(word.paragraphs[-1].runs[-1], text="Which partners?", author="M")
    consultation.version = later  # the later version under consultation
    consultation.save()
    with time_machine.travel(DURING):
        response = client.post(
            reverse("comments_from_word", args=[consultation.pk]), {"word_file": upload(word)}
        )
    assert "This file is version 1 of the draft; comments are taken on version 2." in (
        html.unescape(response.content.decode())
    )
    assert Comment.objects.count() == 0


def test_tracked_changes_and_a_file_unlike_the_draft_are_pointed_out(consultation):
    from tests.word_files import add_tracked_insertion

    word = docx.Document()
    paragraph = word.add_paragraph("Minutes of an unrelated meeting.")
    add_tracked_insertion(paragraph, " With a late addition.")
    word.add_comment(paragraph.runs[0], text="Wrong file?", author="M")
    found = comments_from_docx(upload(word), consultation.version)
    assert [(c.paragraph, c.text) for c in found.comments] == [("", "Wrong file?")]
    assert found.warnings == [
        "Your file has tracked changes: they are not taken, only Word comments are. Write the "
        "wording you propose in a comment.",
        "None of this file's paragraphs is one of the draft's, so every comment is on the "
        "whole text: is this the draft of this consultation?",
    ]


def test_comments_by_several_people_in_the_file_are_pointed_out(consultation):
    word = member_copy(COMMENTS)
    word.add_comment(word.paragraphs[1].runs[0], text="Secretariat's note.", author="Secretariat")
    found = comments_from_docx(upload(word), consultation.version)
    assert "Secretariat" in {comment.author for comment in found.comments}
    assert found.warnings == [
        "This file holds comments by several people in Word (Example member, Secretariat): "
        "all would be saved as yours. Delete the others' comments in Word first if they are not."
    ]


def test_comments_in_a_quotes_second_paragraph_a_code_line_and_a_table_keep_their_number(
    client, gcg, gcg_member
):
    text = (
        "# Draft\n\nIntroduction.\n\n> The Chair said so.\n>\n> And said it again.\n\n"
        "```\nline one\nline two\n```\n\n| Country | Status |\n| --- | --- |\n"
        "| Madagascar | Roadmap |\n"
    )  # 1 introduction, 2 the quote, 3 the code, 4 the table
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=text)
    word = docx.Document(io.BytesIO(writing.version_docx(version).getvalue()))
    paragraph = next(p for p in word.paragraphs if p.text == "And said it again.")
    word.add_comment(paragraph.runs[-1], text="On the quote.", author="M")
    code = next(p for p in word.paragraphs if "line two" in p.text)
    word.add_comment(code.runs[-1], text="On the code.", author="M")
    cell = word.tables[0].rows[1].cells[1].paragraphs[0]
    word.add_comment(cell.runs[-1], text="On the table.", author="M")
    found = comments_from_docx(upload(word), version)
    assert [(c.paragraph, c.text) for c in found.comments] == [
        ("2", "On the quote."),
        ("3", "On the code."),
        ("4", "On the table."),
    ]


def test_the_confirmation_page_costs_the_same_queries_for_3_comments_as_for_30(
    client, consultation, gcg_member
):
    client.force_login(gcg_member)
    url = reverse("comments_from_word", args=[consultation.pk])
    counts = []
    for many in (1, 10):
        word = member_copy({})
        for paragraph in word.paragraphs[1:4]:
            for n in range(many):
                word.add_comment(paragraph.runs[0], text=f"Comment {n}.", author="M")
        with time_machine.travel(DURING), CaptureQueriesContext(connection) as queries:
            assert client.post(url, {"word_file": upload(word)}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


def test_a_comment_resolved_in_word_is_left_out(consultation):
    """Word 2013 and later mark a resolved comment in commentsExtended.xml, by the id of its
    last paragraph (w14:paraId)."""
    import zipfile

    stream = io.BytesIO()
    member_copy(COMMENTS).save(stream)
    source = zipfile.ZipFile(io.BytesIO(stream.getvalue()))
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/comments.xml":
                xml = data.decode()
                if "xmlns:w14=" not in xml:
                    xml = xml.replace("<w:comments ", f'<w:comments xmlns:w14="{w14}" ', 1)
                first = xml.index('<w:comment w:id="0"')
                paragraph = xml.index("<w:p", first + 10)
                xml = xml[:paragraph] + '<w:p w14:paraId="0A0B0C0D"' + xml[paragraph + 4 :]
                data = xml.encode()
            target.writestr(item, data)
        target.writestr(
            "word/commentsExtended.xml",
            f'<w15:commentsEx xmlns:w15="{w15}"><w15:commentEx w15:paraId="0A0B0C0D" '
            'w15:done="1"/></w15:commentsEx>',
        )
    found = comments_from_docx(upload(out.getvalue()), consultation.version)
    assert [(c.paragraph, c.text) for c in found.comments] == list(COMMENTS.items())[1:]


def test_the_upload_after_the_close_says_comments_are_not_open(client, consultation, gcg_member):
    client.force_login(gcg_member)
    with time_machine.travel(CLOSES + datetime.timedelta(seconds=1)):
        page = client.get(reverse("comments_from_word", args=[consultation.pk])).content.decode()
    assert "Comments are not open now: a Word file&#x27;s comments are taken" in page
    assert 'name="word_file"' not in page
