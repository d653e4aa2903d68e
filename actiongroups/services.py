"""The public partner application and its triage: accepted, it becomes an Organisation."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import Organisation, SubmissionStatus
from coordination.public_forms import public_submission_save
from coordination.services import public_submission_notify

from .models import PartnerApplication


class TriageError(Exception):
    """A refused triage step; the message is shown as it is."""


def partner_apply(*, form, ip_address: str | None) -> tuple[PartnerApplication, bool]:
    """Stores the application (once per form; spam too, marked), then confirms and tells."""
    application, created = public_submission_save(form=form, ip_address=ip_address)
    if created and application.status != SubmissionStatus.SPAM:
        public_submission_notify(
            submission=application,
            confirmation_template="actiongroups/email/partner_confirmation.txt",
            subject=_("We received your application to join Alliance 8.7 as a partner"),
            secretariat_subject=_("New partner application: %(name)s")
            % {"name": application.organisation_name},
            triage_path="/admin/actiongroups/partnerapplication/?status__exact=new",
        )
    return application, created


def _triaged(application, status, by, **fields):
    updated = PartnerApplication.objects.filter(
        pk=application.pk, status__in=[SubmissionStatus.NEW, SubmissionStatus.SPAM]
    ).update(status=status, triaged_by=by, triaged_at=timezone.now(), **fields)
    if not updated:
        raise TriageError(_("%(name)s was already triaged.") % {"name": application})
    application.refresh_from_db()
    return application


def partner_accept(*, application: PartnerApplication, by) -> Organisation:
    """The organisation joins (or is found among) the Alliance's organisations."""
    with transaction.atomic():
        organisation, _created = Organisation.objects.get_or_create(
            name=application.organisation_name,
            defaults={
                "kind": application.kind,
                "country": application.country,
                "website": application.website,
            },
        )
        _triaged(application, SubmissionStatus.ACCEPTED, by, organisation=organisation)
    return organisation


def partner_reject(*, application: PartnerApplication, by, reason: str) -> PartnerApplication:
    if not reason.strip():
        raise TriageError(
            _("Write the reason for rejecting %(name)s first.") % {"name": application}
        )
    return _triaged(application, SubmissionStatus.REJECTED, by, reason=reason.strip())


def partner_mark_spam(*, application: PartnerApplication, by) -> PartnerApplication:
    return _triaged(application, SubmissionStatus.SPAM, by, spam_reason="marked by the secretariat")
