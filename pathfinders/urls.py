from django.urls import path

from . import views

urlpatterns = [
    path("", views.pathfinder_list, name="pathfinder_list"),
    path("join/", views.interest_form, name="interest_form"),
    path("join/thanks/", views.interest_thanks, name="interest_thanks"),
    path("triage/", views.triage, name="pathfinder_triage"),
    path("triage/<int:pk>/", views.triage_submission, name="pathfinder_triage_submission"),
    path("board/", views.board, name="pathfinder_board"),
    path("board.csv", views.board_csv, name="pathfinder_board_csv"),
    path("board.xlsx", views.board_xlsx, name="pathfinder_board_xlsx"),
    path("<str:code>/", views.pathfinder_detail, name="pathfinder_detail"),
    path("<str:code>/stage/", views.pathfinder_stage, name="pathfinder_stage"),
    path("<str:code>/workshops/new/", views.workshop_edit, name="workshop_add"),
    path("<str:code>/workshops/<int:pk>/", views.workshop_edit, name="workshop_edit"),
    path("<str:code>/roadmap/", views.roadmap_edit, name="roadmap_edit"),
]
