from django import template

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
