"""Pages of the consultation cycle: versions, their differences, comments and dispositions;
and each person's notification settings and calendar feed."""

import datetime
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    QueryDict,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import access, caching, calendar, consultations, matrix, reminders, selectors, services
from .forms import (
    CommentEditForm,
    CommentFilterForm,
    CommentForm,
    ConsultationForm,
    DispositionForm,
    NotificationForm,
    PreferencesForm,
    VersionForm,
    WordCommentsConfirmForm,
    WordCommentsUploadForm,
)
from .models import (
    ActionItem,
    Comment,
    Consultation,
    Meeting,
    Membership,
    Person,
    ResponseState,
)
from .paragraphs import diff_paragraphs
from .spreadsheets import table_response
from .word import writing


def _person(user):
    return Person.objects.filter(user_id=user.pk).first()


# --- versions -------------------------------------------------------------------------------


@login_required
def version_new(request, pk):
    """A text typed in the box, or taken from a Word file: a Word file is shown first (its
    numbered paragraphs, the changes, what stayed behind), and published with a second click."""
    access.require_secretariat(request.user)
    document = access.get_document_for_user(request.user, pk)
    preview = None
    if request.method == "POST":
        form = VersionForm(request.POST, request.FILES)
        if form.imported:
            preview = form.preview(document)
            try:  # said now, not after the publisher has read the whole preview
                consultations.version_publish_check(document=document, text=form.imported.text)
            except consultations.ConsultationError as error:
                preview.blocked = str(error)
            form = VersionForm(
                initial={
                    "text": form.imported.text,
                    "change_summary": form.data.get("change_summary", ""),
                    "share": form.data.get("share") == "on",
                }
            )
        elif form.is_valid():
            try:
                version = consultations.version_publish(
                    document=document,
                    text=form.cleaned_data["text"],
                    change_summary=form.cleaned_data["change_summary"],
                    by=request.user,
                )
                if form.cleaned_data["share"]:
                    consultations.version_share(version=version, by=request.user)
            except consultations.ConsultationError as error:
                form.add_error(error.field, str(error))
            else:
                messages.success(request, _("Version %(n)s published.") % {"n": version.number})
                return redirect(version)
    else:
        form = VersionForm(initial={"text": consultations.latest_text_to_start_from(document)})
    return render(
        request,
        "coordination/version_form.html",
        {"document": document, "form": form, "preview": preview},
    )


@login_required
@require_POST
def version_share(request, pk, number):
    access.require_secretariat(request.user)
    version = access.get_version_for_user(request.user, pk, number)
    try:
        consultations.version_share(version=version, by=request.user)
    except consultations.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Version %(n)s is shared for comment.") % {"n": number})
    return redirect(version)


@login_required
def version_diff(request, pk):
    document = access.get_document_for_user(request.user, pk)
    versions = list(document.versions.order_by("number"))
    if len(versions) < 2:
        raise Http404
    numbers = {v.number: v for v in versions}
    try:
        new = numbers[int(request.GET.get("to", versions[-1].number))]
        old = numbers[int(request.GET.get("from", new.number - 1))]
    except (KeyError, ValueError) as bad:
        raise Http404 from bad
    changes = diff_paragraphs(old.text, new.text)
    return render(
        request,
        "coordination/version_diff.html",
        {
            "document": document,
            "versions": versions,
            "old": old,
            "new": new,
            "changes": changes,
            "changed_count": sum(1 for c in changes if c.kind != "same"),
        },
    )


# --- consultations --------------------------------------------------------------------------


@login_required
def consultation_new(request, pk, number):
    access.require_secretariat(request.user)
    version = access.get_version_for_user(request.user, pk, number)
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            try:
                consultation = consultations.consultation_open(
                    version=version,
                    audience=form.cleaned_data["audience"],
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                    comments_private=form.cleaned_data["comments_private"],
                    by=request.user,
                )
            except consultations.ConsultationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The consultation is set."))
                return redirect(consultation)
    else:
        now = timezone.localtime().replace(microsecond=0)
        form = ConsultationForm(
            initial={
                "audience": version.document.owner_group,
                "opens_at": now,
                "closes_at": timezone.localtime(consultations.default_closes_at(now)),
            }
        )
    return render(
        request, "coordination/consultation_form.html", {"version": version, "form": form}
    )


COMMENTS_SHOWN = 3  # per paragraph on the consultation page; the paragraph's page has them all
PARAGRAPH_COMMENTS_PER_PAGE = 50
# ?paragraph= of the comments on the whole text: on this page as in the secretariat's filters
WHOLE_TEXT = CommentFilterForm.WHOLE_TEXT


