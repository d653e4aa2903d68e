from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from coordination.public_forms import PublicForm

from .models import InterestSubmission, NationalWorkshop, Roadmap, Stage

FOCUS_AREAS = [
    ("focus_child_labour", _("Child labour")),
    ("focus_forced_labour", _("Forced labour")),
    ("focus_human_trafficking", _("Human trafficking")),
    ("focus_modern_slavery", _("Modern slavery")),
]


class InterestForm(PublicForm, forms.ModelForm):
    """The public form a ministry fills in to express interest in becoming a pathfinder."""

    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: [("", "—"), *countries])
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FOCUS_AREAS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or several, as the government chooses."),
    )
    consent_to_contact = forms.BooleanField(
        label=_("The Alliance 8.7 Secretariat may contact me about this request."),
        error_messages={"required": _("We need your consent to contact you about the request.")},
    )

    class Meta:
        model = InterestSubmission
        fields = [
            "country", "institution", "contact_name", "contact_title", "email", "phone",
            "focus_areas", "message", "consent_to_contact",
        ]  # fmt: skip
        labels = {
            "institution": _("Ministry or institution"),
            "contact_title": _("Title or position"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 5000})}

    field_order = [*Meta.fields, "website_url"]

    def clean_focus_areas(self):
        areas = self.cleaned_data["focus_areas"]
        if not areas:
            raise forms.ValidationError(_("Choose at least one focus area."))
        return areas

    def save(self, commit=True):
        submission = super().save(commit=False)
        for name, _label in FOCUS_AREAS:
            setattr(submission, name, name in self.cleaned_data["focus_areas"])
        if commit:
            submission.save()
        return submission


class TriageForm(forms.Form):
    ACTIONS = [
        ("", _("Choose…")),  # no decision preset: one click must not accept
        ("accept", _("Accept")),
        ("merge", _("Merge as a duplicate")),
        ("reject", _("Reject")),
        ("spam", _("Mark as spam")),
    ]
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=ACTIONS,
        error_messages={"required": _("Choose a decision first.")},
    )
    reason = forms.CharField(label=_("Reason (needed to reject)"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for rejecting it."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to stage"), choices=Stage.choices)
    on = forms.DateField(
        label=_("On"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "When it happened (today if empty): the date the stage implies, such as the "
            "formal request's."
        ),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    is_public = forms.BooleanField(label=_("Show on the public page"), required=False)


class WorkshopForm(forms.ModelForm):
    """A national workshop, added or edited from its country's page."""

    class Meta:
        model = NationalWorkshop
        fields = [
            "title", "status", "starts_on", "ends_on", "tentative_period", "city", "organisers",
            "participants_count", "lessons_learned",
        ]  # fmt: skip
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "lessons_learned": forms.Textarea(attrs={"rows": 4}),
        }


class RoadmapForm(forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["adopted_on", "priorities"]
        widgets = {"adopted_on": DateInput(), "priorities": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"priorities": _("Markdown: a list of priorities, one per line.")}
