"""The public partner application and its triage: accepted, it becomes an Organisation."""

from django.db import transaction
from django.utils.translation import gettext as _

from coordination.models import Organisation, SubmissionStatus
from coordination.public_forms import TriageError, public_submission_save, submission_triage
from coordination.services import public_submission_notify

from .models import PartnerApplication


def partner_apply(*, form, ip_address: str | None) -> tuple[PartnerApplication, bool]:
    """Stores the application (once per form; spam too, marked), then confirms and tells
    (both emails recorded in the outbox with it, sent after the commit)."""
    with transaction.atomic():  # the record and its emails, or neither
        application, created = public_submission_save(form=form, ip_address=ip_address)
        if created and application.status != SubmissionStatus.SPAM:
            public_submission_notify(
                submission=application,
                confirmation_template="actiongroups/email/partner_confirmation",
                subject=_("We received your application to join Alliance 8.7 as a partner"),
                secretariat_subject=_("New partner application: %(name)s")
                % {"name": application.organisation_name},
                triage_path="/admin/actiongroups/partnerapplication/?status__exact=new",
            )
    return application, created


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
        submission_triage(
            application, status=SubmissionStatus.ACCEPTED, by=by, organisation=organisation
        )
    return organisation


def partner_reject(*, application: PartnerApplication, by, reason: str) -> PartnerApplication:
    if not reason.strip():
        raise TriageError(
            _("Write the reason for rejecting %(name)s first.") % {"name": application}
        )
    return submission_triage(
        application, status=SubmissionStatus.REJECTED, by=by, reason=reason.strip()
    )


def partner_mark_spam(*, application: PartnerApplication, by) -> PartnerApplication:
    return submission_triage(
        application, status=SubmissionStatus.SPAM, by=by, spam_reason="marked by the secretariat"
    )
