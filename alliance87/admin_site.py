"""The admin site of the secretariat: Django's, with its list of apps built only when read."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class SecretariatAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        """Built when a template reads it: every admin page asks for it (the navigation
        sidebar), but a list kept rendered (coordination.caching) has the sidebar in its
        fragment already, and building it costs 2 ms of each page."""
        return SimpleLazyObject(
            lambda: super(SecretariatAdminSite, self).get_app_list(request, app_label)
        )


class SecretariatAdminConfig(AdminConfig):
    default_site = "alliance87.admin_site.SecretariatAdminSite"
