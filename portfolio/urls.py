from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("activities/", views.entry_list, name="entry_list"),
    path("activities/new/", views.entry_create, name="entry_create"),
    path(
        "activities/check-confidentiality/",
        views.confidentiality_check,
        name="confidentiality_check",
    ),
    path(
        "activities/check-confidentiality/<slug:field>/",
        views.confidentiality_check_field,
        name="confidentiality_check_field",
    ),
    path("activities/<id:pk>/", views.entry_detail, name="entry_detail"),
    path("activities/<id:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("activities/<id:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence_download"),
]
