from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, caching, chairs, selectors
from .clients import client_ip
from .forms import ActionItemFilterForm, ActionItemStatusForm, OutboxPasswordResetForm
from .models import (
    ActionItem,
    Consultation,
    Decision,
    Document,
    DocumentVersion,
    Meeting,
    Membership,
)
from .pagination import CappedPaginator
from .password_resets import ResetLimit, password_reset_throttle
from .reports.pdf import pdf_unavailable_reason
from .reports.records import meeting_report_records, meeting_siblings
from .services import ActionItemError, action_item_set_status, action_item_status_check
from .word import writing

PAGE_SIZE = 50
LIST_CAP = 1000  # the action item list counts this far (coordination/pagination.py)


def _today():
    return timezone.localdate()


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "coordination/home.html")


@login_required
def dashboard(request):
    """The action items, the groups and the papers are kept rendered per reader until the
    record changes (coordination.caching), and so are the rows of the consultations not yet
    closed; which of those are open, and their time left, are the clock's, every time. What a
    chair follows of their groups is read every time."""
    user, now = request.user, timezone.now()
    chaired_groups = []
    if user.ownership.chaired_group_ids:  # only a chair pays for the query
        # each group the user chairs, as a chair follows it (includes/chair_groups.html)
        chaired_groups = chairs.chaired_groups_overview(user, _memberships_of(user), now=now)
    # kept per reader until the record changes; which of them are open is the clock's to say
    consultations = caching.kept(
        request, "dashboard-consultations", (user.pk,), lambda: _consultations_not_closed(user, now)
    )
    open_consultations = [c for c in consultations if c.opens_at <= now < c.closes_at][:10]
    return render(
        request,
        "coordination/dashboard.html",
        {
            "chaired_groups": chaired_groups,
            "open_consultations": [(c, selectors.response_of(c)) for c in open_consultations],
            "items_html": caching.fragment(
                request, "dashboard-items", (user.pk,), lambda: _dashboard_items(request)
            ),
            "groups_html": caching.fragment(
                request, "dashboard-groups", (user.pk,), lambda: _dashboard_groups(request)
            ),
            "papers_html": caching.fragment(
                request,
                "dashboard-papers",
                (user.pk, _next_consultation_close(request, now)),
                lambda: _dashboard_papers(request),
            ),
        },
    )


def _next_consultation_close(request, now):
    """The next moment any consultation closes: from then on its version reads “Consultation
    closed on …” (DocumentVersion.status_display), so a list of versions kept before it is
    made again after it."""
    closes = caching.kept(
        request,
        "consultations-closing",
        (),
        lambda: list(
            Consultation.objects.filter(closes_at__gt=now)
            .order_by("closes_at")
            .values_list("closes_at", flat=True)
        ),
    )
    return next((moment for moment in closes if moment > now), None)


def _consultations_not_closed(user, now) -> list[Consultation]:
    """Those the user may see that have not closed, with the user's response: a few at any
    time (a document's window lasts weeks), and all of them, so the list stays true as windows
    open and close while it is kept."""
    return list(
        selectors.with_response_of(Consultation.objects.visible_to(user), user)
        .filter(closes_at__gt=now)
        .select_related("version__document", "audience")
        .order_by("closes_at")
    )


def _memberships_of(user):
    return Membership.objects.filter(person__user_id=user.pk).select_related("group")


def _dashboard_groups(request):
    memberships = _memberships_of(request.user)
    return render_to_string("includes/dashboard_groups.html", {"my_groups": memberships}, request)


def _dashboard_items(request):
    """The reader's first 20 open items, and for the secretariat the first 20 overdue ones."""
    user, today = request.user, _today()
    my_items = selectors.action_items_owned_first_due(
        ActionItem.objects.open()
        .select_related("meeting__group", "trigger_document", "trigger_action")
        .with_illustrative_status(),
        user,
        limit=20,
    )
    prefetch_related_objects(my_items, *ActionItem.owners_prefetch())
    all_overdue = None
    if user.is_secretariat:
        all_overdue = (
            ActionItem.objects.overdue(today)
            .select_related("meeting__group", "trigger_document", "trigger_action")
            .with_illustrative_status()
            .first_due(20)
        )
        prefetch_related_objects(all_overdue, *ActionItem.owners_prefetch())
    return render_to_string(
        "includes/dashboard_items.html",
        {"my_items": my_items, "all_overdue": all_overdue, "today": today},
        request,
    )


def _dashboard_papers(request):
    """The reader's next meetings and their groups' latest documents."""
    user = request.user
    meetings = (
        Meeting.objects.visible_to(user)
        .upcoming(_today())
        .select_related("group")
        .order_by("starts_on", "window_starts_on", "number")[:5]
    )
    versions = (
        DocumentVersion.objects.filter(document__in=Document.objects.visible_to(user))
        .with_consultations_close()
        .select_related("document__owner_group")
        .defer("text", "change_summary")
        .order_by("-created_at", "-pk")[:8]
    )
    return render_to_string(
        "includes/dashboard_papers.html", {"meetings": meetings, "versions": versions}, request
    )


@login_required
def meeting_list(request, group=None):
    access.require_member(request.user)
    meetings = selectors.meetings_listed(request.user, group=group)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/meeting_list.html", {"page": page, "group": group})


@login_required
def group_meetings(request, slug):
    return meeting_list(request, group=access.get_group_for_user(request.user, slug))


@login_required
def meeting_detail(request, pk):
    """The report is the same for every reader who may see the meeting: it is kept rendered
    once for all of them until the record changes (coordination.caching)."""
    meeting = access.get_meeting_for_user(request.user, pk)
    report_html = caching.fragment(
        request, "meeting-report", (meeting.pk,), lambda: _meeting_report(request, meeting)
    )
    return render(
        request,
        "coordination/meeting_detail.html",
        {
            "meeting": meeting,
            "report_html": report_html,
            "pdf_unavailable": pdf_unavailable_reason(),
        },
    )


