from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionItem, Group, Meeting


class ActionItemFilterForm(forms.Form):
    """The filters of the action-item list; every choice is limited to what the user may see."""

    mine = forms.BooleanField(label=_("Only mine"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open or in progress")),
            ("all", _("Any status")),
            *ActionItem.Status.choices,
        ],
    )
    group = forms.ModelChoiceField(label=_("Group"), required=False, queryset=Group.objects.none())
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), required=False, queryset=Meeting.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Group.objects.all() if user.is_secretariat else Group.objects.of_user(user)
        self.fields["group"].queryset = groups
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user).select_related("group")

    def filter(self, queryset, *, user, today):
        data = self.cleaned_data
        if data.get("mine"):
            queryset = queryset.owned_by(user)
        status = data.get("status")
        if status == "all":
            pass
        elif status:
            queryset = queryset.filter(status=status)
        else:
            queryset = queryset.open()
        if data.get("overdue"):
            queryset = queryset.overdue(today)
        if data.get("group"):
            queryset = queryset.filter(meeting__group=data["group"])
        if data.get("meeting"):
            queryset = queryset.filter(meeting=data["meeting"])
        return queryset


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActionItem.Status.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)
