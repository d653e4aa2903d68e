from django.urls import path

from . import views

urlpatterns = [
    path("", views.action_group_list, name="action_group_list"),
    path("<slug:slug>/", views.action_group_detail, name="action_group_detail"),
]
