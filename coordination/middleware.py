import zoneinfo

from django.utils import timezone


def user_time_zone(get_response):
    """Times are shown in the reader's own time zone (chosen on the preferences page)."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware
