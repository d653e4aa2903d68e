import functools
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coordination import selectors
from coordination.access import require_member, require_secretariat
from coordination.models import SubmissionStatus
from coordination.public_forms import public_form_view
from coordination.spreadsheets import Column, table_response

from . import regions, services, worldmap
from .forms import InterestForm, RoadmapForm, StageForm, TriageForm, WorkshopForm
from .models import (
    InterestSubmission,
    NationalWorkshop,
    PathfinderCountry,
    Roadmap,
    Stage,
    StageChange,
    country_name_key,
)


def pathfinder_queryset():
    return PathfinderCountry.objects.select_related("focal_point__organisation")


def _by_stage(countries):
    by_stage = {stage: [] for stage in Stage.values}
    for country in countries:
        by_stage[country.stage].append(country)
    return [
        (value, Stage(value).label, by_stage[value]) for value in Stage.values if by_stage[value]
    ]


@login_required
def pathfinder_list(request):
    require_member(request.user)
    countries = list(
        selectors.pathfinders_visible_to(request.user, PathfinderCountry.objects.all())
        .annotate(workshop_count=Count("workshops"))
        .order_by("country")
    )
    countries.sort(key=lambda c: country_name_key(c.country.name))
    stages = [(label, members) for _value, label, members in _by_stage(countries)]
    return render(
        request, "pathfinders/pathfinder_list.html", {"countries": countries, "stages": stages}
    )


@login_required
def pathfinder_detail(request, code):
    return _country_page(request, code)


def _country_page(request, code, *, stage_form=None):
    """The country as members see it, with the secretariat's stage form. A refused stage move
    re-renders the page with the form as it was filled in and the error at its field (400)."""
    user = request.user
    require_member(user)
    report_visible = Exists(
        selectors.annexes_visible_to(user).filter(pk=OuterRef("report_annex_id"))
    )
    country = get_object_or_404(
        selectors.pathfinders_visible_to(user, pathfinder_queryset())
        .select_related("resident_coordinator__organisation", "roadmap__document")
        .prefetch_related(
            Prefetch(
                "workshops",
                queryset=NationalWorkshop.objects.select_related(
                    "report_annex__meeting__group"
                ).annotate(report_visible=report_visible),
            ),
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
        ),
        country=code.upper(),
    )
    form = (
        stage_form or StageForm(initial={"stage": country.stage, "is_public": country.is_public})
        if user.is_secretariat
        else None
    )
    internals = selectors.sees_pipeline_internals(user)
    return render(
        request,
        "pathfinders/pathfinder_detail.html",
        {
            "country": country,
            "stage_form": form,
            "internals": internals,
            # where the country came from: the interest forms, with whom to contact
            "submissions": list(
                country.submissions.select_related("triaged_by").order_by("submitted_at")
            )
            if internals
            else [],
            # the report annex only for those who may see its meeting (its title included)
            "workshops": [
                (w, w.report_annex if w.report_visible else None) for w in country.workshops.all()
            ],
        },
        status=400 if stage_form else 200,
    )


@login_required
@require_POST
def pathfinder_stage(request, code):
    require_secretariat(request.user)
    country = get_object_or_404(PathfinderCountry, country=code.upper())
    form = StageForm(request.POST)
    if not form.is_valid():
        return _country_page(request, code, stage_form=form)
    if form.cleaned_data["is_public"] != country.is_public:
        services.pathfinder_set_public(
            country=country, is_public=form.cleaned_data["is_public"], by=request.user
        )
        messages.success(request, _("Shown on the public page.") if form.cleaned_data["is_public"]
                         else _("No longer shown on the public page."))  # fmt: skip
    if form.cleaned_data["stage"] != country.stage:
        services.pathfinder_stage_change(
            country=country,
            stage=form.cleaned_data["stage"],
            by=request.user,
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
        )
        messages.success(request, _("%(country)s is now at “%(stage)s”.") % {
            "country": country.country.name, "stage": country.get_stage_display()
        })  # fmt: skip
    return redirect(country)


# --- public pages ---------------------------------------------------------------------------


def interest_form(request):
    """The public form: no account needed. Keeps every value typed when something is wrong."""
    return public_form_view(
        request,
        form_class=InterestForm,
        submit=services.interest_submit,
        template="pathfinders/interest_form.html",
        done="interest_thanks",
    )


def interest_thanks(request):
    return render(request, "pathfinders/interest_thanks.html")


def public_overview(request):
    """What the secretariat marks public, and nothing else: country and stage. The map's shapes
    are a static file; the page names the countries to colour (worldmap)."""
    rows = PathfinderCountry.objects.public().order_by("country").values_list("country", "stage")
    overview = _overview_html(tuple(rows), translation.get_language(), worldmap.href())
    return render(request, "pathfinders/public_overview.html", {"overview": overview})


