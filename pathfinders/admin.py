from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coordination.admin import PublicSubmissionAdmin

from . import services
from .models import InterestSubmission, NationalWorkshop, PathfinderCountry, Roadmap, StageChange
from .services import pathfinder_stage_change


class StageChangeInline(admin.TabularInline):
    """Read-only: the timeline grows through the stage field, via the service."""

    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_at", "changed_by", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NationalWorkshopInline(admin.StackedInline):
    model = NationalWorkshop
    extra = 0
    autocomplete_fields = ["report_annex"]


class RoadmapInline(admin.StackedInline):
    model = Roadmap
    extra = 0


@admin.register(PathfinderCountry)
class PathfinderCountryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "stage", "request_received_on", "focal_point", "is_public"]
    list_filter = ["stage", "is_public"]
    search_fields = ["country", "notes"]
    list_select_related = ["focal_point"]
    autocomplete_fields = ["focal_point", "resident_coordinator"]
    inlines = [StageChangeInline, NationalWorkshopInline, RoadmapInline]

    def get_readonly_fields(self, request, obj=None):
        """Once in the pipeline, a country moves on its page on the site (“View on site”), with
        a note; a page loaded here before a move would otherwise move it back."""
        fixed = list(super().get_readonly_fields(request, obj))
        return fixed + ["stage"] if obj is not None else fixed

    def save_model(self, request, obj, form, change):
        """The first stage and the public switch go through the services, as on the site."""
        if change:
            is_public = obj.is_public
            obj.is_public = form.initial["is_public"]
            super().save_model(request, obj, form, change)
            services.pathfinder_set_public(country=obj, is_public=is_public, by=request.user)
            return
        super().save_model(request, obj, form, change)
        pathfinder_stage_change(country=obj, stage=obj.stage, by=request.user, is_first=True)

    def view_on_site(self, country):
        return country.get_absolute_url()


@admin.register(NationalWorkshop)
class NationalWorkshopAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "dates_display", "city"]
    list_filter = ["status"]
    search_fields = ["country__country", "city", "organisers"]
    list_select_related = ["country"]
    autocomplete_fields = ["report_annex"]


@admin.register(InterestSubmission)
class InterestSubmissionAdmin(PublicSubmissionAdmin):
    """Triaged as on the site's triage page, through the same services."""

    list_display = ["__str__", "contact_name", "email", "submitted_at", "status"]
    list_filter = ["status"]
    search_fields = ["institution", "contact_name", "email", "message"]
    date_hierarchy = "submitted_at"  # indexed, as the list's order is
    actions = ["accept", "merge", "reject", "mark_spam"]

    @admin.action(description=_("Accept: add the country to the pipeline"))
    def accept(self, request, queryset):
        self.triage_each(request, queryset, services.submission_accept)

    @admin.action(description=_("Merge as a duplicate of the country in the pipeline"))
    def merge(self, request, queryset):
        self.triage_each(request, queryset, services.submission_merge)

    @admin.action(description=_("Reject, with the reason written in each submission"))
    def reject(self, request, queryset):
        self.triage_each(
            request, queryset, services.submission_reject, lambda s: {"reason": s.reason}
        )

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request, queryset):
        self.triage_each(request, queryset, services.submission_mark_spam)