# Where a fragment's forms get what must differ per request (_forms_filled): the reader's CSRF
# token, and each comment form's fresh submission key. Derived from the secret key, so no
# text on the page can spell them, and every process of the site fills the same slots.
_TOKEN_SLOT = "csrf-token-" + salted_hmac("fragment slot", "csrf token").hexdigest()[:32]
_KEY_SLOT = "submission-key-" + salted_hmac("fragment slot", "submission key").hexdigest()[:32]


def _fragment_render(request, template: str, context: dict) -> SafeString:
    """The template with the slots where its forms' token and keys go: its `{% csrf_token %}`
    renders _TOKEN_SLOT, so the HTML may be kept and served to this reader again."""
    return render_to_string(template, {**context, "csrf_token": _TOKEN_SLOT}, request)


def _forms_filled(request, html: str) -> SafeString:
    """The fragment with this request's CSRF token and a new submission key in each form (a
    key is used once: a second comment sent with it would read as a double click)."""
    if _TOKEN_SLOT in html:
        html = html.replace(_TOKEN_SLOT, get_token(request))
    parts = html.split(_KEY_SLOT)
    html = "".join(part + str(uuid.uuid4()) for part in parts[:-1]) + parts[-1]
    return mark_safe(html)  # noqa: S308  (the template escaped it; a token and keys went in)


def _window(consultation, now) -> dict:
    """What the page shows from the clock: in the key of its fragments."""
    return {"is_open": consultation.is_open(now), "has_closed": consultation.has_closed(now)}


def _consultation_page(request, consultation, *, failed=None, status=200):
    """The draft as numbered paragraphs, each with its first comments (and the member's own),
    a link to the rest on the paragraph's page, and a form to add one. Kept rendered for each
    reader (their comments, their response, whether they may comment) and window state.

    failed: (paragraph, form) of a refused comment, shown open with the text kept.
    """
    window = _window(consultation, timezone.now())

    def body():
        user = request.user
        person = _person(user)
        visible = Comment.objects.visible_to(user, consultation)
        totals = visible.count_by_paragraph()
        by_paragraph = defaultdict(list)
        for comment in (
            visible.first_per_paragraph(COMMENTS_SHOWN, author_id=person and person.pk)
            .select_related("author__organisation")
            .order_by("created_at", "pk")
        ):
            by_paragraph[comment.paragraph].append(comment)
        failed_paragraph, failed_form = failed if failed else (None, None)

        def item(number, paragraph=None):
            comments = by_paragraph.get(number, [])
            refused = failed_form if failed_paragraph == number else None
            return {
                "paragraph": paragraph,
                "number": number,
                "comments": comments,
                "more": totals.get(number, 0) - len(comments),
                "form": refused,
                "key": refused["submission_key"].value() if refused else _KEY_SLOT,
            }

        return _consultation_body(
            request,
            consultation,
            {
                "paragraphs": [item(p.number, p) for p in consultation.version.paragraphs],
                "whole_text": item(""),
                "failed_paragraph": failed_paragraph,
            },
            person=person,
            window=window,
        )

    if failed:  # a form as it was sent: this request's alone
        html = body()
    else:
        vary = (consultation.pk, request.user.pk, *window.values())
        html = caching.fragment(request, "consultation", vary, body)
    return _render_consultation(request, consultation, html, window=window, status=status)


def _consultation_body(request, consultation, context, *, person, window) -> SafeString:
    in_audience = consultations.is_in_audience(person, consultation)
    response = (
        selectors.consultation_responses([consultation.pk], person_ids=[person.pk]).get(
            (consultation.pk, person.pk), selectors.Response()
        )
        if in_audience
        else None
    )
    return _fragment_render(
        request,
        "coordination/consultation_comments.html",
        {
            "consultation": consultation,
            **window,
            "can_comment": in_audience and window["is_open"],
            "in_audience": in_audience,
            "person": person,
            "response": response,
            "show_dispositions": consultation.shows_dispositions_to(request.user),
            "whole_text_key": WHOLE_TEXT,
            **context,
        },
    )


def _render_consultation(request, consultation, body, *, window, one=None, status=200):
    """The page around its fragment: the window's state, which reads the clock to the second."""
    return render(
        request,
        "coordination/consultation_detail.html",
        {
            "consultation": consultation,
            "version": consultation.version,
            **window,
            "one": one,
            "body": _forms_filled(request, body),
        },
        status=status,
    )