@functools.lru_cache(maxsize=32)
def _overview_html(rows: tuple[tuple[str, str], ...], language: str, map_href: str) -> str:
    """The map, its legend and the countries by stage, rendered once for each state of the
    public countries and language. The rows themselves are the key, so any change to them, by
    whichever door or worker, shows at once; at 200 countries the rendering took 10 ms (20 on
    a busy machine) and the page now costs one query. Kept in each process (a deploy starts
    afresh)."""
    places = worldmap.places(rows)
    return render_to_string(
        "pathfinders/includes/overview.html",
        {
            "stages": _by_stage(places),
            "count": len(places),
            "legend": worldmap.legend(places),
            "view_box": worldmap.view_box(),
            "map_href": map_href,
            "map": [place for place in places if place.on_map],
        },
    )


def public_country(request, code):
    """One country's public entry: its stage in the process, and nothing the overview does
    not already show. A country not marked public is not found, whoever asks."""
    country = get_object_or_404(
        PathfinderCountry.objects.public().only("country", "stage"), country=code.upper()
    )
    shape = worldmap.shape(country.country.code)
    steps = [stage for stage in Stage if stage not in (Stage.ON_HOLD, Stage.WITHDRAWN)]
    return render(
        request,
        "pathfinders/public_country.html",
        {
            "country": country,
            "shape": shape,
            "view_box": shape.box.surroundings() if shape else None,
            "map_href": worldmap.href(),
            "steps": steps,
        },
    )


# --- the secretariat ------------------------------------------------------------------------


@login_required
def triage(request):
    require_secretariat(request.user)
    return _triage_page(request)


def _triage_page(request, *, refused=None, form=None):
    """The submissions waiting, oldest first. A refused decision re-renders the page with that
    submission's form as it was filled in and the error next to its field (status 400)."""
    in_pipeline = PathfinderCountry.objects.filter(country=OuterRef("country"))
    waiting = InterestSubmission.objects.filter(status=SubmissionStatus.NEW)
    submissions = list(
        waiting.annotate(in_pipeline=Exists(in_pipeline)).order_by("submitted_at")[:100]
    )
    for submission in submissions:
        submission.form = form if refused == submission.pk else TriageForm(prefix=submission.pk)
    if refused and not any(submission.pk == refused for submission in submissions):
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    triaged = (
        InterestSubmission.objects.exclude(status__in=[SubmissionStatus.NEW, SubmissionStatus.SPAM])
        .select_related("triaged_by", "pathfinder")
        .order_by("-triaged_at", "-submitted_at")[:20]
    )
    return render(
        request,
        "pathfinders/triage.html",
        {
            "submissions": submissions,
            "waiting_count": waiting.count(),  # the page lists the first 100
            "triaged": triaged,
            "spam_count": InterestSubmission.objects.filter(status=SubmissionStatus.SPAM).count(),
        },
        status=400 if refused else 200,
    )


@login_required
@require_POST
def triage_submission(request, pk):
    require_secretariat(request.user)
    submission = get_object_or_404(InterestSubmission, pk=pk)
    form = TriageForm(request.POST, prefix=pk)
    if not form.is_valid():
        return _triage_page(request, refused=pk, form=form)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "accept":
            services.submission_accept(submission=submission, by=request.user)
        elif action == "merge":
            services.submission_merge(submission=submission, by=request.user)
        elif action == "reject":
            services.submission_reject(submission=submission, by=request.user, reason=reason)
        else:
            services.submission_mark_spam(submission=submission, by=request.user)
    except services.TriageError as error:
        form.add_error("action", str(error))
        return _triage_page(request, refused=pk, form=form)
    _triage_message(request, submission)
    return redirect("pathfinder_triage")


def _triage_message(request, submission):
    """What was decided; an accepted or merged submission links to its country's page."""
    text = _("%(country)s: %(status)s.") % {
        "country": submission.country.name,
        "status": submission.get_status_display(),
    }
    if submission.pathfinder_id:
        text = format_html(
            '{} <a href="{}">{}</a>',
            text,
            submission.pathfinder.get_absolute_url(),
            _("Open the country's page"),
        )
    messages.success(request, text)


@login_required
def workshop_edit(request, code, pk=None):
    """Adds (pk None) or edits a national workshop from the country's page."""
    require_secretariat(request.user)
    country = get_object_or_404(PathfinderCountry, country=code.upper())
    workshop = (
        get_object_or_404(NationalWorkshop, pk=pk, country=country)
        if pk
        else NationalWorkshop(country=country)
    )
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        services.workshop_save(workshop=form.save(commit=False), by=request.user)
        messages.success(request, _("The workshop is saved."))
        return redirect(country)
    title = _("Edit the workshop") if pk else _("Add a national workshop")
    return _country_form_page(request, country, form, title)


