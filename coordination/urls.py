from django.urls import path, re_path

from . import consultation_views as cv
from . import export_views, people_views, views
from . import report_views as rv

EXPORT = r"export\.(?P<extension>csv|xlsx)$"  # a list page's download, in either format

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("groups/<slug:slug>/meetings/", views.group_meetings, name="group_meetings"),
    re_path(r"^meetings/" + EXPORT, export_views.meeting_export, name="meeting_export"),
    re_path(
        r"^groups/(?P<slug>[-\w]+)/meetings/" + EXPORT,
        export_views.meeting_export,
        name="group_meeting_export",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/report.pdf", rv.meeting_report_pdf, name="meeting_report_pdf"),
    path("meetings/<int:pk>/annex-1.pdf", rv.participants_pdf, name="participants_pdf"),
    path("meetings/<int:pk>/annex-1.xlsx", rv.participants_xlsx, name="participants_xlsx"),
    path(
        "meetings/<int:meeting_pk>/annexes/<int:number>/",
        views.annex_download,
        name="annex_download",
    ),
    path("actions/", views.action_item_list, name="action_item_list"),
    re_path(r"^actions/" + EXPORT, export_views.action_item_export, name="action_item_export"),
    path("actions/<int:pk>/", views.action_item_detail, name="action_item_detail"),
    path("actions/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/v/<int:number>/", views.version_detail, name="version_detail"),
    path("documents/<int:pk>/v/<int:number>.docx", views.version_docx, name="version_docx"),
    path("documents/<int:pk>/new-version/", cv.version_new, name="version_new"),
    path("documents/<int:pk>/diff/", cv.version_diff, name="version_diff"),
    path("documents/<int:pk>/v/<int:number>/share/", cv.version_share, name="version_share"),
    path(
        "documents/<int:pk>/v/<int:number>/consult/",
        cv.consultation_new,
        name="consultation_new",
    ),
    path("consultations/<int:pk>/", cv.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/comments/", cv.comment_create, name="comment_create"),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/edit/",
        cv.comment_edit,
        name="comment_edit",
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/withdraw/",
        cv.comment_withdraw,
        name="comment_withdraw",
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/dispose/",
        cv.comment_dispose,
        name="comment_dispose",
    ),
    path("consultations/<int:pk>/no-comments/", cv.no_comments, name="no_comments"),
    path(
        "consultations/<int:pk>/no-comments/withdraw/",
        cv.no_comments_withdraw,
        name="no_comments_withdraw",
    ),
    path("consultations/<int:pk>/manage/", cv.consultation_manage, name="consultation_manage"),
    path("consultations/<int:pk>/close/", cv.consultation_close, name="consultation_close"),
    path(
        "consultations/<int:pk>/publish-dispositions/",
        cv.dispositions_publish,
        name="dispositions_publish",
    ),
    path(
        "consultations/<int:pk>/word-comments/",
        cv.comments_from_word,
        name="comments_from_word",
    ),
    path("consultations/<int:pk>/matrix.csv", cv.matrix_csv, name="matrix_csv"),
    path("consultations/<int:pk>/matrix.xlsx", cv.matrix_xlsx, name="matrix_xlsx"),
    path("consultations/<int:pk>/matrix.docx", cv.matrix_docx, name="matrix_docx"),
    path("accounts/preferences/", cv.preferences, name="preferences"),
    path("accounts/preferences/calendar/new/", cv.calendar_key_new, name="calendar_key_new"),
    path("notifications/unsubscribe/<str:token>/", cv.unsubscribe, name="unsubscribe"),
    path("calendar/<uuid:key>.ics", cv.calendar_feed, name="calendar_feed"),
    path("events/", views.event_list, name="event_list"),
    re_path(r"^events/" + EXPORT, export_views.event_export, name="event_export"),
    path("people/invite/", people_views.person_invite, name="person_invite"),
    path("people/<int:pk>/invitation/", people_views.person_invited, name="person_invited"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
