"""Operations on the pathfinder pipeline and its public interest form.

Every stage change and every triage step is timestamped and attributed.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.history import save_with_history
from coordination.models import SubmissionStatus
from coordination.public_forms import TriageError, submission_triage
from coordination.services import public_submission_receive

from .models import (
    FOCUS_FIELDS,
    InterestSubmission,
    NationalWorkshop,
    PathfinderCountry,
    Roadmap,
    Stage,
    StageChange,
)


def pathfinder_stage_change(
    *,
    country: PathfinderCountry,
    stage: str,
    by=None,
    at: datetime.datetime | None = None,
    note: str = "",
    is_first: bool = False,
    on: datetime.date | None = None,
) -> StageChange:
    """Moves a country to a stage (forwards or back) and records it in the timeline.

    The date the stage implies (the formal request's, the Resident Coordinator's engagement,
    the roadmap's adoption) is set to `on`, or to the day of the change, unless already known.
    is_first: the country was just created at this stage; the timeline starts here.
    """
    at = at or timezone.now()
    on = on or timezone.localdate(at)
    with transaction.atomic():
        locked = PathfinderCountry.objects.select_for_update().get(pk=country.pk)
        change = StageChange(
            country=locked,
            from_stage="" if is_first else locked.stage,
            to_stage=stage,
            changed_at=at,
            changed_by=by,
            note=note,
        )
        change.full_clean()
        change.save()
        locked.stage = stage
        locked.stage_changed_at = at
        fields = ["stage", "stage_changed_at"]
        implied = STAGE_DATES.get(stage)
        if implied and getattr(locked, implied) is None:
            setattr(locked, implied, on)
            setattr(country, implied, on)
            fields.append(implied)
        save_with_history(locked, fields, by=by)
        if stage == Stage.ROADMAP_ADOPTED:
            roadmap = Roadmap.objects.filter(country=locked).first() or Roadmap(country=locked)
            if roadmap.adopted_on is None:
                new = roadmap._state.adding
                roadmap.adopted_on = on
                save_with_history(roadmap, None if new else ["adopted_on"], by=by)
    country.stage, country.stage_changed_at = stage, at
    return change


# The field of the country each stage dates.
STAGE_DATES = {
    Stage.FORMAL_REQUEST: "request_received_on",
    Stage.RC_ENGAGED: "resident_coordinator_engaged_on",
}


def workshop_save(*, workshop: NationalWorkshop, by=None) -> NationalWorkshop:
    """Adds or edits a national workshop (validated by its form); the history says who."""
    workshop.full_clean()
    save_with_history(workshop, None, by=by)
    return workshop


def roadmap_save(*, roadmap: Roadmap, by=None) -> Roadmap:
    roadmap.full_clean()
    save_with_history(roadmap, None, by=by)
    return roadmap


def pathfinder_set_public(
    *, country: PathfinderCountry, is_public: bool, by=None
) -> PathfinderCountry:
    """Shows or hides the country on the public page; the history says who decided."""
    with transaction.atomic():
        locked = PathfinderCountry.objects.select_for_update().get(pk=country.pk)
        if locked.is_public != is_public:
            locked.is_public = is_public
            save_with_history(locked, ["is_public"], by=by)
    country.is_public = is_public
    return country


# --- the public interest form and its triage ------------------------------------------------


def interest_submit(*, form, ip_address: str | None) -> tuple[InterestSubmission, bool]:
    """Stores a submission, then confirms and tells (coordination's public_submission_receive)."""
    return public_submission_receive(form=form, ip_address=ip_address, notice=_interest_notice)


def _interest_notice(submission: InterestSubmission) -> dict:
    return {
        "confirmation_template": "pathfinders/email/interest_confirmation",
        "subject": gettext_lazy(
            "We received your request to join Alliance 8.7 as a pathfinder country"
        ),
        # In each reader's language, the country's name too.
        "secretariat_subject": lambda: (
            _("New pathfinder interest: %(country)s") % {"country": submission.country.name}
        ),
        "triage_path": reverse("pathfinder_triage"),
    }


def submission_accept(*, submission: InterestSubmission, by) -> PathfinderCountry:
    """Creates the pathfinder country at “interest expressed”, or links to the existing one."""
    with transaction.atomic():
        country, created = PathfinderCountry.objects.get_or_create(
            country=submission.country,
            defaults={name: getattr(submission, name) for name in FOCUS_FIELDS},
        )
        if created:
            pathfinder_stage_change(
                country=country,
                stage=Stage.INTEREST,
                by=by,
                note=_("Interest form from %(institution)s")
                % {"institution": submission.institution},
                is_first=True,
            )
        submission_triage(submission, status=SubmissionStatus.ACCEPTED, by=by, pathfinder=country)
    return country


def submission_merge(*, submission: InterestSubmission, by) -> PathfinderCountry:
    country = PathfinderCountry.objects.filter(country=submission.country).first()
    if country is None:
        raise TriageError(
            _("%(country)s is not in the pipeline yet: accept the submission instead.")
            % {"country": submission.country.name}
        )
    submission_triage(submission, status=SubmissionStatus.MERGED, by=by, pathfinder=country)
    return country


def submission_reject(*, submission: InterestSubmission, by, reason: str) -> InterestSubmission:
    if not reason.strip():
        raise TriageError(_("Give the reason for rejecting it."))
    return submission_triage(
        submission, status=SubmissionStatus.REJECTED, by=by, reason=reason.strip()
    )


def submission_mark_spam(*, submission: InterestSubmission, by) -> InterestSubmission:
    return submission_triage(
        submission, status=SubmissionStatus.SPAM, by=by, spam_reason="marked by the secretariat"
    )
