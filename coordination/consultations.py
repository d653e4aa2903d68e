"""The consultation cycle: versions are published and shared, members comment within the
window, the secretariat disposes of each comment, and a meeting's decision adopts a version.

Every function here is one transaction and the only way the site, the admin and the demo
change that state.
"""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
from .services import action_item_record_trigger

DEFAULT_WINDOW_DAYS = 14


class ConsultationError(Exception):
    """A refused operation; the message is shown to the user as it is."""


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
        version_publish_check(document=document, text=text)
        last = document.versions.order_by("-number").first()
        document.versions.filter(
            status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED]
        ).update(status=DocumentVersion.Status.SUPERSEDED)
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


def version_publish_check(*, document: Document, text: str) -> None:
    """Refuses an empty text, or one identical to the latest version (a double submit)."""
    if not text.strip():
        raise ConsultationError(_("The text of the new version is empty."))
    last = document.versions.order_by("-number").first()
    if last and last.text.strip() == text.strip():
        raise ConsultationError(
            _("This text is the same as version %(number)s: nothing new to publish.")
            % {"number": last.number}
        )


def version_share(*, version: DocumentVersion, at=None) -> DocumentVersion:
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
            version.save(update_fields=["status", "shared_at"])
        waiting = ActionItem.objects.filter(
            trigger_document_id=version.document_id,
            due_days_after_trigger__isnull=False,
            triggered_at__isnull=True,
        )
        for item in waiting:
            action_item_record_trigger(action_item=item, at=at)
    return version


def version_adopt(*, version: DocumentVersion, decision: Decision) -> DocumentVersion:
    """A meeting's decision adopts the version: it becomes final, earlier drafts superseded."""
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if decision.adopts_version_id != version.pk:
            decision.adopts_version = version
            decision.save(update_fields=["adopts_version"])
        version.status = DocumentVersion.Status.ADOPTED
        version.save(update_fields=["status"])
        DocumentVersion.objects.filter(
            document_id=version.document_id,
            number__lt=version.number,
            status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED],
        ).update(status=DocumentVersion.Status.SUPERSEDED)
    return version


def latest_text_to_start_from(document: Document) -> str:
    """A new draft starts from the adopted version if there is one, else from the latest."""
    versions = document.versions.order_by("-number")
    adopted = versions.filter(status=DocumentVersion.Status.ADOPTED).first()
    latest = adopted or versions.first()
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
    opens_at = opens_at or timezone.now()
    closes_at = closes_at or default_closes_at(opens_at)
    if closes_at <= opens_at:
        raise ConsultationError(_("The window must close after it opens."))
    with transaction.atomic():
        DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if Consultation.objects.filter(
            version=version, audience=audience, closes_at__gt=opens_at
        ).exists():
            raise ConsultationError(
                _("This version is already open (or about to open) for comments from %(group)s.")
                % {"group": audience.name}
            )
        if version.status == DocumentVersion.Status.DRAFT:
            version = version_share(version=version, at=min(opens_at, timezone.now()))
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


def is_in_audience(person: Person | None, consultation: Consultation) -> bool:
    return (
        person is not None
        and Membership.objects.filter(person=person, group_id=consultation.audience_id).exists()
    )