def _paragraph_page(request, consultation, number):
    """Every comment on one paragraph (or on the whole text), a page at a time."""
    paragraph = None
    if number != WHOLE_TEXT:
        paragraph = consultation.version.paragraph(number)
        if paragraph is None:
            raise Http404
    key = paragraph.number if paragraph else ""
    window = _window(consultation, timezone.now())
    page_number = request.GET.get("page", "")[:20]  # the same in the key as on the page

    def body():
        page = Paginator(
            Comment.objects.visible_to(request.user, consultation)
            .filter(paragraph=key)
            .select_related("author__organisation")
            .order_by("created_at", "pk"),
            PARAGRAPH_COMMENTS_PER_PAGE,
        ).get_page(page_number)
        return _consultation_body(
            request,
            consultation,
            {
                "one": {
                    "paragraph": paragraph,
                    "number": key,
                    "comments": page.object_list,
                    "key": _KEY_SLOT,
                },
                "page": page,
                "query": urlencode({"paragraph": number}),
            },
            person=_person(request.user),
            window=window,
        )

    vary = (consultation.pk, request.user.pk, *window.values(), number, page_number)
    html = caching.fragment(request, "consultation-paragraph", vary, body)
    return _render_consultation(
        request, consultation, html, window=window, one={"paragraph": paragraph, "number": key}
    )


@login_required
def consultation_detail(request, pk):
    consultation = access.get_consultation_for_user(request.user, pk)
    number = request.GET.get("paragraph")
    if number:
        return _paragraph_page(request, consultation, number[:20])
    return _consultation_page(request, consultation)


@login_required
@require_POST
def comment_create(request, pk):
    consultation = access.get_consultation_for_user(request.user, pk)
    form = CommentForm(request.POST)
    paragraph = request.POST.get("paragraph", "")[:20]
    if form.is_valid():
        try:
            comment = consultations.comment_submit(
                consultation=consultation,
                author=_person(request.user),
                paragraph=form.cleaned_data["paragraph"],
                text=form.cleaned_data["text"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except consultations.ConsultationError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Your comment is saved."))
            anchor = f"#comment-{comment.pk}"
            return redirect(consultation.get_absolute_url() + anchor)
    return _consultation_page(request, consultation, failed=(paragraph, form), status=400)


@login_required
def comments_from_word(request, pk):
    """A member's Word file with comments in the margin: read, shown for confirmation, then
    saved as their comments, all or none (consultations.comments_submit_from_word)."""
    consultation = access.get_consultation_for_user(request.user, pk)
    person = _person(request.user)
    confirming = request.method == "POST" and "comments" in request.POST
    if not confirming:  # a confirmation is checked by the service, when it saves
        try:
            consultations.comment_submit_check(consultation=consultation, author=person)
        except consultations.ConsultationError as error:
            # refused by the service; said without the typed form's "your text is kept below"
            refused = (
                str(error)
                if consultation.is_open(timezone.now())
                else _(
                    "Comments are not open now: a Word file's comments are taken while the "
                    "consultation is open."
                )
            )
            return render(
                request,
                "coordination/comments_from_word.html",
                {"consultation": consultation, "refused": refused},
                status=403 if request.method == "POST" else 200,
            )
    version = consultation.version
    upload = WordCommentsUploadForm(version=version)
    confirm = WordCommentsConfirmForm(consultation=consultation, person=person)
    found, rows = None, []
    if confirming:
        confirm = WordCommentsConfirmForm(request.POST, consultation=consultation, person=person)
        if confirm.is_valid():
            try:
                saved = consultations.comments_submit_from_word(
                    consultation=consultation,
                    author=person,
                    comments=confirm.cleaned_data["comments"]["comments"],
                    submission_key=confirm.cleaned_data["comments"]["key"],
                )
            except consultations.ConsultationError as error:
                confirm.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Your comment from the Word file is saved.",
                        "Your %(count)d comments from the Word file are saved.",
                        len(saved),
                    )
                    % {"count": len(saved)}
                    if saved
                    else _("These comments were already saved: nothing new to save."),
                )
                return redirect(consultation)
    elif request.method == "POST":
        upload = WordCommentsUploadForm(request.POST, request.FILES, version=version)
        if upload.is_valid():
            found = upload.cleaned_data["word_file"]
            made = selectors.comments_already_made(consultation, person)
            rows = [
                (comment, (comment.paragraph, comment.text.strip()) in made)
                for comment in found.comments
            ]
            confirm = WordCommentsConfirmForm(
                initial={"comments": confirm.sign(found.comments)},
                consultation=consultation,
                person=person,
            )
    return render(
        request,
        "coordination/comments_from_word.html",
        {
            "consultation": consultation,
            "upload": upload,
            "confirm": confirm,
            "found": found,
            "rows": rows,
            "new_count": sum(1 for _comment, made in rows if not made),
        },
        status=400 if (upload.errors or confirm.errors) else 200,
    )


