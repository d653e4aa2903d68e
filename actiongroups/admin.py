from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionGroup, Activity


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

    @admin.display(description="chairs")
    def chairs(self, action_group):
        return action_group.chair_display
