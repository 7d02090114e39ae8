from django.urls import path

from . import export_views, views

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
    path("summaries/", export_views.summary_list, name="summary_list"),
    path("summaries/<int:pk>/", export_views.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/edit/", export_views.summary_edit, name="summary_edit"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<uuid:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<uuid:pk>/status/", export_views.export_status, name="export_status"),
    path("exports/<uuid:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<uuid:pk>/renewal-sheet/", export_views.renewal_sheet, name="renewal_sheet"),
    path("verify/<uuid:pk>/", export_views.verify_export, name="verify_export"),
]
