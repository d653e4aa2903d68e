from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ActionGroup, Activity, PartnerApplication


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0


@admin.register(ActionGroup)
class ActionGroupAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "chairs", "run_by_secretariat", "status"]
    list_filter = ["status", "run_by_secretariat"]
    search_fields = ["group__name"]
    list_select_related = ["group"]
    autocomplete_fields = ["chair_organisations"]
    inlines = [ActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("chair_organisations")

    @admin.display(description=_("chaired by"))
    def chairs(self, action_group):
        return action_group.chair_display


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "kind", "country", "submitted_at", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["organisation_name", "contact_name", "email", "commitment"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "submitted_at", "ip_address", "triaged_at", "triaged_by", "spam_reason", "organisation"
    ]  # fmt: skip
    actions = ["accept", "reject", "mark_spam"]

    def _each(self, request, queryset, operation, arguments):
        for application in queryset:
            try:
                operation(application=application, by=request.user, **arguments(application))
            except services.TriageError as error:
                self.message_user(request, f"{application}: {error}", messages.ERROR)

    @admin.action(description=_("Accept: add them to the organisations"))
    def accept(self, request, queryset):
        self._each(request, queryset, services.partner_accept, lambda a: {})

    @admin.action(description=_("Reject, with the reason written in each application"))
    def reject(self, request, queryset):
        self._each(request, queryset, services.partner_reject, lambda a: {"reason": a.reason})

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request, queryset):
        self._each(request, queryset, services.partner_mark_spam, lambda a: {})
