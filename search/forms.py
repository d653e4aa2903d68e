from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import records


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the record"),
        max_length=records.MAX_LENGTH,
        error_messages={
            "required": _("Type a word or two to search for."),
            "max_length": _(
                "Search for at most %(limit_value)d characters (this search has %(show_value)d): "
                "a few words find more than a pasted paragraph."
            ),
        },
    )
    kind = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_q(self):
        text = self.cleaned_data["q"]
        if not records.Terms(text).words:
            raise ValidationError(
                _(
                    "Type at least one word to look for: punctuation alone, or only words to "
                    "leave out, finds nothing."
                )
            )
        return text

    def clean_kind(self):
        """One kind of record alone (the "more" link); anything else shows every kind."""
        kind = self.cleaned_data["kind"]
        return kind if kind in {each.key for each in records.KINDS} else ""
