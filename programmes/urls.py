from django.urls import path

from . import pack_views, views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.home, name="home"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/cohorts/", views.cohort_create, name="cohort_create"),
    path("programmes/<int:pk>/leaders/", views.leader_add, name="leader_add"),
    path("cohorts/<int:pk>/", views.cohort_overview, name="cohort_overview"),
    path("cohorts/<int:pk>/invitations/", views.invite, name="invite"),
    path("students/<int:student_id>/", views.shared_portfolio, name="shared_portfolio"),
    path("invitations/<int:pk>/join/", views.invitation_join, name="invitation_join"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("memberships/<int:pk>/sharing/", views.sharing_change, name="sharing_change"),
    path("memberships/<int:pk>/stop-sharing/", views.sharing_stop, name="sharing_stop"),
    path("memberships/<int:pk>/submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path(
        "submissions/<int:pk>/comments/<int:comment_pk>/replies/",
        views.reply_create,
        name="reply_create",
    ),
    path("submissions/<int:pk>/request-changes/", views.request_changes, name="request_changes"),
    path("submissions/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("submissions/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("packs/<uuid:export_id>/share/", pack_views.pack_share, name="pack_share"),
    path("packs/shares/<int:pk>/stop/", pack_views.pack_unshare, name="pack_unshare"),
    path("packs/<uuid:export_id>/download/", pack_views.pack_download, name="pack_download"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
