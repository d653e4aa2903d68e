"""The site's one language selector (in the navbar)."""

from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .services import user_language_set


@require_POST
def language_set(request):
    """Django's set_language (the cookie, and back to the page), and, for a signed-in reader,
    the account's language too: the pages (see middleware.user_language) and the emails follow
    it on every device, so what the selector shows and what arrives by email never disagree."""
    response = set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
