from django.urls import path

from . import capture_views, export_views, import_template_views, import_views, views

app_name = "portfolio"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    # The bookmarklet's and the share target's way in: the activity form, filled in from the link.
    path("capture/link/", views.activity_create, name="capture_link"),
    path("capture/", capture_views.capture, name="capture"),
    path("capture/sync/", capture_views.capture_sync, name="capture_sync"),
    path("manifest.webmanifest", capture_views.manifest, name="web_app_manifest"),
    path("sw.js", capture_views.service_worker, name="service_worker"),
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
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", import_views.import_status, name="import_status"),
    path("imports/<int:pk>/choices/", import_views.import_choices, name="import_choices"),
    path(
        "imports/<int:pk>/entries/<int:entry_pk>/edit/",
        import_views.import_entry_edit,
        name="import_entry_edit",
    ),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path(
        "imports/template.csv",
        import_template_views.import_csv_template,
        name="import_csv_template",
    ),
]