def _meeting_report(request, meeting):
    return render_to_string(
        "includes/meeting_report.html",
        {**meeting_report_records(meeting), **meeting_siblings(meeting), "today": _today()},
        request,
    )


@login_required
def annex_download(request, meeting_pk, number):
    annex = access.get_annex_for_user(request.user, meeting_pk, number)
    if not annex.file:
        raise Http404
    try:
        handle = annex.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=annex.file.name.rsplit("/", 1)[-1])


@login_required
def action_item_list(request):
    """The form, the items and the pages are one fragment per reader and query string: what the
    reader may see and owns decides the rows, the query string the filters and the page. The
    filter form is a GET form (no CSRF token), so it can be kept with them."""
    access.require_member(request.user)
    body = caching.fragment(
        request,
        "action_item_list",
        (request.user.pk, request.GET.urlencode()),
        lambda: _action_item_list_body(request),
    )
    return render(request, "coordination/action_item_list.html", {"body": body})


def _action_item_list_body(request):
    user, today = request.user, _today()
    form = ActionItemFilterForm(request.GET or None, user=user)
    items = form.items(user=user, today=today)
    page = CappedPaginator(items, PAGE_SIZE, cap=LIST_CAP).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_to_string(
        "coordination/action_item_list_body.html",
        {"form": form, "page": page, "today": today, "query": query.urlencode()},
        request,
    )


@login_required
def action_item_detail(request, pk):
    item = access.get_action_item_for_user(request.user, pk)
    return _render_action_item(request, item, ActionItemStatusForm(initial={"status": item.status}))


def _render_action_item(request, item, form, status=200):
    return render(
        request,
        "coordination/action_item_detail.html",
        {
            "item": item,
            "form": form,
            "can_change": selectors.may_change_action_item_status(request.user, item),
            "changes": item.status_changes.select_related("changed_by"),
            "today": _today(),
        },
        status=status,
    )


@login_required
@require_POST
def action_item_status(request, pk):
    """Two steps: the form, then a page that says what will change for whom and asks to
    confirm (“Back” returns to the form with what was typed)."""
    item = access.get_action_item_for_status_change(request.user, pk)
    form = ActionItemStatusForm(request.POST)
    if "back" in request.POST:
        return _render_action_item(request, item, form)
    if form.is_valid():
        status, note = form.cleaned_data["status"], form.cleaned_data["note"]
        try:
            if request.POST.get("confirm") != "1":
                action_item_status_check(action_item=item, status=status, note=note)
                return render(
                    request,
                    "coordination/action_item_status_confirm.html",
                    {
                        "item": item,
                        "form": form,
                        "new_status": ActionItem.Status(status),
                    },
                )
            action_item_set_status(action_item=item, status=status, by=request.user, note=note)
        except ActionItemError as error:
            form.add_error(error.field or "status", str(error))
        else:
            item.refresh_from_db()
            messages.success(
                request,
                _("The status is now “%(status)s”.") % {"status": item.get_status_display()},
            )
            return redirect(item)
    return _render_action_item(request, item, form, status=400)


@login_required
def document_list(request):
    access.require_member(request.user)
    documents = (
        Document.objects.visible_to(request.user)
        .select_related("owner_group")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.with_consultations_close().order_by("-number"),
            )
        )
        .order_by("owner_group__name", "title")
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/document_list.html", {"page": page})


@login_required
def document_detail(request, pk):
    document = access.get_document_for_user(request.user, pk)
    versions = document.versions.prefetch_related(
        Prefetch("adopting_decisions", queryset=Decision.objects.select_related("meeting__group")),
        Prefetch("consultations", queryset=Consultation.objects.select_related("audience")),
    ).order_by("-number")
    return render(
        request,
        "coordination/document_detail.html",
        {"document": document, "versions": versions, "now": timezone.now()},
    )


@login_required
def version_detail(request, pk, number):
    version = access.get_version_for_user(request.user, pk, number)
    consultations = version.consultations.select_related("audience").order_by("-opens_at")
    return render(
        request,
        "coordination/version_detail.html",
        {
            "version": version,
            "consultations": consultations,
            "now": timezone.now(),
            "has_previous": version.number > 1,
        },
    )


@login_required
def version_docx(request, pk, number):
    """Whoever may read the version may take it away as a Word file."""
    version = access.get_version_for_user(request.user, pk, number)
    return FileResponse(
        writing.version_docx(version),
        as_attachment=True,
        filename=f"{slugify(version.document.title) or 'document'}-v{version.number}.docx",
        content_type=writing.CONTENT_TYPE,
    )


@login_required
def event_list(request):
    access.require_member(request.user)
    upcoming, past = selectors.events_listed(request.user, today=_today())
    return render(
        request,
        "coordination/event_list.html",
        {"upcoming": upcoming[:PAGE_SIZE], "past": past[:PAGE_SIZE]},
    )


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invited person chooses a password through a one-time link and lands on the dashboard."""

    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "coordination.backends.EmailBackend"
    success_url = reverse_lazy("dashboard")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page within the limits of coordination.password_resets. Past the account's
    limit the page answers as it does for an unknown email and sends nothing, so it tells no one
    whether the account exists; past the address's limit it asks the client to wait."""

    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        # Links start with SITE_URL, as in every other email, not with the Host of the request.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        limit = password_reset_throttle(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        if limit is ResetLimit.ADDRESS:
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        if limit is ResetLimit.ACCOUNT:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
