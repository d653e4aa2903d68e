"""The reader's time zone and language hold for their own request only.

Django keeps the active time zone and language per thread: whatever one request activates, the
next request served by the same thread (or the next test) would start in, unless it is put
back. Responses streamed after the view returns (the CSV exports) are written in the reader's
zone and language all the same: each chunk is made with them active.
"""

import zoneinfo

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone, translation


def user_time_zone(get_response):
    """Times are shown in the reader's own time zone (chosen on the preferences page)."""

    def middleware(request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated and user.time_zone:
            zone = zoneinfo.ZoneInfo(user.time_zone)
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            response = get_response(request)
        finally:
            timezone.deactivate()
        return _streamed_in(response, zone, translation.get_language())

    return middleware


def user_language(get_response):
    """A signed-in reader's pages speak their account's language, the one their emails are
    written in (the navbar's selector saves it there). Placed after AuthenticationMiddleware:
    it overrides what LocaleMiddleware read from the cookie or the browser."""
    languages = dict(settings.LANGUAGES)

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in languages:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware


def language_reset(get_response):
    """LocaleMiddleware activates the request's language and leaves it active: placed before
    it, this puts the default language back once the response is made."""

    def middleware(request):
        try:
            return get_response(request)
        finally:
            translation.deactivate()

    return middleware


def _streamed_in(response, zone, language):
    # A file is sent as it is (and may go through the server's sendfile): nothing to wrap.
    if not response.streaming or response.is_async or isinstance(response, FileResponse):
        return response
    response.streaming_content = _chunks_in(response.streaming_content, zone, language)
    return response


def _chunks_in(chunks, zone, language):
    chunks = iter(chunks)
    while True:
        with timezone.override(zone), translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk
