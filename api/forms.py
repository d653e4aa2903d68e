import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

# How long a new token works, in days: a year unless the person chooses less.
LIFETIME_CHOICES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
]
DEFAULT_LIFETIME_DAYS = 365


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What uses it, e.g. “Reporting spreadsheet”."),
    )
    lifetime = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=LIFETIME_CHOICES,
        coerce=int,
        initial=DEFAULT_LIFETIME_DAYS,
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    @property
    def lifetime_delta(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.cleaned_data["lifetime"])
