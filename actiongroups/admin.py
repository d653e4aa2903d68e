from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coordination.admin import CountryColumn, PublicSubmissionAdmin

from . import services
from .models import ActionGroup, Activity, PartnerApplication


class ActivityInline(admin.StackedInline):
    """Saved through the work plan's services, as on the site (ActionGroupAdmin.save_formset)."""

    model = Activity
    extra = 0


@admin.register(ActionGroup)
class ActionGroupAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "chairs", "run_by_secretariat", "status", "work_plan_updated_at"]
    list_filter = ["status", "run_by_secretariat"]
    search_fields = ["group__name"]
    list_select_related = ["group"]
    autocomplete_fields = ["chair_organisations"]
    readonly_fields = ["work_plan_updated_at", "work_plan_updated_by"]
    inlines = [ActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("chair_organisations")

    def save_formset(self, request, form, formset, change):
        """Activities are added, changed and removed by the work plan's services, as on the
        site: the history names the officer and the work plan is dated."""
        if formset.model is not Activity:
            return super().save_formset(request, form, formset, change)
        for activity in formset.save(commit=False):
            services.activity_save(activity=activity, by=request.user)
        for activity in formset.deleted_objects:
            services.activity_remove(activity=activity, by=request.user)

    @admin.display(description=_("chaired by"))
    def chairs(self, action_group):
        return action_group.chair_display


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(CountryColumn, PublicSubmissionAdmin):
    list_display = ["organisation_name", "kind", "country_name", "submitted_at", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["organisation_name", "contact_name", "email", "commitment"]
    date_hierarchy = "submitted_at"  # indexed, as the list's order is
    actions = ["accept", "reject", "mark_spam"]
    submission_argument = "application"

    @admin.action(description=_("Accept: add them to the organisations"))
    def accept(self, request, queryset):
        self.triage_each(request, queryset, services.partner_accept)

    @admin.action(description=_("Reject, with the reason written in each application"))
    def reject(self, request, queryset):
        self.triage_each(request, queryset, services.partner_reject, lambda a: {"reason": a.reason})

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request, queryset):
        self.triage_each(request, queryset, services.partner_mark_spam)
