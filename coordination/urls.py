from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("groups/<slug:slug>/meetings/", views.group_meetings, name="group_meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:meeting_pk>/annexes/<int:number>/",
        views.annex_download,
        name="annex_download",
    ),
    path("actions/", views.action_item_list, name="action_item_list"),
    path("actions/<int:pk>/", views.action_item_detail, name="action_item_detail"),
    path("actions/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/v/<int:number>/", views.version_detail, name="version_detail"),
    path("events/", views.event_list, name="event_list"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
