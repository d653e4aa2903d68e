import copy

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils import timezone

register = template.Library()


def date_hierarchy_by_span(cl):
    """The admin's date drill-down, whose first level lists every year from the first row's to
    the last row's, found by two lookups in the field's index. Django lists only the years
    that have rows, by truncating the date of every row: 0.2 s for 100,000 action items on
    SQLite, on every page of the list. A chosen year, month or day is Django's own, in that
    range of the index."""
    name = cl.date_hierarchy
    if any(key.startswith(f"{name}__") for key in cl.params):
        return date_hierarchy(cl)
    dated = cl.queryset.filter(**{f"{name}__isnull": False}).values_list(name, flat=True)
    first = dated.order_by(name).first()
    if first is None:
        return {"show": True, "back": None, "choices": []}
    last = dated.order_by(f"-{name}").first()
    if isinstance(get_fields_from_path(cl.model, name)[-1], models.DateTimeField):
        first, last = (timezone.localtime(moment) for moment in (first, last))
    if first.year == last.year:  # Django then opens that year, or that month, at once
        opened = copy.copy(cl)
        opened.params = {**cl.params, f"{name}__year": str(first.year)}
        if first.month == last.month:
            opened.params[f"{name}__month"] = str(first.month)
        return date_hierarchy(opened)
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{name}__year": str(year)}, [f"{name}__"]),
                "title": year,
            }
            for year in range(first.year, last.year + 1)
        ],
    }


@register.tag(name="date_hierarchy_by_span")
def date_hierarchy_by_span_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=date_hierarchy_by_span,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