def _check_window(consultation: Consultation, at: datetime.datetime) -> None:
    if not consultation.has_opened(at):
        raise ConsultationError(
            _("Comments open on %(when)s; your text is kept below, send it then.")
            % {"when": date_format(timezone.localtime(consultation.opens_at), "j F Y, H:i")}
        )
    if consultation.has_closed(at):
        raise ConsultationError(
            _(
                "The consultation closed on %(when)s, so comments are no longer accepted. "
                "Your text is kept below: copy it if you wish to send it to the Secretariat."
            )
            % {"when": date_format(timezone.localtime(consultation.closes_at), "j F Y, H:i:s")}
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
        existing = Comment.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    _check_window(consultation, at)
    text = _check_text(text)
    paragraph = (paragraph or "").strip()
    if paragraph and consultation.version.paragraph(paragraph) is None:
        raise ConsultationError(
            _("Paragraph %(number)s does not exist in version %(version)s.")
            % {"number": paragraph, "version": consultation.version.number}
        )
    if not is_in_audience(author, consultation):
        raise ConsultationError(_("Only members of %(group)s comment here.") % {
            "group": consultation.audience.name
        })  # fmt: skip
    try:
        with transaction.atomic():
            return Comment.objects.create(
                consultation=consultation,
                author=author,
                paragraph=paragraph,
                text=text,
                created_at=at,
                updated_at=at,
                submission_key=submission_key,
            )
    except IntegrityError:  # the same key, sent twice at the same moment
        return Comment.objects.get(submission_key=submission_key)


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
    updated = Comment.objects.filter(pk=comment.pk, revision=revision, withdrawn_at=None).update(
        text=text, updated_at=at, revision=revision + 1
    )
    if not updated:
        raise ConflictError(
            _(
                "This comment was changed meanwhile (perhaps in another window). "
                "Nothing was overwritten: your text is kept below, next to the latest version."
            )
        )
    comment.refresh_from_db()
    return comment


def comment_withdraw(*, comment: Comment, author: Person, at=None) -> Comment:
    at = at or timezone.now()
    _own_comment(comment, author)
    _check_window(comment.consultation, at)
    Comment.objects.filter(pk=comment.pk).update(withdrawn_at=at, revision=comment.revision + 1)
    comment.refresh_from_db()
    return comment


def no_comments_state(*, consultation: Consultation, person: Person, at=None):
    at = at or timezone.now()
    _check_window(consultation, at)
    if not is_in_audience(person, consultation):
        raise ConsultationError(_("Only members of %(group)s respond here.") % {
            "group": consultation.audience.name
        })  # fmt: skip
    statement, _created = NoCommentStatement.objects.get_or_create(
        consultation=consultation, person=person, defaults={"stated_at": at}
    )
    return statement


def responses(consultation: Consultation) -> list[dict]:
    """Each member of the audience, and whether and how they responded (for the secretariat)."""
    commented = dict(
        consultation.comments.current()
        .order_by()
        .values("author_id")
        .annotate(count=Count("pk"))
        .values_list("author_id", "count")
    )
    no_comments = set(consultation.no_comment_statements.values_list("person_id", flat=True))
    rows = []
    members = (
        Membership.objects.filter(group_id=consultation.audience_id)
        .select_related("person__organisation")
        .order_by("person__full_name")
    )
    for membership in members:
        person = membership.person
        rows.append(
            {
                "person": person,
                "membership": membership,
                "comments": commented.get(person.pk, 0),
                "no_comments": person.pk in no_comments,
                "responded": person.pk in commented or person.pk in no_comments,
            }
        )
    return rows


# --- dispositions ---------------------------------------------------------------------------


def comment_dispose(
    *,
    comment: Comment,
    disposition: str,
    reply: str,
    answered_in_paragraph: str = "",
    by: User,
    at=None,
) -> Comment:
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
                _("There is no next version yet to point to; publish it first.")
            )
        if following.paragraph(answered_in_paragraph) is None:
            raise ConsultationError(
                _("Paragraph %(number)s does not exist in version %(version)s.")
                % {"number": answered_in_paragraph, "version": following.number}
            )
    Comment.objects.filter(pk=comment.pk).update(
        disposition=disposition,
        reply=reply.strip(),
        answered_in_paragraph=answered_in_paragraph,
        disposed_at=at or timezone.now(),
        disposed_by=by,
    )
    comment.refresh_from_db()
    return comment


def dispositions_publish(*, consultation: Consultation, published: bool = True) -> Consultation:
    Consultation.objects.filter(pk=consultation.pk).update(dispositions_published=published)
    consultation.refresh_from_db()
    return consultation
