from django.urls import path

from . import views

urlpatterns = [
    path("", views.action_group_list, name="action_group_list"),
    path("<slug:slug>/", views.action_group_detail, name="action_group_detail"),
    path("<slug:slug>/work-plan/", views.work_plan, name="work_plan"),
    path("<slug:slug>/work-plan/new/", views.activity_edit, name="activity_add"),
    path("<slug:slug>/work-plan/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("<slug:slug>/work-plan/<int:pk>/status/", views.activity_status, name="activity_status"),
    path("<slug:slug>/summary/", views.summary_edit, name="action_group_summary"),
]
