"""What changes an action group: its work plan (the chairs and the secretariat, from the site
or the admin) and the public partner application and its triage (accepted, an Organisation).

The work plan's functions are the only writers of activities: each keeps the history of the
activity with who changed it, and dates the group's work plan with them."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.history import save_with_history
from coordination.models import Organisation, SubmissionStatus, User
from coordination.public_forms import TriageError, submission_triage
from coordination.services import public_submission_receive

from .models import ActionGroup, Activity, PartnerApplication

# --- the work plan --------------------------------------------------------------------------


def activity_save(*, activity: Activity, by: User | None = None, at=None) -> Activity:
    """Adds or edits an activity (validated by its form); one without a position goes last.
    `at`: when the work plan changed, if not now (the demo's records of 2018)."""
    with transaction.atomic():
        if activity.order is None:
            others = Activity.objects.filter(action_group_id=activity.action_group_id)
            last = others.exclude(pk=activity.pk).aggregate(last=Max("order"))["last"]
            activity.order = (last or 0) + 1
        activity.full_clean()
        save_with_history(activity, None, by=by)
        _work_plan_updated(activity.action_group_id, by=by, at=at)
    return activity


def activity_set_status(*, activity: Activity, status: str, by: User | None = None) -> Activity:
    """Planned → underway → done (or back): the one change a chair makes most often."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != status:
            locked.status = status
            locked.full_clean()
            save_with_history(locked, ["status"], by=by)
            _work_plan_updated(locked.action_group_id, by=by)
    activity.status = locked.status
    return locked


def activity_remove(*, activity: Activity, by: User | None = None) -> None:
    """The history keeps the removed activity, with who removed it."""
    with transaction.atomic():
        activity._history_user = by
        activity.delete()
        _work_plan_updated(activity.action_group_id, by=by)


def action_group_summary_save(
    *, action_group: ActionGroup, summary: str, by: User | None = None
) -> ActionGroup:
    """Where the group stands, in the chair's words (Markdown), shown on the group's page."""
    with transaction.atomic():
        locked = ActionGroup.objects.select_for_update().get(pk=action_group.pk)
        if locked.summary != summary:
            locked.summary = summary
            locked.full_clean()
            save_with_history(locked, ["summary"], by=by)
            _work_plan_updated(locked.pk, by=by)
    action_group.summary = summary
    return locked


def _work_plan_updated(action_group_id: int, *, by: User | None, at=None) -> None:
    """Dates the work plan (fields left out of the group's history: each change is already in
    the history of what changed), so the dashboard says how current it is."""
    ActionGroup.objects.filter(pk=action_group_id).update(
        work_plan_updated_at=at or timezone.now(), work_plan_updated_by=by
    )


# --- the partner application ----------------------------------------------------------------


def partner_apply(*, form, ip_address: str | None) -> tuple[PartnerApplication, bool]:
    """Stores the application, then confirms and tells (coordination's
    public_submission_receive)."""
    return public_submission_receive(form=form, ip_address=ip_address, notice=_partner_notice)


def _partner_notice(application: PartnerApplication) -> dict:
    return {
        "confirmation_template": "actiongroups/email/partner_confirmation",
        "subject": gettext_lazy("We received your application to join Alliance 8.7 as a partner"),
        "secretariat_subject": lambda: (
            _("New partner application: %(name)s") % {"name": application.organisation_name}
        ),
        "triage_path": "/admin/actiongroups/partnerapplication/?status__exact=new",
    }


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
