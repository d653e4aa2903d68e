"""The lists of action items, meetings and events as CSV or XLSX downloads: the same rows as
each list page, for the same readers (coordination.list_exports)."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, list_exports, selectors
from .forms import ActionItemFilterForm
from .spreadsheets import table_response


@login_required
def action_item_export(request, extension):
    """The list's filters, from the same query string: a value that is not valid is left out,
    as the page leaves it out (the page, where the link is, says which)."""
    access.require_member(request.user)
    today = timezone.localdate()
    form = ActionItemFilterForm(request.GET or None, user=request.user)
    items = form.items(user=request.user, today=today)
    return list_exports.action_items_file(items, today=today, extension=extension)


@login_required
def meeting_export(request, extension, slug=None):
    """All meetings, or one group's (its page's link), refused as their pages refuse them."""
    group = access.get_group_for_user(request.user, slug) if slug else None
    access.require_member(request.user)
    name = f"meetings-{group.slug}" if group else "meetings"
    return table_response(
        list_exports.MEETING_COLUMNS,
        list_exports.meeting_rows(selectors.meetings_listed(request.user, group=group)),
        extension=extension,
        name=f"{name}-{timezone.localdate().isoformat()}",
        sheet_title=_("Meetings"),
    )


@login_required
def event_export(request, extension):
    access.require_member(request.user)
    today = timezone.localdate()
    return table_response(
        list_exports.EVENT_COLUMNS,
        list_exports.event_rows(*selectors.events_listed(request.user, today=today)),
        extension=extension,
        name=f"events-{today.isoformat()}",
        sheet_title=_("Events"),
    )
