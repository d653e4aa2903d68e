from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.public_forms import PublicForm

from .models import PartnerApplication


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
