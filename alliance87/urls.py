from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Alliance 8.7 Secretariat")
admin.site.site_title = _("Alliance 8.7")
admin.site.index_title = _("Coordination records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("pathfinders/", include("pathfinders.urls")),
    path("action-groups/", include("actiongroups.urls")),
    path("", include("coordination.urls")),
]
