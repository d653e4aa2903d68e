"""The consultation cycle: versions are published and shared, members comment within the
window, the secretariat disposes of each comment, and a meeting's decision adopts a version.

Every function here is one transaction and the only way the site, the admin and the demo
change that state. Each writes through `save(update_fields=...)` (after a conditional update
where two people may race), so django-simple-history keeps every change with who made it.
"""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .history import save_with_history
from .models import (
    ActionItem,
    Comment,
    Consultation,
    Decision,
    Document,
    DocumentVersion,
    Group,
    Membership,
    NoCommentStatement,
    Person,
    User,
)
from .selectors import comments_already_made, respondents_with_responses, response_of
from .services import action_item_record_trigger

DEFAULT_WINDOW_DAYS = 14


class ConsultationError(Exception):
    """A refused operation; the message is shown to the user as it is, next to `field` when
    a form's field caused it."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConflictError(ConsultationError):
    """Someone changed the comment meanwhile; nothing was overwritten."""


# --- versions -------------------------------------------------------------------------------


def version_publish(
    *, document: Document, text: str, change_summary: str, by: User | None = None, at=None
) -> DocumentVersion:
    """A new numbered version; the drafts before it are superseded (adopted ones stay)."""
    at = at or timezone.now()
    with transaction.atomic():
        Document.objects.select_for_update().get(pk=document.pk)  # numbers are taken in turn
        version_publish_check(document=document, text=text, at=at)
        last = document.versions.order_by("-number").first()
        _supersede(
            document.versions.filter(
                status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED]
            ),
            by=by,
        )
        version = DocumentVersion(
            document=document,
            number=(last.number + 1) if last else 1,
            text=text,
            change_summary=change_summary,
            status=DocumentVersion.Status.DRAFT,
            created_at=at,
            created_by=by,
        )
        version.full_clean()
        version.save()
    return version


def version_publish_check(*, document: Document, text: str, at=None) -> None:
    """Refuses an empty text, one identical to the latest version (a double submit), and a new
    version while members are still commenting on the previous one: superseding it would end
    their window without telling them (close the consultation first)."""
    at = at or timezone.now()
    if not text.strip():
        raise ConsultationError(_("The text of the new version is empty."), field="text")
    last = document.versions.order_by("-number").first()
    if last and last.text.strip() == text.strip():
        raise ConsultationError(
            _("This text is the same as version %(number)s: nothing new to publish.")
            % {"number": last.number},
            field="text",
        )
    running = (
        Consultation.objects.filter(version__document=document, closes_at__gt=at)
        .select_related("version", "audience")
        .order_by("closes_at")
        .first()
    )
    if running:
        raise ConsultationError(
            _(
                "Version %(number)s is open for comments from %(group)s until %(when)s. "
                "Close that consultation first, or publish after it closes."
            )
            % {
                "number": running.version.number,
                "group": running.audience.name,
                "when": date_format(timezone.localtime(running.closes_at), "DATETIME_FORMAT"),
            }
        )


def _supersede(versions, *, by: User | None) -> None:
    """Each superseded version is saved on its own, so its history shows the change."""
    for version in versions.select_for_update():
        version.status = DocumentVersion.Status.SUPERSEDED
        save_with_history(version, ["status"], by=by)


def version_share(*, version: DocumentVersion, at=None, by: User | None = None) -> DocumentVersion:
    """Shares a draft for comment; action items waiting on this document start their clock."""
    at = at or timezone.now()
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in (DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED):
            raise ConsultationError(
                _("Only a draft can be shared; this version is “%(status)s”.")
                % {"status": version.get_status_display()}
            )
        if version.shared_at is None:
            version.status = DocumentVersion.Status.SHARED
            version.shared_at = at
            save_with_history(version, ["status", "shared_at"], by=by)
        waiting = ActionItem.objects.filter(
            trigger_document_id=version.document_id,
            due_days_after_trigger__isnull=False,
            triggered_at__isnull=True,
        )
        for item in waiting:
            action_item_record_trigger(action_item=item, at=at, by=by)
    return version


def version_adopt(
    *, version: DocumentVersion, decision: Decision, by: User | None = None
) -> DocumentVersion:
    """A meeting's decision adopts the version: it becomes final, earlier drafts superseded.

    A superseded draft is no longer the text under discussion, and a version still open for
    comments is not adopted over the members' heads (close the consultation first).
    """
    with transaction.atomic():
        Document.objects.select_for_update().get(pk=version.document_id)
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        version_adopt_check(version=version)
        if decision.adopts_version_id != version.pk:
            decision.adopts_version = version
            save_with_history(decision, ["adopts_version"], by=by)
        if version.status != DocumentVersion.Status.ADOPTED:
            version.status = DocumentVersion.Status.ADOPTED
            save_with_history(version, ["status"], by=by)
        _supersede(
            DocumentVersion.objects.filter(
                document_id=version.document_id,
                number__lt=version.number,
                status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED],
            ),
            by=by,
        )
    return version


def version_adopt_check(*, version: DocumentVersion) -> None:
    if version.status == DocumentVersion.Status.SUPERSEDED:
        raise ConsultationError(
            _("Version %(number)s was superseded; adopt the latest version instead.")
            % {"number": version.number}
        )
    if version.consultations.filter(closes_at__gt=timezone.now()).exists():
        raise ConsultationError(
            _("Version %(number)s is still open for comments; close the consultation first.")
            % {"number": version.number}
        )


def version_to_start_from(document: Document) -> DocumentVersion | None:
    """A new draft starts from the adopted version if there is one, else from the latest."""
    versions = document.versions.order_by("-number")
    return versions.filter(status=DocumentVersion.Status.ADOPTED).first() or versions.first()


def latest_text_to_start_from(document: Document) -> str:
    latest = version_to_start_from(document)
    return latest.text if latest else ""


# --- consultations --------------------------------------------------------------------------


def default_closes_at(opens_at: datetime.datetime, time_zone: str | None = None):
    """14 days after opening, at the end of that day in the meeting's or secretariat's zone."""
    tz = zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)
    day = timezone.localtime(opens_at, tz).date() + datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=tz)


def consultation_open(
    *,
    version: DocumentVersion,
    audience: Group,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    comments_private: bool = False,
    by: User | None = None,
) -> Consultation:
    """Opens a draft or shared version to a group; sharing it starts the waiting clocks."""
    opens_at = opens_at or timezone.now()
    closes_at = closes_at or default_closes_at(opens_at)
    with transaction.atomic():
        # The document first, as version_publish takes it: a new version and a new window on
        # the same document are decided one after the other.
        Document.objects.select_for_update().get(pk=version.document_id)
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        consultation_open_check(
            version=version, audience=audience, opens_at=opens_at, closes_at=closes_at
        )
        if version.status == DocumentVersion.Status.DRAFT:
            version = version_share(version=version, at=min(opens_at, timezone.now()), by=by)
        consultation = Consultation(
            version=version,
            audience=audience,
            opens_at=opens_at,
            closes_at=closes_at,
            comments_private=comments_private,
            created_by=by,
        )
        consultation.full_clean()
        consultation.save()
    return consultation


def consultation_open_check(
    *,
    version: DocumentVersion,
    audience: Group,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> None:
    """Superseded and adopted versions are no longer under discussion, and a group comments on
    one document in one window at a time (overlapping windows would remind twice)."""
    if closes_at <= opens_at:
        raise ConsultationError(_("The window must close after it opens."))
    if version.status not in (DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED):
        raise ConsultationError(
            _(
                "Only a draft or a shared version can be opened for comments; "
                "this one is “%(status)s”."
            )
            % {"status": version.get_status_display()}
        )
    if Consultation.objects.filter(
        version__document_id=version.document_id,
        audience=audience,
        opens_at__lt=closes_at,
        closes_at__gt=opens_at,
    ).exists():
        raise ConsultationError(
            _(
                "%(group)s already has a consultation on this document whose window "
                "overlaps these dates."
            )
            % {"group": audience.name}
        )


def consultation_close(
    *, consultation: Consultation, by: User | None = None, at: datetime.datetime | None = None
) -> Consultation:
    """Ends the window now (e.g. before a revised draft): comments after this are refused, and
    members are told it closed. One that has not opened yet is deleted instead (a cancel)."""
    at = at or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.has_opened(at):
            raise ConsultationError(
                _("This consultation has not opened yet: delete it instead of closing it.")
            )
        if consultation.has_closed(at):
            raise ConsultationError(_("This consultation has already closed."))
        consultation.closes_at = at
        save_with_history(consultation, ["closes_at"], by=by)
    return consultation


def is_in_audience(person: Person | None, consultation: Consultation) -> bool:
    return (
        person is not None
        and Membership.objects.filter(person=person, group_id=consultation.audience_id).exists()
    )


def _check_window(consultation: Consultation, at: datetime.datetime) -> None:
    if not consultation.has_opened(at):
        raise ConsultationError(
            _("Comments open on %(when)s; your text is kept below, send it then.")
            % {"when": date_format(timezone.localtime(consultation.opens_at), "DATETIME_FORMAT")}
        )
    if consultation.has_closed(at):
        raise ConsultationError(
            _(
                "The consultation closed on %(when)s, so comments are no longer accepted. "
                "Your text is kept below: copy it if you wish to send it to the Secretariat."
            )
            % {"when": date_format(timezone.localtime(consultation.closes_at), _("j F Y, H:i:s"))}
        )


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ConsultationError(_("Write your comment before sending it."))
    if len(text) > Comment.MAX_LENGTH:
        raise ConsultationError(
            _("Comments are limited to %(limit)d characters; this one has %(count)d.")
            % {"limit": Comment.MAX_LENGTH, "count": len(text)}
        )
    return text


def comment_submit(
    *,
    consultation: Consultation,
    author: Person,
    paragraph: str,
    text: str,
    submission_key: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> Comment:
    """A member's comment on a paragraph ("" for the whole text), while the window is open.

    The same submission key twice (a double-clicked button) gives back the first comment.
    """
    at = at or timezone.now()
    if submission_key:
        existing = _submitted_with(submission_key, consultation=consultation, author=author)
        if existing:
            return existing
    comment_submit_check(consultation=consultation, author=author, at=at)
    text = _check_text(text)
    paragraph = (paragraph or "").strip()
    if paragraph and consultation.version.paragraph(paragraph) is None:
        raise ConsultationError(
            _("Paragraph %(number)s does not exist in version %(version)s.")
            % {"number": paragraph, "version": consultation.version.number}
        )
    try:
        with transaction.atomic():
            comment = Comment(
                consultation=consultation,
                author=author,
                paragraph=paragraph,
                text=text,
                created_at=at,
                updated_at=at,
                submission_key=submission_key,
            )
            comment._history_user = author.user
            comment.save()
            _take_back_finished(consultation=consultation, person=author)
            return comment
    except IntegrityError:  # the same key, sent twice at the same moment
        return _submitted_with(submission_key, consultation=consultation, author=author)


def comment_submit_check(
    *, consultation: Consultation, author: Person | None, at: datetime.datetime | None = None
) -> None:
    """Whether this person may comment now: the window is open and they are of its audience
    (a typed comment, and a Word file before it is read)."""
    _check_window(consultation, at or timezone.now())
    if not is_in_audience(author, consultation):
        raise ConsultationError(_("Only members of %(group)s comment here.") % {
            "group": consultation.audience.name
        })  # fmt: skip


def comments_submit_from_word(
    *,
    consultation: Consultation,
    author: Person,
    comments: list[tuple[str, str]],
    submission_key: uuid.UUID,
    at: datetime.datetime | None = None,
) -> list[Comment]:
    """A member's comments taken from their Word file, all or none, each by `comment_submit`
    (the same window, audience and paragraph rules as a typed one). Each takes its key from
    the confirmation's one key, so the confirmation sent twice saves them once; a comment the
    author already made (the same file uploaded again) is not made a second time."""
    if not comments:
        raise ConsultationError(_("There are no comments to save."))
    at = at or timezone.now()
    keys = [uuid.uuid5(submission_key, str(index)) for index in range(len(comments))]
    with transaction.atomic():
        made = comments_already_made(consultation, author)
        sent = set(
            Comment.objects.filter(submission_key__in=keys).values_list("submission_key", flat=True)
        )
        return [
            comment_submit(
                consultation=consultation,
                author=author,
                paragraph=paragraph,
                text=text,
                submission_key=key,
                at=at,
            )
            for key, (paragraph, text) in zip(keys, comments, strict=True)
            if key in sent or (paragraph.strip(), text.strip()) not in made
        ]


def _submitted_with(key: uuid.UUID, *, consultation: Consultation, author: Person):
    """The comment this form already created, if it was this author's, in this consultation.

    A key seen elsewhere (a replayed or forged form) is refused rather than answered with
    someone else's comment.
    """
    existing = Comment.objects.filter(submission_key=key).first()
    if existing is None:
        return None
    if existing.consultation_id != consultation.pk or existing.author_id != author.pk:
        raise ConsultationError(_("This form was already used. Reload the page and send again."))
    return existing


def _own_comment(comment: Comment, author: Person) -> None:
    if comment.author_id != author.pk:
        raise ConsultationError(_("You can change only your own comments."))
    if comment.withdrawn_at:
        raise ConsultationError(_("This comment was withdrawn."))


def comment_edit(*, comment: Comment, author: Person, text: str, revision: int, at=None) -> Comment:
    """Edits refuse to overwrite a change made meanwhile (in another tab, say)."""
    at = at or timezone.now()
    _own_comment(comment, author)
    _check_window(comment.consultation, at)
    text = _check_text(text)
    with transaction.atomic():
        # The conditional update decides who wins a race; the save records the history.
        won = Comment.objects.filter(pk=comment.pk, revision=revision, withdrawn_at=None).update(
            revision=revision + 1
        )
        if not won:
            raise ConflictError(
                _(
                    "This comment was changed meanwhile (perhaps in another window). "
                    "Nothing was overwritten: your text is kept below, next to the latest version."
                )
            )
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.text, comment.updated_at = text, at
        save_with_history(comment, ["text", "updated_at", "revision"], by=author.user)
    return comment


def comment_withdraw(*, comment: Comment, author: Person, at=None) -> Comment:
    at = at or timezone.now()
    _own_comment(comment, author)
    _check_window(comment.consultation, at)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.withdrawn_at:
            raise ConsultationError(_("This comment was withdrawn."))
        comment.withdrawn_at, comment.revision = at, comment.revision + 1
        save_with_history(comment, ["withdrawn_at", "revision"], by=author.user)
    return comment


def no_comments_state(*, consultation: Consultation, person: Person, at=None):
    """The member's word that they have no (more) comments: “I have no comments” before
    commenting, “I have finished” after. Said twice, it stays the first word."""
    at = at or timezone.now()
    _check_window(consultation, at)
    if not is_in_audience(person, consultation):
        raise ConsultationError(_("Only members of %(group)s respond here.") % {
            "group": consultation.audience.name
        })  # fmt: skip
    statement = NoCommentStatement.objects.filter(consultation=consultation, person=person).first()
    if statement is not None:
        return statement
    statement = NoCommentStatement(consultation=consultation, person=person, stated_at=at)
    statement._history_user = person.user
    try:
        with transaction.atomic():
            statement.save()
    except IntegrityError:  # the same word, sent twice at the same moment
        statement = NoCommentStatement.objects.get(consultation=consultation, person=person)
    return statement


def no_comments_withdraw(*, consultation: Consultation, person: Person, at=None) -> None:
    """Takes the word back while the window is open: the member is working on comments again."""
    at = at or timezone.now()
    _check_window(consultation, at)
    with transaction.atomic():
        if not _take_back_finished(consultation=consultation, person=person):
            raise ConsultationError(
                _("You had not said that you have finished or have no comments.")
            )


def _take_back_finished(*, consultation: Consultation, person: Person) -> bool:
    """Deletes the member's word, if any, one row at a time so that the history records it."""
    taken = False
    for statement in NoCommentStatement.objects.select_for_update().filter(
        consultation=consultation, person=person
    ):
        statement._history_user = person.user
        statement.delete()
        taken = True
    return taken