@login_required
def comment_edit(request, pk, comment_pk):
    consultation = access.get_consultation_for_user(request.user, pk)
    comment = access.get_own_comment(request.user, consultation, comment_pk)
    status = 200
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                consultations.comment_edit(
                    comment=comment,
                    author=comment.author,
                    text=form.cleaned_data["text"],
                    revision=form.cleaned_data["revision"],
                )
            except consultations.ConsultationError as error:
                form.add_error("text", str(error))
                comment.refresh_from_db()
            else:
                messages.success(request, _("Your comment is updated."))
                return redirect(consultation.get_absolute_url() + f"#comment-{comment.pk}")
        status = 400
    else:
        form = CommentEditForm(initial={"text": comment.text, "revision": comment.revision})
    return render(
        request,
        "coordination/comment_edit.html",
        {
            "consultation": consultation,
            "comment": comment,
            "form": form,
            "is_open": consultation.is_open(timezone.now()),
        },
        status=status,
    )


@login_required
@require_POST
def comment_withdraw(request, pk, comment_pk):
    consultation = access.get_consultation_for_user(request.user, pk)
    comment = access.get_own_comment(request.user, consultation, comment_pk)
    try:
        consultations.comment_withdraw(comment=comment, author=comment.author)
    except consultations.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your comment is withdrawn."))
    return redirect(consultation)


@login_required
@require_POST
def no_comments(request, pk):
    """“I have no comments”, or “I have finished” once the member has commented."""
    consultation = access.get_consultation_for_user(request.user, pk)
    person = _person(request.user)
    try:
        consultations.no_comments_state(consultation=consultation, person=person)
    except consultations.ConsultationError as error:
        messages.error(request, str(error))
    else:
        commented = consultation.comments.current().filter(author=person).exists()
        messages.success(
            request,
            _("Thank you: the Secretariat sees that you have finished.")
            if commented
            else _("Thank you: the Secretariat sees that you have no comments."),
        )
    return redirect(consultation.get_absolute_url() + "#my-response")


@login_required
@require_POST
def no_comments_withdraw(request, pk):
    consultation = access.get_consultation_for_user(request.user, pk)
    try:
        consultations.no_comments_withdraw(consultation=consultation, person=_person(request.user))
    except consultations.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Noted: you are still working on your comments."))
    return redirect(consultation.get_absolute_url() + "#my-response")


# --- the secretariat's side -----------------------------------------------------------------


@login_required
def consultation_manage(request, pk):
    access.require_secretariat(request.user)
    consultation = access.get_consultation_for_user(request.user, pk)
    return _manage_page(request, consultation)


COMMENTS_PER_PAGE = 25
RESPONSES_PER_PAGE = 25
# What the management page's address may carry: its filters and its two page numbers.
MANAGE_PARAMETERS = ("paragraph", "disposition", "order", "page", "state", "responses_page")


def _manage_query(request) -> QueryDict:
    query = QueryDict(mutable=True)
    for name in MANAGE_PARAMETERS:
        if request.GET.get(name):
            query[name] = request.GET[name][:40]
    return query


def _manage_page(request, consultation, *, refused=None, form=None):
    """Responses and dispositions, a page of each at a time, kept rendered for each reader,
    address and window state. A refused disposition re-renders the page with that comment's
    form as it was filled in and the error at its field (status 400), on the page it was sent
    from, or first if that page no longer holds it."""
    now, query = timezone.now(), _manage_query(request)
    window = _window(consultation, now)

    def body():
        return _manage_content(request, consultation, query, window, now, refused, form)

    if refused:  # a form as it was sent: this request's alone
        html = body()
    else:
        vary = (consultation.pk, request.user.pk, *window.values(), query.urlencode())
        html = caching.fragment(request, "consultation-manage", vary, body)
    return render(
        request,
        "coordination/consultation_manage.html",
        {"body": _forms_filled(request, html)},
        status=400 if refused else 200,
    )


