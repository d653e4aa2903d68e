import copy

from django import template
from django.conf import settings
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils import timezone

from coordination import caching

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


class KeptNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        cl, request = context.get("cl"), context.get("request")
        model_admin = getattr(cl, "model_admin", None)
        if (
            not getattr(model_admin, "list_kept_until_change", False)
            or request is None
            or request.method != "GET"  # only what a plain visit shows is kept
            or cl.formset  # list_editable: its inputs carry what was typed and its errors
            or not settings.FRAGMENT_CACHE_SECONDS  # nothing kept: what it varies on is not read
        ):
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = (request.user.pk, request.get_full_path(), *model_admin.list_vary(name, cl))
        return caching.fragment(
            request,
            f"admin:{cl.opts.label_lower}:{name}",
            vary,
            lambda: self.nodelist.render(context),
        )


@register.tag(name="kept")
def kept_tag(parser, token):
    """`{% kept "results" %}…{% endkept %}`: a piece of an admin list kept rendered until the
    record changes (coordination.caching), for the user and the full query string (filters,
    search, order, page, popup, date drill-down), when its admin asks for it
    (`list_kept_until_change`). Nothing inside may hold a CSRF token: the list's form keeps
    its token outside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the name of the piece it keeps")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(bits[1]))
