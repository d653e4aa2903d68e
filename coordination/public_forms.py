"""What every public form shares: a honeypot, a minimum fill time, a rate limit per address,
and one record per submission however often the button is pressed.

No third-party service is involved. A submission that looks like spam is stored as spam (the
secretariat can still read it), and the sender sees the same confirmation as anyone else.
"""

import datetime
import uuid

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import client_ip

FORM_SALT = "alliance87.public-form"


class PublicForm(forms.Form):
    """Mixed into the public ModelForms: the hidden fields that tell people from robots."""

    # A field people never see (hidden by CSS and from screen readers); robots fill it in.
    website_url = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = signing.dumps(
                {"t": timezone.now().timestamp(), "k": str(uuid.uuid4())}, salt=FORM_SALT
            )

    def token(self) -> dict:
        try:
            return signing.loads(self.data.get("form_token", ""), salt=FORM_SALT)
        except signing.BadSignature:
            return {}

    def submission_key(self) -> uuid.UUID | None:
        key = self.token().get("k")
        return uuid.UUID(key) if key else None

    def spam_reason(self) -> str:
        """Why this submission looks automated, or "" if it looks like a person."""
        if self.cleaned_data.get("website_url"):
            return "honeypot filled"
        started = self.token().get("t")
        if started is None:
            return "missing or forged form token"
        seconds = timezone.now().timestamp() - started
        if seconds < settings.PUBLIC_FORM_MIN_SECONDS:
            return f"filled in {seconds:.1f} s"
        return ""


def is_rate_limited(address: str | None) -> bool:
    """PUBLIC_FORM_RATE_LIMIT submissions from this address in the last hour, counted over
    every public form (spam included), and the next one waits."""
    from .models import PublicSubmission

    if not address:
        return False
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = sum(
        model.objects.filter(ip_address=address, submitted_at__gte=since).count()
        for model in apps.get_models()
        if issubclass(model, PublicSubmission)
    )
    return recent >= settings.PUBLIC_FORM_RATE_LIMIT


def public_submission_save(*, form, ip_address: str | None):
    """Stores what a public form received, once per form, spam included (marked as such).

    Returns (submission, created): a second press of the button gives back the first one.
    """
    from .models import SubmissionStatus

    model = form._meta.model
    key = form.submission_key()
    if key and (existing := model.objects.filter(submission_key=key).first()):
        return existing, False
    spam = form.spam_reason()
    submission = form.save(commit=False)
    submission.ip_address, submission.submission_key = ip_address, key
    if spam:
        submission.status, submission.spam_reason = SubmissionStatus.SPAM, spam
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # the same form sent twice at the same moment
        return model.objects.get(submission_key=key), False
    return submission, True


def public_form_view(request, *, form_class, submit, template: str, done: str):
    """A public form page: refuses floods with a 429 page, keeps what was typed on errors."""
    if request.method == "POST":
        address = client_ip(request)
        if is_rate_limited(address):
            return render(request, "coordination/rate_limited.html", status=429)
        form = form_class(request.POST)
        if form.is_valid():
            submit(form=form, ip_address=address)
            return redirect(done)
    else:
        form = form_class()
    return render(request, template, {"form": form})


class TriageError(Exception):
    """A refused triage step; the message is shown as it is."""


def submission_triage(submission, *, status: str, by, **fields):
    """Records the secretariat's decision with who and when; only a new submission (or one
    marked as spam) can be decided, so two officers never decide the same one twice."""
    from .models import SubmissionStatus

    updated = (
        type(submission)
        .objects.filter(pk=submission.pk, status__in=[SubmissionStatus.NEW, SubmissionStatus.SPAM])
        .update(status=status, triaged_by=by, triaged_at=timezone.now(), **fields)
    )
    if not updated:
        raise TriageError(_("This submission was already triaged."))
    submission.refresh_from_db()
    return submission