def _manage_content(request, consultation, query, window, now, refused, form) -> SafeString:
    """The page's content from `query` alone (its parameters as _manage_query keeps them,
    which a valid value always fits): what the fragment's key names."""
    filters = CommentFilterForm(query, version=consultation.version)
    comments = filters.filter(Comment.objects.filter(consultation=consultation).current())
    page = Paginator(
        comments.select_related("author__organisation", "disposed_by"), COMMENTS_PER_PAGE
    ).get_page(query.get("page"))
    shown = list(page.object_list)
    if refused and refused.pk not in {comment.pk for comment in shown}:
        shown.insert(0, refused)
    excerpts = {
        p.number: Truncator(p.text).chars(400) for p in consultation.version.paragraphs if p.number
    }
    for comment in shown:
        comment.paragraph_text = excerpts.get(comment.paragraph, "")  # what it is about
        if refused and comment.pk == refused.pk:
            comment.entered = {name: form[name].value() or "" for name in form.fields}
            comment.errors = defaultdict(list, form.errors)
            comment.general_errors = form.non_field_errors()
        else:
            comment.errors = defaultdict(list)  # the template looks each field up
            comment.general_errors = []
            comment.entered = {
                "disposition": comment.disposition,
                "reply": comment.reply,
                "answered_in_paragraph": comment.answered_in_paragraph,
            }

    counts = selectors.response_counts(consultation)
    state = query.get("state", "")
    if state not in counts:
        state = ""
    listed = Paginator(
        selectors.respondents_with_responses(consultation, state)
        .select_related("person__organisation")
        .order_by("person__full_name", "pk"),
        RESPONSES_PER_PAGE,
    )
    listed.count = counts[state] if state else sum(counts.values())  # counted already
    responses = listed.get_page(query.get("responses_page"))
    for membership in responses:
        membership.response = selectors.response_of(membership)
    try:
        consultations.dispositions_publish_check(consultation, at=now)
    except consultations.ConsultationError as error:
        publish_blocker = str(error)
    else:
        publish_blocker = ""
    return _fragment_render(
        request,
        "coordination/consultation_manage_content.html",
        {
            "consultation": consultation,
            "filters": filters,
            "page": page,
            "comments": shown,
            # translated once, not in each of the page's 25 forms
            "dispositions": [(value, str(label)) for value, label in Comment.Disposition.choices],
            "query": query,
            "back": f"?{query.urlencode()}" if query else "",
            "states": [(value, label, counts[value]) for value, label in ResponseState.choices],
            "state": state,
            "total": sum(counts.values()),
            "not_yet": counts[ResponseState.NOT_YET],
            "working": counts[ResponseState.WORKING],
            "responses": responses,
            "publish_blocker": publish_blocker,
            **window,
        },
    )


@login_required
@require_POST
def comment_dispose(request, pk, comment_pk):
    access.require_secretariat(request.user)
    consultation = access.get_consultation_for_user(request.user, pk)
    comment = Comment.objects.filter(consultation=consultation, pk=comment_pk).first()
    if comment is None:
        raise Http404
    form = DispositionForm(request.POST, prefix=f"c{comment.pk}")
    if not form.is_valid():
        return _manage_page(request, consultation, refused=comment, form=form)
    try:
        consultations.comment_dispose(comment=comment, by=request.user, **form.cleaned_data)
    except consultations.ConsultationError as error:
        form.add_error(error.field, str(error))
        return _manage_page(request, consultation, refused=comment, form=form)
    messages.success(request, _("Disposition saved."))
    query = _manage_query(request).urlencode()
    return redirect(
        reverse("consultation_manage", args=[consultation.pk])
        + (f"?{query}" if query else "")
        + f"#disposition-{comment.pk}"
    )


@login_required
def consultation_close(request, pk):
    """Ends the window now, after a confirmation page: members are told it closed, and the
    dispositions can then be published."""
    access.require_secretariat(request.user)
    consultation = access.get_consultation_for_user(request.user, pk)
    if request.method == "POST":
        try:
            consultations.consultation_close(consultation=consultation, by=request.user)
        except consultations.ConsultationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The consultation is closed."))
        return redirect(consultation.get_absolute_url() + "manage/")
    return render(request, "coordination/consultation_close.html", {"consultation": consultation})


@login_required
@require_POST
def dispositions_publish(request, pk):
    access.require_secretariat(request.user)
    consultation = access.get_consultation_for_user(request.user, pk)
    published = request.POST.get("published") == "1"
    try:
        consultations.dispositions_publish(
            consultation=consultation, published=published, by=request.user
        )
    except consultations.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Members now see the dispositions.") if published else _("Dispositions are hidden."),
        )
    return redirect(consultation.get_absolute_url() + "manage/")


