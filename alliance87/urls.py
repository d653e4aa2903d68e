from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from actiongroups import views as actiongroup_views
from alliance87 import baseline
from api import urls as api_urls
from coordination import language_views
from coordination import views as coordination_views
from pathfinders import views as pathfinder_views
from search import views as search_views

admin.site.site_header = _("Alliance 8.7 Secretariat")
admin.site.site_title = _("Alliance 8.7")
admin.site.index_title = _("Coordination records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path(  # before Django's own, which it replaces
        "accounts/password_reset/",
        coordination_views.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/api-tokens/", include(api_urls.token_urlpatterns)),
    path("api/v1/", include("api.urls")),
    path("i18n/setlang/", language_views.language_set, name="set_language"),
    path("pathfinders/", include("pathfinders.urls")),
    path("pathfinder-countries/", pathfinder_views.public_overview, name="pathfinder_public"),
    path(
        "pathfinder-countries/<str:code>/",
        pathfinder_views.public_country,
        name="pathfinder_public_detail",
    ),
    path("partners/apply/", actiongroup_views.partner_form, name="partner_form"),
    path("partners/apply/thanks/", actiongroup_views.partner_thanks, name="partner_thanks"),
    path("action-groups/", include("actiongroups.urls")),
    path("search/", search_views.search, name="search"),
    path("", include("coordination.urls")),
]

if settings.BENCH_BASELINE:  # `make bench-pages` only: never mounted in production by default
    urlpatterns += [path("bench/baseline/", baseline.baseline, name="bench_baseline")]