def responses(consultation: Consultation) -> list[dict]:
    """Each member asked to respond, and their response (for the secretariat), by name."""
    members = (
        respondents_with_responses(consultation)
        .select_related("person__organisation")
        .order_by("person__full_name", "pk")
    )
    return [{"person": m.person, "membership": m, "response": response_of(m)} for m in members]


# --- dispositions ---------------------------------------------------------------------------


def comment_dispose(
    *,
    comment: Comment,
    disposition: str,
    reply: str,
    answered_in_paragraph: str = "",
    by: User | None,
    at=None,
) -> Comment:
    """The secretariat's answer to a comment, attributed to the officer who gave it."""
    answered_in_paragraph = comment_dispose_check(
        comment=comment, disposition=disposition, answered_in_paragraph=answered_in_paragraph
    )
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.disposition = disposition
        comment.reply = (reply or "").strip()
        comment.answered_in_paragraph = answered_in_paragraph
        comment.disposed_at = at or timezone.now()
        comment.disposed_by = by
        save_with_history(
            comment,
            ["disposition", "reply", "answered_in_paragraph", "disposed_at", "disposed_by"],
            by=by,
        )
    return comment


def comment_dispose_check(*, comment: Comment, disposition: str, answered_in_paragraph: str) -> str:
    """Refuses an unknown disposition or a paragraph the next version does not have; returns
    the paragraph number as it will be stored."""
    if disposition not in Comment.Disposition.values:
        raise ConsultationError(_("Choose a disposition."))
    answered_in_paragraph = (answered_in_paragraph or "").strip()
    if answered_in_paragraph:
        following = (
            DocumentVersion.objects.filter(
                document_id=comment.consultation.version.document_id,
                number__gt=comment.consultation.version.number,
            )
            .order_by("number")
            .first()
        )
        if following is None:
            raise ConsultationError(
                _("There is no next version yet to point to; publish it first."),
                field="answered_in_paragraph",
            )
        if following.paragraph(answered_in_paragraph) is None:
            raise ConsultationError(
                _("Paragraph %(number)s does not exist in version %(version)s.")
                % {"number": answered_in_paragraph, "version": following.number},
                field="answered_in_paragraph",
            )
    return answered_in_paragraph


def dispositions_publish_check(consultation: Consultation, at=None) -> None:
    """Members see the secretariat's answers once the window has closed and every comment has
    one: a half-answered matrix would read as the final word."""
    if not consultation.has_closed(at or timezone.now()):
        raise ConsultationError(
            _("The consultation is still open: close it first, as comments may still come.")
        )
    waiting = (
        Comment.objects.filter(consultation=consultation).current().filter(disposition="").count()
    )
    if waiting:
        raise ConsultationError(
            ngettext(
                "%(count)d comment has no disposition yet.",
                "%(count)d comments have no disposition yet.",
                waiting,
            )
            % {"count": waiting}
        )


def dispositions_publish(
    *, consultation: Consultation, published: bool = True, by: User | None = None
) -> Consultation:
    """Shows the dispositions to members (see dispositions_publish_check), or hides them."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if published:
            dispositions_publish_check(consultation)
        if consultation.dispositions_published != published:
            consultation.dispositions_published = published
            save_with_history(consultation, ["dispositions_published"], by=by)
    return consultation
