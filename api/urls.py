from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from coordination.caching import keeps_nothing

from . import token_views, views

app_name = "api"

router = SimpleRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("versions", views.VersionViewSet, basename="version")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register(
    "pathfinder-countries", views.PathfinderCountryViewSet, basename="pathfinder-country"
)
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
for pattern in urlpatterns:
    keeps_nothing(pattern.callback)  # the API keeps no fragment: no generation to read

# Preferences' token forms: site pages (HTML, CSRF), mounted under accounts/.
token_urlpatterns = [
    path("", token_views.token_create, name="api_token_create"),
    path("<str:token_key>/revoke/", token_views.token_revoke, name="api_token_revoke"),
]
