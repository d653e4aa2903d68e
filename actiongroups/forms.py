from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.public_forms import PublicForm

from .models import ActionGroup, Activity, PartnerApplication


class PartnerApplicationForm(PublicForm, forms.ModelForm):
    class Meta:
        model = PartnerApplication
        fields = [
            "organisation_name", "kind", "country", "website", "contact_name", "email", "phone",
            "commitment",
        ]  # fmt: skip
        labels = {"kind": _("Kind of organisation (constituency)")}
        widgets = {"commitment": forms.Textarea(attrs={"rows": 5, "maxlength": 5000})}
        help_texts = {
            "commitment": _("What your organisation commits to do towards SDG target 8.7.")
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActivityForm(forms.ModelForm):
    """An activity of the work plan, added or edited by the group's chair or the secretariat."""

    class Meta:
        model = Activity
        fields = ["title", "kind", "status", "when", "starts_on", "ends_on", "description", "order"]
        labels = {"order": _("Position in the work plan")}
        help_texts = {
            "when": _("As it reads, e.g. “early 2019”; or give the dates below."),
            "description": _("Markdown."),
            "order": _("Empty: last."),
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False


class ActivityStatusForm(forms.Form):
    """The status of one activity, changed from the work plan's list (one form per row, each
    with its own prefix and a label naming its activity)."""

    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)

    def __init__(self, data=None, *, activity: Activity):
        super().__init__(
            data, prefix=f"activity-{activity.pk}", initial={"status": activity.status}
        )
        self.activity = activity
        self.fields["status"].label = _("Status of “%(title)s”") % {"title": activity.title}


class SummaryForm(forms.ModelForm):
    class Meta:
        model = ActionGroup
        fields = ["summary"]
        labels = {"summary": _("Where the group stands")}
        help_texts = {
            "summary": _("Shown at the top of the group's page, to every member. Markdown.")
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