def _matrix(request, pk, extension: str):
    access.require_secretariat(request.user)
    consultation = access.get_consultation_for_user(request.user, pk)
    version = consultation.version
    name = f"{slugify(version.document.title) or 'document'}-v{version.number}-comments"
    if extension == "docx":
        return FileResponse(
            writing.matrix_docx(consultation),
            as_attachment=True,
            filename=f"{name}.docx",
            content_type=writing.CONTENT_TYPE,
        )
    return table_response(
        matrix.COLUMNS,
        matrix.matrix_rows(consultation),
        extension=extension,
        name=name,
        sheet_title=_("Comments"),
    )


@login_required
def matrix_csv(request, pk):
    return _matrix(request, pk, "csv")


@login_required
def matrix_xlsx(request, pk):
    return _matrix(request, pk, "xlsx")


@login_required
def matrix_docx(request, pk):
    return _matrix(request, pk, "docx")


@login_required
def preferences(request):
    """The account's name, language and time zone; and, for a person, their notifications."""
    person = _person(request.user)
    data = request.POST or None
    form = PreferencesForm(data, instance=request.user, prefix="account")
    notifications = (
        NotificationForm(
            data, instance=person, kinds=reminders.kind_choices(request.user), prefix="mail"
        )
        if person
        else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (not notifications or notifications.is_valid())
    ):
        form.save()
        if notifications:
            notifications.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    feed = (
        settings.SITE_URL.rstrip("/") + reverse("calendar_feed", args=[person.calendar_key])
        if person
        else None
    )
    return render(
        request,
        "registration/preferences.html",
        {"form": form, "notifications": notifications, "calendar_feed": feed},
    )


@login_required
@require_POST
def calendar_key_new(request):
    """Preferences' “Get a new address”: for a calendar address shared by mistake."""
    person = _person(request.user)
    if person is None:
        raise Http404
    services.calendar_key_rotate(person=person)
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old one no longer works: "
            "replace it in your calendar program."
        ),
    )
    return redirect(reverse("preferences") + "#calendar")


@csrf_exempt  # one click from a mail program (RFC 8058) carries no CSRF token; the link is signed
def unsubscribe(request, token):
    """No login needed. GET asks to confirm (link checkers must not unsubscribe anyone);
    POST, from the page or from the mail program's button, turns the reminders off."""
    try:
        person_id, kind = reminders.unsubscribe_read(token)
        person = Person.objects.get(pk=person_id)
    except (signing.BadSignature, Person.DoesNotExist):
        return render(request, "coordination/unsubscribe.html", {"invalid": True}, status=404)
    label = dict(reminders.kind_choices()).get(kind, _("all reminders"))
    if request.method == "POST":
        muted = set(person.muted_kinds or [])
        muted.add(kind)
        person.muted_kinds = sorted(muted)
        person.save(update_fields=["muted_kinds"])
        return render(request, "coordination/unsubscribe.html", {"done": True, "label": label})
    return render(request, "coordination/unsubscribe.html", {"label": label, "person": person})


def calendar_feed(request, key):
    """A person's meetings, comment deadlines, action items and events, for their calendar
    program. The address is secret (a random key), so it works without signing in; the
    calendar program asks in its own language, the entries are written in the person's."""
    person = Person.objects.select_related("user").filter(calendar_key=key).first()
    if person is None or not person.calendar_open:
        raise Http404
    now = timezone.now()
    groups = Membership.objects.filter(person=person).values("group_id")
    since = now - datetime.timedelta(days=365)
    meetings = Meeting.objects.filter(group_id__in=groups, starts_on__gte=since.date())
    deadlines = Consultation.objects.filter(
        audience_id__in=groups, closes_at__gte=now - datetime.timedelta(days=30)
    ).select_related("version__document")
    # the same rules as the pages: items they own, events they may see
    items = ActionItem.objects.open().filter(due_on__isnull=False).owned_by(person.user)
    events = selectors.events_visible_to(person.user).filter(starts_on__gte=since.date())
    language = person.user.language if person.user_id else settings.LANGUAGE_CODE
    with translation.override(language):
        body = calendar.feed(
            [calendar.meeting_entry(m) for m in meetings.select_related("group")]
            + [calendar.deadline_entry(c) for c in deadlines]
            + [calendar.action_item_entry(i) for i in items]
            + [calendar.event_entry(e) for e in events]
        )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
