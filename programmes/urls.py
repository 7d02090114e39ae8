from django.urls import path

from .views import home, leaders, notifications, packs, reviews, students

app_name = "programmes"
urlpatterns = [
    path("programmes/", home.home, name="home"),
    path("programmes/new/", leaders.programme_create, name="programme_create"),
    path("programmes/<id:pk>/", leaders.programme_detail, name="programme_detail"),
    path("programmes/<id:pk>/edit/", leaders.programme_edit, name="programme_edit"),
    path("programmes/<id:pk>/cohorts/", leaders.cohort_create, name="cohort_create"),
    path("programmes/<id:pk>/leaders/", leaders.leader_add, name="leader_add"),
    path("cohorts/<id:pk>/", leaders.cohort_overview, name="cohort_overview"),
    path("cohorts/<id:pk>/invitations/", leaders.invite, name="invite"),
    path("cohorts/<id:pk>/records/", leaders.cohort_records, name="cohort_records"),
    path("students/<id:student_id>/", leaders.shared_portfolio, name="shared_portfolio"),
    path("invitations/<id:pk>/join/", students.invitation_join, name="invitation_join"),
    path("invitations/<str:token>/", students.invitation_accept, name="invitation_accept"),
    path("memberships/<id:pk>/sharing/", students.sharing_change, name="sharing_change"),
    path("memberships/<id:pk>/stop-sharing/", students.sharing_stop, name="sharing_stop"),
    path("memberships/<id:pk>/submit/", students.submit, name="submit"),
    path("submissions/<id:pk>/", reviews.submission_detail, name="submission_detail"),
    path("submissions/<id:pk>/comments/", reviews.comment_create, name="comment_create"),
    path(
        "submissions/<id:pk>/comments/<id:comment_pk>/replies/",
        reviews.reply_create,
        name="reply_create",
    ),
    path("submissions/<id:pk>/request-changes/", reviews.request_changes, name="request_changes"),
    path("submissions/<id:pk>/sign-off/", reviews.sign_off, name="sign_off"),
    path("submissions/<id:pk>/revoke-sign-off/", reviews.revoke_sign_off, name="revoke_sign_off"),
    path("submissions/<id:pk>/resubmit/", reviews.resubmit, name="resubmit"),
    path("packs/<uuid:evidence_pack_id>/share/", packs.pack_share, name="pack_share"),
    path("packs/shares/<id:pk>/stop/", packs.pack_unshare, name="pack_unshare"),
    path("packs/<uuid:evidence_pack_id>/download/", packs.pack_download, name="pack_download"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<id:pk>/", notifications.notification_open, name="notification_open"),
]
