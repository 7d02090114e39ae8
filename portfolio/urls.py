from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path(
        "activities/check-confidentiality/",
        views.confidentiality_check,
        name="confidentiality_check",
    ),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
