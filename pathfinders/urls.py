from django.urls import path

from . import views

urlpatterns = [
    path("", views.pathfinder_list, name="pathfinder_list"),
    path("<str:code>/", views.pathfinder_detail, name="pathfinder_detail"),
]
