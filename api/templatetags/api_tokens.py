"""What Preferences' API tokens section reads (templates/api/_tokens.html), so that the
Preferences view, in coordination, needs nothing from this app."""

from django import template

from api import services
from api.forms import TokenForm

register = template.Library()


@register.simple_tag
def api_tokens_of(user):
    return list(services.tokens_of(user))


@register.simple_tag
def api_token_form():
    return TokenForm()
