"""The site's one language selector (in the navbar)."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def language_set(request):
    """Django's set_language (the cookie, and back to the page), and, for a signed-in reader,
    the account's language too: the pages (see middleware.user_language) and the emails follow
    it on every device, so what the selector shows and what arrives by email never disagree."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