@login_required
def roadmap_edit(request, code):
    require_secretariat(request.user)
    country = get_object_or_404(PathfinderCountry, country=code.upper())
    roadmap = Roadmap.objects.filter(country=country).first() or Roadmap(country=country)
    form = RoadmapForm(request.POST or None, instance=roadmap)
    if request.method == "POST" and form.is_valid():
        services.roadmap_save(roadmap=form.save(commit=False), by=request.user)
        messages.success(request, _("The roadmap is saved."))
        return redirect(country)
    return _country_form_page(request, country, form, _("The national roadmap"))


def _country_form_page(request, country, form, title):
    return render(
        request,
        "pathfinders/country_form.html",
        {
            "country": country,
            "form": form,
            "page_title": f"{title} – {country.country.name}",
            "submit_label": _("Save"),
        },
    )


def _quarter(workshop) -> tuple[tuple, str]:
    """(sort key, label): quarters in time order whatever their label's words, then the
    tentative periods as written, then the undated."""
    if workshop.starts_on:
        year, quarter = workshop.starts_on.year, (workshop.starts_on.month - 1) // 3 + 1
        # Translators: a quarter of a year, e.g. "2019 Q2".
        return (0, year, quarter), _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
    if workshop.tentative_period:
        return (1, 0, 0), workshop.tentative_period
    return (2, 0, 0), _("date to be set")


@login_required
def board(request):
    require_secretariat(request.user)
    countries = list(PathfinderCountry.objects.only("country", "stage", "is_public"))
    countries.sort(key=lambda c: country_name_key(c.country.name))
    by_region = defaultdict(Counter)
    for country in countries:
        by_region[regions.region_of(country.country.code)][country.stage] += 1
    workshops = Counter(
        _quarter(w)
        for w in NationalWorkshop.objects.filter(status=NationalWorkshop.Status.PLANNED).only(
            "starts_on", "tentative_period"
        )
    )
    stages = _by_stage(countries)
    return render(
        request,
        "pathfinders/board.html",
        {
            "stages": stages,
            "stage_labels": [(value, label) for value, label, _members in stages],
            "regions": sorted(
                (region, [counts.get(value, 0) for value, _l, _m in stages], sum(counts.values()))
                for region, counts in by_region.items()
            ),
            "workshops": [(label, n) for (_key, label), n in sorted(workshops.items())],
            "total": len(countries),
            "waiting_count": InterestSubmission.objects.filter(status=SubmissionStatus.NEW).count(),
        },
    )


EXPORT_COLUMNS = [
    Column(gettext_lazy("Country"), 24),
    Column(gettext_lazy("ISO code"), 8),
    Column(gettext_lazy("Region"), 20),
    Column(gettext_lazy("Stage"), 20),
    Column(gettext_lazy("Since"), 12),
    Column(gettext_lazy("Formal request"), 12),
    Column(gettext_lazy("Focus areas"), 40, wraps=True),
    Column(gettext_lazy("Focal point"), 28, wraps=True),
    Column(gettext_lazy("Workshops planned"), 10),
    Column(gettext_lazy("Workshops held"), 10),
    Column(gettext_lazy("Public"), 8),
]


def _export_rows():
    countries = PathfinderCountry.objects.select_related("focal_point").annotate(
        planned=Count("workshops", filter=Q(workshops__status=NationalWorkshop.Status.PLANNED)),
        held=Count("workshops", filter=Q(workshops__status=NationalWorkshop.Status.HELD)),
    )
    for c in sorted(countries, key=lambda c: country_name_key(c.country.name)):
        yield [
            c.country.name,
            c.country.code,
            regions.region_of(c.country.code),
            c.get_stage_display(),
            timezone.localdate(c.stage_changed_at),  # the reader's date, not UTC's
            c.request_received_on,
            ", ".join(c.focus_areas),
            str(c.focal_point or ""),
            c.planned,
            c.held,
            _("yes") if c.is_public else _("no"),
        ]


def _board_file(request, extension):
    """The board as a spreadsheet, through the one writer of every export."""
    require_secretariat(request.user)
    return table_response(
        EXPORT_COLUMNS,
        _export_rows(),
        extension=extension,
        name="pathfinder-countries",
        sheet_title=_("Pathfinders"),
    )


@login_required
def board_csv(request):
    return _board_file(request, "csv")


@login_required
def board_xlsx(request):
    return _board_file(request, "xlsx")
