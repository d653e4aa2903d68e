from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from . import services
from .models import token_name

# knox registers its own: an add form that makes a token (and shows its key) for anyone, and a
# delete that bypasses the service. This one replaces it.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)

# knox names its model in English only (“Auth tokens”); the admin names it in the reader's
# language. Only the runtime name: the model's declared options, hence knox's migrations, are
# left as they are.
AuthToken._meta.verbose_name = _("API token")
AuthToken._meta.verbose_name_plural = _("API tokens")


@admin.register(AuthToken)
class TokenAdmin(admin.ModelAdmin):
    """The secretariat sees every token and revokes any (services.token_revoke). Nobody makes
    or changes one here: a key is shown only to its owner, on Preferences."""

    list_display = ["name", "user", "token_key", "created", "expiry"]
    list_select_related = ["user", "api_name"]
    search_fields = ["api_name__name", "token_key", "user__email"]
    fields = ["name", "user", "token_key", "created", "expiry"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("name"), ordering="api_name__name")
    def name(self, token):
        return token_name(token)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """The secretariat's (services.token_revoke), not staff status with a permission."""
        return request.user.is_secretariat and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # `revoke` goes through the service
        return actions

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset:
            try:
                services.token_revoke(token=token, by=request.user)
            except services.TokenError as error:
                self.message_user(request, f"{token_name(token)}: {error}", messages.ERROR)
            else:
                revoked += 1
        if revoked:
            self.message_user(
                request,
                ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
                % {"count": revoked},
                messages.SUCCESS,
            )

    def delete_model(self, request, obj):
        """The delete button of a token's page revokes it through the service too."""
        services.token_revoke(token=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for token in queryset:
            services.token_revoke(token=token, by=request.user)
