from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from .models import NationalWorkshop, PathfinderCountry, Stage, StageChange


def pathfinder_queryset():
    return PathfinderCountry.objects.select_related("focal_point__organisation")


@login_required
def pathfinder_list(request):
    countries = list(
        pathfinder_queryset().annotate(workshop_count=Count("workshops")).order_by("country")
    )
    countries.sort(key=lambda c: c.country.name)
    by_stage = {stage: [] for stage in Stage.values}
    for country in countries:
        by_stage[country.stage].append(country)
    stages = [(Stage(value).label, by_stage[value]) for value in Stage.values if by_stage[value]]
    return render(
        request, "pathfinders/pathfinder_list.html", {"countries": countries, "stages": stages}
    )


@login_required
def pathfinder_detail(request, code):
    country = get_object_or_404(
        pathfinder_queryset()
        .select_related("resident_coordinator__organisation", "roadmap__document")
        .prefetch_related(
            Prefetch(
                "workshops",
                queryset=NationalWorkshop.objects.select_related("report_annex__meeting"),
            ),
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
        ),
        country=code.upper(),
    )
    return render(request, "pathfinders/pathfinder_detail.html", {"country": country})
