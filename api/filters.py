"""The filters of each endpoint: `since` and `until` (dates, both included) on the record's main
date, `group` (a group's slug) where the record belongs to a group.

A group the reader may not see filters to an empty list, as an unknown one does: the filter
never says whether a group exists. A date that is not a date is a 400 naming the field."""

import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    ActionItem,
    ActionItemStatus,
    Consultation,
    Document,
    DocumentVersion,
    Event,
    Meeting,
    MeetingStatus,
)
from pathfinders.models import PathfinderCountry, Stage


def date_range(field: str, what: str):
    """`since` and `until` on `field` (a date, or the local date of a time)."""
    return (
        django_filters.DateFilter(
            field_name=field,
            lookup_expr="gte",
            label=format_lazy(_("{what} on or after this date (YYYY-MM-DD)"), what=what),
        ),
        django_filters.DateFilter(
            field_name=field,
            lookup_expr="lte",
            label=format_lazy(_("{what} on or before this date (YYYY-MM-DD)"), what=what),
        ),
    )


def group_filter(field: str):
    return django_filters.CharFilter(
        field_name=f"{field}__slug", label=_("The group's slug, e.g. gcg")
    )


class MeetingFilter(django_filters.FilterSet):
    since, until = date_range("starts_on", _("Starting"))
    group = group_filter("group")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)

    class Meta:
        model = Meeting
        fields = ["since", "until", "group", "status"]


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number the database can hold (a larger one is a 400 naming the field,
    not SQLite's overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class DocumentFilter(django_filters.FilterSet):
    since, until = date_range("created_at__date", _("Created"))
    group = group_filter("owner_group")

    class Meta:
        model = Document
        fields = ["since", "until", "group", "kind"]


class VersionFilter(django_filters.FilterSet):
    since, until = date_range("created_at__date", _("Created"))
    group = group_filter("document__owner_group")
    # by id, not a choice among all documents: an unseen one must read as an unknown one
    document = IdFilter(field_name="document_id", label=_("The document's id"))

    class Meta:
        model = DocumentVersion
        fields = ["since", "until", "group", "document", "status"]


class ActionItemFilter(django_filters.FilterSet):
    since, until = date_range("due_on", _("Due"))
    group = group_filter("meeting__group")
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices)

    class Meta:
        model = ActionItem
        fields = ["since", "until", "group", "status"]


class ConsultationFilter(django_filters.FilterSet):
    since, until = date_range("closes_at__date", _("Closing"))
    group = group_filter("audience")

    class Meta:
        model = Consultation
        fields = ["since", "until", "group"]


class PathfinderCountryFilter(django_filters.FilterSet):
    since, until = date_range("stage_changed_at__date", _("Stage changed"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = PathfinderCountry
        fields = ["since", "until", "stage"]


class EventFilter(django_filters.FilterSet):
    since, until = date_range("starts_on", _("Starting"))
    group = group_filter("notify_groups")

    class Meta:
        model = Event
        fields = ["since", "until", "group"]
