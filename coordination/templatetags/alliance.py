from django import template
from django.urls import reverse
from django.utils.html import format_html

from coordination.navigation import section_of
from coordination.text import render_markdown, to_roman

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def roman(number):
    return to_roman(int(number))


@register.simple_tag
def due_label(item, today):
    return str(item.due_label(today))  # a plain string, also where autoescape is off (emails)


@register.simple_tag
def is_overdue(item, today):
    return item.is_overdue(today)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label, css_class="nav-link"):
    """A navbar link. The link of the page's own section says so to screen readers
    (aria-current) and shows it (the "active" style)."""
    if section_of(url_name) == context.get("nav_section"):
        return format_html(
            '<a class="{} active" href="{}" aria-current="page">{}</a>',
            css_class,
            reverse(url_name),
            label,
        )
    return format_html('<a class="{}" href="{}">{}</a>', css_class, reverse(url_name), label)
